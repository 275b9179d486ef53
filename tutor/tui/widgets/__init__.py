"""The lesson's widgets: a text step, an experiment with its controls, a question, a plot."""
