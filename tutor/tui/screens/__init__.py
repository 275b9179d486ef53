"""The app's screens: the catalog, a lesson, help. They reach the app only through ``tui.host``."""
