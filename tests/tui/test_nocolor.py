"""Under NO_COLOR every shade is grey: the highlighted option of a list must still stand out (it was
grey 236 on 234 in the Ctrl+P palette), in the catalog, the palette and a question's choices."""

from __future__ import annotations

from textual.color import Color

from tests.tui.helpers import make_app, press, screen_text, wait_for


def shade(app, row_text: str) -> float:
    """The brightness (0 black .. 1 white) of the background behind the screen row showing ``row_text``."""
    rows = list(app.screen._compositor.render_strips())
    for strip in rows:
        if row_text in strip.text:
            cells = [(len(seg.text), seg.style.bgcolor) for seg in strip if seg.style and seg.style.bgcolor and seg.text.strip()]
            width, colour = max(cells, key=lambda c: c[0])  # the colour behind most of the row's text
            return Color.from_rich_color(colour).brightness
    raise AssertionError(f"no row with {row_text!r} on screen:\n{screen_text(app)}")


def stands_out(app, highlighted: str, other: str) -> bool:
    return abs(shade(app, highlighted) - shade(app, other)) >= 0.5


async def test_the_highlighted_option_stands_out_without_colour(tutor_home, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tutor_home, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "Next: How the tutor works")
        await press(pilot, "down", "down")
        assert stands_out(app, "Linear regression really is a bowl", "MSE is a parabola"), "the catalog's highlight"
        await press(pilot, "ctrl+p")
        await wait_for(pilot, "Search for commands")
        await press(pilot, "down")
        text = screen_text(app)
        assert "Keys and how to answer" in text and "Show help for the focused widget" in text, text
        assert stands_out(app, "Show help for the focused widget", "Keys and how to answer"), "the palette's highlight"
        await press(pilot, "escape")


async def test_a_highlighted_choice_stands_out_without_colour(tutor_home, monkeypatch):
    from tests.tui.helpers import type_answer, until

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tutor_home, lesson="tour", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "step 1 of 8")
        await press(pilot, "n")
        await wait_for(pilot, "-1, 1")
        await press(pilot, "enter")
        await type_answer(pilot, "2")
        await press(pilot, "enter")
        await type_answer(pilot, "1, -1")
        await press(pilot, "enter")
        await until(pilot, lambda: "1. A minimum" in screen_text(app), "the choices")
        await press(pilot, "down")
        assert stands_out(app, "2. A maximum", "1. A minimum")
