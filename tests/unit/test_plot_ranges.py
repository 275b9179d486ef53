"""Plot ranges that show the point: the hump of a double well, a few critical points by index."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tutor.core.models import Experiment
from tutor.plots.ranges import padded, whole_number_axis, y_window
from tutor.plots.render import to_text
from tutor.plots.spec import Mark, Plot, Series

XS = [i / 40 for i in range(-100, 101)]
WELL = Plot("loss along a line", "w", "loss", [Series(XS, [(1 - x * x) ** 2 for x in XS])],
            [Mark(-1, 0, "min"), Mark(1, 0, "min"), Mark(0, 1, "max")])


def test_a_double_well_is_drawn_around_its_hump_not_its_tails():
    lo, hi, cut = y_window(WELL)  # type: ignore[misc]
    assert cut and lo < 0 < 1 < hi <= 3.5, "the hump of height 1 fills a third of the axis (the data reach 27.6)"
    text = to_text(WELL, 78, 16, ascii=True)
    rows = text.splitlines()
    top = next(i for i, r in enumerate(rows) if "^" in r and "maximum" not in r)
    bottom = next(i for i, r in enumerate(rows) if "o" in r and "minimum" not in r and "loss" not in r)
    assert bottom - top >= 3, f"the maximum stands well above the minima:\n{text}"
    assert "axis cut at" in text, "a cut axis says so"
    assert "o minimum" in text and "^ maximum" in text, "the markers are named"


def test_the_author_sets_the_axis():
    lo, hi, _ = y_window(WELL.viewed((0, 10)))  # type: ignore[misc]
    assert (lo, hi) == (0, 10)
    assert "axis cut" not in to_text(WELL.viewed((0, 10)), 78, 16)
    assert Experiment.model_validate({"id": "e", "run": "curve", "problem": "output-square", "plot": {"ylim": [0, 3], "log": False}}).plot
    with pytest.raises(ValidationError, match="lo < hi"):
        Experiment.model_validate({"id": "e", "run": "curve", "problem": "output-square", "plot": {"ylim": [3, 0]}})


def test_a_plain_curve_keeps_its_range():
    plot = Plot("p", "x", "y", [Series(XS, [x * x for x in XS])])
    assert y_window(plot) is None


def test_a_few_critical_points_get_whole_number_ticks_and_their_values():
    plot = Plot("critical points: loss against index", "index", "loss", [Series([0], [0.5], "scatter", "critical points", "point")])
    text = to_text(plot, 60, 12)
    assert "loss 0.5" in text
    assert "-1.00" not in text and "0.50" not in text.splitlines()[-2], "ticks are whole numbers"
    assert whole_number_axis([0, 2, 2]) == ((-1.0, 3.0), [-1.0, 0.0, 1.0, 2.0, 3.0])
    assert padded([0.5]) == (0.25, 0.75)


def test_a_descent_keeps_its_first_steps_and_a_narrow_axis_costs_nothing():
    """Without marks the data decide; with an author's narrow axis the far values are clamped before
    plotext sees them (a line 300 times taller than its axis once took gigabytes to draw)."""
    steps = list(range(400))
    plot = Plot("gradient descent", "step", "loss", [Series(steps, [5 * 0.97**i for i in steps])])
    assert y_window(plot) is None
    text = to_text(plot.viewed((0, 0.01)), 76, 19)
    assert "0.01" in text


def x_tick_labels(text: str) -> list[str]:
    """The labels under the x-axis of a plot drawn as text (the row below its bottom border)."""
    rows = text.splitlines()
    border = max(i for i, r in enumerate(rows) if r.strip().startswith(("└", "+-")))
    return rows[border + 1].split()


@pytest.mark.parametrize("spec, steps", [
    ({"run": "descent", "problem": {"name": "output-square", "target": 2}, "with": {"start": [0.1], "lr": 0.01, "steps": 497}}, 497),
    ({"run": "sharpness", "problem": {"name": "mlp", "data": "xor", "hidden": 4}, "with": {"lr": 0.5, "steps": 333}}, 333),
])
@pytest.mark.parametrize("width", [78, 58])
def test_an_axis_of_steps_has_whole_number_ticks(spec, steps, width):
    """It read 0.0, 122.5, 245.0, 367.5, 490.0 under a descent of 497 steps."""
    from tutor.main import install_runner

    install_runner()
    from tutor.core import runner

    result = runner.default()(Experiment.model_validate({"id": "e", **spec}))
    for plot in result.plots:
        text = to_text(plot, width, 16, ascii=True)
        labels = x_tick_labels(text)
        assert len(labels) >= 3 and all(lab.isdigit() for lab in labels), text
        assert int(labels[0]) == 0 and int(labels[-1]) <= steps, text
        gaps = {int(b) - int(a) for a, b in zip(labels, labels[1:], strict=False)}
        assert len(gaps) == 1 and gaps.pop() in (50, 100, 200), f"evenly spaced at a round step: {labels}"


def test_whole_ticks_are_round_and_inside_the_range():
    from tutor.plots.ranges import whole_ticks

    assert whole_ticks(0, 20000) == [0, 5000, 10000, 15000, 20000]
    assert whole_ticks(-3, 7) == [-2, 0, 2, 4, 6]
    assert whole_ticks(0, 3) == [0, 1, 2, 3]
    assert whole_ticks(2.5, 2.7) == [], "no whole number in range: plotext's own ticks stay"


def test_bars_over_a_narrow_range_have_labels_that_differ():
    """Stuck XOR runs all end near 0.3342: the ticks under the census's bars read 0.334 five times."""
    bars = Plot("final loss of 100 runs", "final loss", "runs", [Series([0.33415 + 0.0001 * k for k in range(10)], [3] * 10, "bar")])
    labels = x_tick_labels(to_text(bars, 78, 14, ascii=True))
    assert len(labels) == 5 and len(set(labels)) == 5, labels


@pytest.mark.parametrize("width", [78, 58])
def test_a_count_with_a_handful_of_points_gets_a_tick_on_each(width):
    """The census's stuck fraction by hidden width: ticks 1 2 3 4 8 under its five points (it read 2 4 6 8)."""
    plot = Plot(title="stuck by width", xlabel="hidden units", ylabel="stuck", xint=True,
                series=[Series([1, 2, 3, 4, 8], [0.3, 0.1, 0.05, 0.0, 0.0], "line", "stuck", "point")])
    assert x_tick_labels(to_text(plot, width, 14, ascii=True)) == ["1", "2", "3", "4", "8"]
