"""What a learner is told, as plain text every view renders: the app (``tutor.tui``) and line mode
(``tutor.lines``) show these words and compute none of their own.

- ``commands``: the one table of commands (keys in the app, ``:words`` in line mode) and help rows.
- ``help``: how to answer each kind of question; the help screens' sections.
- ``lesson.LessonWords(view)``: feedback (right, wrong, unreadable, hint, reveal, skip, attempts used
  up), what is said on coming back to a question, progress, the lesson's summary.
- ``quiz.QuizWords(view)``: the quiz's rules, position, time left, feedback and results.
- ``marks``: the learner's answer marked on a plot (a plot spec for the plot layer).
- ``text.Line``: a line of text with a tone (head, body, note, warn, prose) each view styles.
- numbers: ``tutor.core.numbers.number`` (the one formatter; in the core so that parameters
  substituted into lesson text read the same).

No Textual, Rich or plotext here (an import-linter contract says so).
"""
