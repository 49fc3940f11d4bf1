"""Icons: the application icon, and toolbar/menu icons that follow the desktop theme.

Toolbar and menu icons come from the desktop's icon theme when it has them (freedesktop names,
so a KDE or GNOME user sees their own set) and otherwise from the small bundled set in
``resources/icons/actions/``. The bundled SVGs draw in ``currentColor``, which is replaced by the
palette's text colour when the icon is made, so they read on light and dark palettes alike.
Call :func:`theme_icon` again after a ``QEvent.PaletteChange`` to pick up a new palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)

from careerdesk import APP_ID
from careerdesk.assets import resource_path

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer

# Our name -> freedesktop icon names to try, best first. The first names are in the
# freedesktop Icon Naming Specification; the later ones are common in Breeze and Adwaita.
ACTION_ICONS: dict[str, tuple[str, ...]] = {
    "new-conversation": ("document-new", "mail-message-new"),
    "find": ("edit-find", "system-search"),
    "export": ("document-export", "document-send"),
    "preferences": ("preferences-system", "configure", "preferences-other"),
    "person-add": ("contact-new", "list-add-user", "user-new"),
    "lock": ("system-lock-screen", "changes-prevent"),
}

# The sizes the icons are offered at: menus 16, toolbars 22-24, and their 2x for high-DPI.
_RENDER_SIZES = (16, 24, 32, 48)


def _modes() -> tuple[tuple[QIcon.Mode, QPalette.ColorGroup, QPalette.ColorRole], ...]:
    # Built on first use, not at import: PySide6 creates each enum type when first touched,
    # which costs milliseconds the start-up path does not need to pay. Active falls back to
    # Normal in QIcon, so it needs no pixmaps of its own.
    return (
        (QIcon.Mode.Normal, QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText),
        (QIcon.Mode.Selected, QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText),
        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText),
    )


def theme_icon(name: str, *, use_theme: bool = True) -> QIcon:
    """The icon for one of :data:`ACTION_ICONS`' names: the theme's, else the bundled one.

    ``use_theme=False`` always gives the bundled icon (tests, and a user who prefers it).
    """
    try:
        theme_names = ACTION_ICONS[name]
    except KeyError:
        raise ValueError(f"no icon named {name!r}; known: {', '.join(ACTION_ICONS)}") from None
    if use_theme:
        for theme_name in theme_names:
            if QIcon.hasThemeIcon(theme_name):
                return QIcon.fromTheme(theme_name)
    return bundled_icon(name)


def bundled_icon(name: str) -> QIcon:
    """The bundled SVG ``resources/icons/actions/<name>.svg``, drawn in the palette's colours.

    Drawn when Qt first asks for a size and mode, not before: the toolbar's first paint needs one
    pixmap per icon, not all twelve (three modes, four sizes), and start-up pays for each.
    """
    svg = resource_path("icons", "actions", f"{name}.svg").read_text(encoding="utf-8")
    return QIcon(_PaletteSvgEngine(svg))


class _PaletteSvgEngine(QIconEngine):
    """Draws a ``currentColor`` SVG in the palette's colour for the mode, on demand, cached.

    The palette is read when the engine is made, as the eagerly drawn icons did: after a
    ``PaletteChange`` callers ask :func:`theme_icon` for a new icon.
    """

    def __init__(self, svg: str) -> None:
        super().__init__()
        self._svg = svg
        palette = QGuiApplication.palette()
        self._colours = {mode: palette.color(group, role) for mode, group, role in _modes()}
        self._pixmaps: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

    def _colour(self, mode: QIcon.Mode) -> QColor:
        return self._colours.get(mode, self._colours[QIcon.Mode.Normal])

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:  # Qt
        key = (size.width(), size.height(), mode)
        cached = self._pixmaps.get(key)
        if cached is None:
            from PySide6.QtSvg import QSvgRenderer  # only when a bundled icon is drawn

            svg = _recolour(self._svg, self._colour(mode)).encode("utf-8")
            cached = _render(QSvgRenderer(QByteArray(svg)), size)
            self._pixmaps[key] = cached
        return cached

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,  # Qt override
                     scale: float) -> QPixmap:
        # High-DPI: drawn at device pixels, not scaled up from a small one.
        pixmap = QPixmap(self.pixmap(size * scale, mode, state))
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,  # Qt override
              state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, ratio))

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal,  # Qt override
                       state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return [QSize(side, side) for side in _RENDER_SIZES]

    def clone(self) -> QIconEngine:  # Qt override
        twin = _PaletteSvgEngine(self._svg)
        twin._colours = dict(self._colours)
        return twin


def app_icon() -> QIcon:
    """CareerDesk's own icon at every size we ship (for windows, the taskbar and About)."""
    icon = QIcon()
    hicolor = resource_path("icons", "hicolor")
    for png in sorted(hicolor.glob(f"*/apps/{APP_ID}.png")):
        side = int(png.parent.parent.name.split("x", 1)[0])
        icon.addFile(str(png), QSize(side, side))
    if icon.isNull():  # a trimmed install: the desktop may still know it
        return QIcon.fromTheme(APP_ID)
    return icon


def _recolour(svg: str, colour: QColor) -> str:
    return svg.replace("currentColor", colour.name(QColor.NameFormat.HexRgb))


def _render(renderer: QSvgRenderer, size: QSize) -> QPixmap:
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return QPixmap.fromImage(image)
