"""One palette for the match circles: three distinct colours, light and dark."""

from __future__ import annotations

from careerdesk.domain.palette import CIRCLE_COLOURS, circle_colour
from careerdesk.domain.progress import BUSINESS, INTERESTS, SKILLS


def test_each_circle_has_its_own_colour_in_each_theme() -> None:
    for dark in (False, True):
        colours = [circle_colour(c, dark=dark) for c in (SKILLS, INTERESTS, BUSINESS)]
        assert len(set(colours)) == 3
        assert all(c.startswith("#") and len(c) == 7 for c in colours)
    assert set(CIRCLE_COLOURS) == {SKILLS, INTERESTS, BUSINESS}


def test_the_window_and_the_pdf_use_the_same_colours() -> None:
    from careerdesk.export.renderer import CIRCLE_COLOURS as PDF_COLOURS

    assert tuple(circle_colour(c) for c in (SKILLS, INTERESTS, BUSINESS)) == PDF_COLOURS
