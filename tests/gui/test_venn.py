"""The Venn widget's circles take the one palette the PDFs use (issue 18: pink on screen,
orange on paper)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from careerdesk.domain.palette import circle_colour
from careerdesk.ui.wizard.venn import CIRCLES, VennWidget, circle_colours


def test_circles_use_the_shared_palette_in_light_and_dark(qtbot: QtBot) -> None:
    widget = VennWidget()
    qtbot.addWidget(widget)
    light = QPalette(widget.palette())
    light.setColor(QPalette.ColorRole.Window, QColor("#fafafa"))
    dark = QPalette(widget.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    for palette, is_dark in ((light, False), (dark, True)):
        colours = circle_colours(palette)
        assert {n: c.name() for n, c in colours.items()} == {
            n: circle_colour(n, dark=is_dark) for n in CIRCLES}
