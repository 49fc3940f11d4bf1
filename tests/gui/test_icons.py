"""Toolbar icons exist for every action and the application icon has every shipped size."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication, QIcon, QPalette
from pytestqt.qtbot import QtBot

from careerdesk.ui.icons import ACTION_ICONS, app_icon, bundled_icon, theme_icon

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("name", sorted(ACTION_ICONS))
def test_every_action_has_an_icon(qtbot: QtBot, name: str) -> None:
    assert not theme_icon(name).isNull()
    icon = theme_icon(name, use_theme=False)
    assert not icon.pixmap(24, 24).isNull()


def test_bundled_icon_is_drawn_in_the_palette_text_colour(qtbot: QtBot) -> None:
    icon = bundled_icon("lock")
    image = icon.pixmap(48, 48).toImage()
    opaque = {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }
    text = QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()
    assert opaque == {text}


def test_unknown_icon_name_is_a_programming_error(qtbot: QtBot) -> None:
    with pytest.raises(ValueError, match="no icon named"):
        theme_icon("no-such-icon")


def test_app_icon_has_small_and_large_sizes(qtbot: QtBot) -> None:
    icon = app_icon()
    sizes = {size.width() for size in icon.availableSizes(QIcon.Mode.Normal)}
    assert {16, 32, 48, 256, 512} <= sizes


def test_bundled_icon_is_sharp_on_high_dpi_screens(qtbot: QtBot) -> None:
    from PySide6.QtCore import QSize

    pixmap = bundled_icon("find").pixmap(QSize(24, 24), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(48, 48)  # drawn at device pixels, not scaled up


def test_bundled_icon_outlives_the_python_objects_that_made_it(qtbot: QtBot) -> None:
    import gc

    copy = QIcon(bundled_icon("person-add"))
    gc.collect()
    assert not copy.pixmap(16, 16).isNull()
    assert {s.width() for s in copy.availableSizes()} == {16, 24, 32, 48}
