from tutor.main import main

main()
