"""The colours of the match picture, defined once for the window and the PDFs.

Three circles (skills & abilities, interests & passion, business needs) and the centre where
all three meet. Each has a colour for light backgrounds (paper, light themes) and one for dark
themes; both are plain ``#rrggbb`` strings so this module needs neither Qt nor reportlab. The
window's Venn widget (``ui/wizard/venn.py``) and the PDF renderer read them from here, so the
circles are the same hue on screen and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from careerdesk.domain.progress import BUSINESS, INTERESTS, SKILLS


@dataclass(frozen=True)
class CircleColour:
    """One circle's stroke colour; its fill is the same colour, mostly transparent."""

    light: str
    dark: str


#: Blue, amber and green: told apart with the common colour-vision deficiencies too.
CIRCLE_COLOURS: dict[str, CircleColour] = {
    SKILLS: CircleColour(light="#3f7fbf", dark="#7fb3e6"),
    INTERESTS: CircleColour(light="#c98a1c", dark="#e8b45a"),
    BUSINESS: CircleColour(light="#4a9a5b", dark="#7cc98c"),
}
#: The centre (all three): the match the conversation looks for.
CENTRE_COLOUR = CircleColour(light="#2f5d8a", dark="#a9c8ec")
#: How opaque a circle's fill is over the background.
FILL_ALPHA = 0.22


def circle_colour(circle: str, *, dark: bool = False) -> str:
    """The ``#rrggbb`` colour of ``circle`` (SKILLS, INTERESTS or BUSINESS)."""
    colour = CIRCLE_COLOURS[circle]
    return colour.dark if dark else colour.light
