"""Plain line mode, a view: a lesson (``lesson.LessonLines``) or a quiz (``quiz.QuizLines``) as lines
of text, with piped input. Every word comes from ``tutor.present``; every rule from the session or
the quiz run."""
