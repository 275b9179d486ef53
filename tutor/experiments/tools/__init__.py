"""What an experiment does with a problem, one module per tool; each function registers itself
against its option model (``tutor.core.lab_schema.tools``) with ``@registry.tool``."""

from tutor.experiments.tools.base import Result, classify, fnum, jsonable
from tutor.experiments.tools.census import census
from tutor.experiments.tools.convexity import convexity
from tutor.experiments.tools.curve import curve
from tutor.experiments.tools.descent import descend, descent
from tutor.experiments.tools.path import path
from tutor.experiments.tools.sharpness import sharpness
from tutor.experiments.tools.spectrum import spectrum
from tutor.experiments.tools.stationary import find_critical, stationary
from tutor.experiments.tools.surface import surface
from tutor.experiments.tools.symmetry import symmetry

__all__ = ["Result", "census", "classify", "convexity", "curve", "descend", "descent", "find_critical", "fnum", "jsonable", "path", "sharpness", "spectrum", "stationary",
           "surface", "symmetry"]
