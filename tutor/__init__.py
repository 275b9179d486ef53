"""Landscape Tutor: why the loss of a neural network is not the simple bowl beginners expect."""

__version__ = "0.1.0"
