"""The loss functions experiments run on, one module per family; each class registers itself
against its option model (``tutor.core.lab_schema.problems``) with ``@registry.problem``."""

from tutor.experiments.problems.autoencoder import LinearAutoencoder
from tutor.experiments.problems.base import Problem, sigmoid, softplus
from tutor.experiments.problems.deep import DeepMLP
from tutor.experiments.problems.function import Function
from tutor.experiments.problems.linear import LinearRegression, Logistic, Softmax
from tutor.experiments.problems.mlp import MLP
from tutor.experiments.problems.toy import OutputSquare, Product

__all__ = ["MLP", "DeepMLP", "Function", "LinearAutoencoder", "LinearRegression", "Logistic", "OutputSquare", "Problem", "Product", "Softmax",
           "sigmoid", "softplus"]
