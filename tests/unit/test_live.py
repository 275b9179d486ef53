"""The live view's stepper: its numbers against a second computation, its states, its slice, and
the lesson format's ``live: true`` (validated, and played on paper by line mode)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from tests.conftest import tutor
from tutor.core.models import Experiment
from tutor.experiments import run
from tutor.experiments.live import Live

VALLEY = {"name": "function", "expr": "(x**2 + 10*y**2)/2", "vars": ["x", "y"]}


def valley_loss(lr: float, k: int) -> float:
    """The closed form on the valley from (2, 1): x_k = 2(1-η)^k, y_k = (1-10η)^k."""
    return 0.5 * ((2 * (1 - lr) ** k) ** 2 + 10 * ((1 - 10 * lr) ** k) ** 2)


def live_valley(lr: float = 0.1, steps: int = 40) -> tuple[Live, object]:
    result = run("descent", VALLEY, {"start": [2.0, 1.0], "lr": lr, "steps": steps}, live=True)
    assert result.live is not None
    return result.live, result


def test_each_frame_matches_the_closed_form_and_the_last_matches_the_descent_tool():
    live, result = live_valley(0.1)
    assert live.frame().loss == pytest.approx(7.0) and live.frame().step == 0
    for k in range(1, 41):
        assert live.one() == 1
        assert live.frame().loss == pytest.approx(valley_loss(0.1, k), rel=1e-9, abs=1e-15)
    assert live.done and live.one() == 0  # the run is over
    assert live.frame().loss == pytest.approx(result.values["final_loss"], rel=1e-12)  # type: ignore[attr-defined]
    assert live.frame().state == "done"


def test_play_pause_tick_and_reset():
    live, _ = live_valley(0.1, steps=200)
    assert not live.tick()  # paused: a tick changes nothing
    live.toggle()
    assert live.playing and live.tick() and live.k == live.chunk
    live.toggle()
    k = live.k
    assert not live.tick() and not live.tick() and live.k == k
    live.reset()
    assert live.k == 0 and live.losses == [7.0] and not live.playing
    live.toggle()
    while live.tick():
        pass
    assert live.k == 200 and not live.playing and live.frame().state == "done"
    live.toggle()  # playing a finished run starts it again
    assert live.playing and live.k == 0


def test_the_step_size_ladder_and_divergence_above_two_over_ten():
    live, _ = live_valley(0.1)
    assert live.change_lr(1) == 0.15 and live.change_lr(1) == 0.2 and live.change_lr(-1) == 0.15
    live.lr = 0.25  # |1 - 10η| = 1.5 > 1: y grows by half at every step
    live.toggle()
    while live.tick():
        pass
    fr = live.frame()
    assert fr.state == "diverged" and not live.playing
    assert fr.loss == pytest.approx(valley_loss(0.25, fr.step), rel=1e-9)
    live.reset()
    assert live.lr == 0.25 and live.k == 0  # reset keeps the learner's step size


def test_two_parameters_draw_the_surface_with_the_path_on_it():
    live, _ = live_valley(0.1)
    live.run_to_end()
    fr = live.frame()
    plot = fr.landscape
    Z = np.asarray(plot.heatmap)
    X, Y = np.meshgrid(plot.xs, plot.ys)
    assert np.allclose(Z, (X**2 + 10 * Y**2) / 2)
    xs, ys = plot.series[0].x, plot.series[0].y
    assert len(xs) == 41 and xs[0] == 2.0 and ys[0] == 1.0
    assert plot.xs[0] < -1.5 and plot.ys[0] < -0.9  # room for a run that overshoots to the other side
    assert [m.role for m in plot.marks] == ["start", "end"]
    assert list(fr.curve.series[0].y) == pytest.approx([valley_loss(0.1, k) for k in range(41)], rel=1e-9)


def test_a_network_is_drawn_on_the_plane_through_start_and_end():
    result = run("descent", {"name": "mlp", "data": "xor", "hidden": 2}, {"lr": 0.5, "steps": 200}, live=True)
    live = result.live
    assert live is not None and live.U is not None
    live.run_to_end()
    fr = live.frame()
    a, b = live.path[-1]
    assert (a, b) == pytest.approx((1.0, 0.0), abs=1e-9)  # the end is at (1, 0) by construction
    assert fr.off_plane == pytest.approx(0.0, abs=1e-9)
    assert fr.loss == pytest.approx(result.values["final_loss"], rel=1e-12)
    # the surface at (0, 0) and (1, 0) is the loss at the start and at the end
    i0 = int(np.argmin(np.abs(np.asarray(live.xs) - 0.0)))
    j0 = int(np.argmin(np.abs(np.asarray(live.ys) - 0.0)))
    assert live.Z[j0, i0] == pytest.approx(live.losses[0], rel=1e-9)
    assert ("off the plane", "0") in fr.rows or fr.rows[-1][0] == "off the plane"


def test_one_parameter_draws_the_loss_curve_with_the_run_on_it():
    result = run("descent", {"name": "function", "expr": "4*x**2/2", "vars": ["x"]}, {"start": [1.0], "lr": 0.55, "steps": 30},
                 live=True)
    live = result.live
    live.run_to_end()
    fr = live.frame()
    assert fr.step == 30 and fr.theta[0] == pytest.approx((1 - 0.55 * 4) ** 30)
    assert fr.landscape.series[0].kind == "line"


@pytest.mark.parametrize("fields, message", [
    ({"run": "surface"}, "needs run: descent"),
    ({"with": {"starts": 10}}, "remove with: starts"),
    ({"with": {"noise": {"scale": 0.1}}}, "remove with: noise"),
])
def test_live_is_refused_where_it_cannot_play(fields, message):
    step = {"id": "x", "run": "descent", "problem": VALLEY, "live": True, **fields}
    with pytest.raises(ValidationError, match=message):
        Experiment.model_validate(step)


def test_plain_mode_prints_the_first_and_the_last_frame(tutor_home):
    r = tutor("plain", "watch-descent", "--width", "80", input="1\n:quit\n")
    out = r.stdout
    assert r.returncode == 0, r.stderr
    first = out.index("Live view, the first frame (step 0 of 40  loss 7  step size 0.1")
    last = out.index("The last frame (step 40 of 40  loss 0.0004369")
    assert first < last
    assert "loss by step" in out[last:] and "θ           [0.02956, 0]" in out
    assert f"{valley_loss(0.1, 40):.4g}" == "0.0004369"  # the number printed, recomputed in closed form
