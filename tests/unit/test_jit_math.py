"""The compiled kernels' elementary functions (tutor.experiments.nets.jit) against numpy's (the C
library's), over their whole range: ln, ln(1 + u), tanh and softplus, counted in units in the last
place (ulp: adjacent doubles are 1 apart)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("llvmlite")

from tests.unit.elementwise import compiled


def ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many doubles apart a and b are (0 where equal, both NaN, or ±0)."""
    ia, ib = a.view(np.int64), b.view(np.int64)
    ia = np.where(ia < 0, np.int64(-(2**63)) - ia, ia)  # order the bit patterns like the numbers
    ib = np.where(ib < 0, np.int64(-(2**63)) - ib, ib)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    return np.where(same, 0.0, np.abs(ia - ib).astype(float))


RNG = np.random.default_rng(0)
SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0, 0.5, 5e-324, 2.2250738585072014e-308])


def test_log_is_within_1_ulp_of_the_c_library_from_subnormals_to_the_largest_double():
    x = np.concatenate([10 ** RNG.uniform(-323, 308, 100_000), RNG.uniform(0, 3, 50_000),
                        1 + RNG.uniform(-1e-6, 1e-6, 10_000), SPECIAL])
    with np.errstate(all="ignore"):
        got, want = compiled("log")(x), np.log(x)
    assert ulps(got, want).max() <= 1
    assert np.array_equal(got[-len(SPECIAL):], want[-len(SPECIAL):], equal_nan=True)  # −∞ at 0, NaN below 0, ∞ at ∞, exact at 1 and 2


def test_log1p_keeps_tiny_arguments_to_2_ulp():
    u = np.concatenate([10 ** RNG.uniform(-320, 300, 100_000), -(10 ** RNG.uniform(-320, -1e-9, 50_000)),
                        RNG.uniform(-1, 1, 10_000), SPECIAL])
    with np.errstate(all="ignore"):
        got, want = compiled("log1p")(u), np.log1p(u)
    assert ulps(got, want).max() <= 2
    tiny = np.array([1e-300, -1e-300, 1e-17, 3e-16])
    assert np.array_equal(compiled("log1p")(tiny), np.log1p(tiny))  # where 1 + u rounds to 1 or nearly: u itself


def test_tanh_is_within_2_ulp_near_zero_and_far_out():
    x = np.concatenate([s * 10 ** RNG.uniform(-320, 3, 100_000) for s in (1, -1)]
                       + [RNG.uniform(-3, 3, 50_000), RNG.uniform(-0.7, 0.7, 50_000), SPECIAL, [0.625, -0.625]])
    got, want = compiled("tanh")(x), np.tanh(x)
    assert ulps(got, want).max() <= 2
    assert np.signbit(compiled("tanh")(np.array([-0.0])))[0]  # tanh(−0) = −0
    assert np.array_equal(compiled("tanh")(np.array([20.0, -20.0, 800.0])), [1.0, -1.0, 1.0])


def test_softplus_matches_logaddexp():
    z = np.concatenate([s * 10 ** RNG.uniform(-10, 2.8, 50_000) for s in (1, -1)] + [RNG.uniform(-40, 40, 50_000)])
    got, want = compiled("softplus")(z), np.logaddexp(0.0, z)
    assert ulps(got, want).max() <= 3  # exp's ulp, log1p's 2, one addition: 3 at most here
