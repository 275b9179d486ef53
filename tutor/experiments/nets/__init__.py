"""Networks beyond the toys: multilayer perceptrons of any depth with exact Hessian-vector
products, the curvature they give access to (Lanczos, Hutchinson, spectral density), training
loops (full-batch descent with sharpness, Bézier curves between minima), and their data sets.

Pure numpy/scipy functions; the tools in ``tutor.experiments`` wrap them with options and plots.
"""
