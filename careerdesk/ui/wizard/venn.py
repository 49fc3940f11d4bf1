"""The three-circle picture of the match: skills & abilities, interests & passion, business
needs; every item drawn in its overlap, the centre (all three) emphasised.

Drawn with QPainter at any size; the circle colours come from ``careerdesk.domain.palette``
(shared with the PDFs), in their light or dark variant as the theme asks. The drawing is kept as
a pixmap until the size, palette, font, titles or items change: filling three antialiased
translucent circles is the costliest paint of the wizard, and a stage switch repaints it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from careerdesk.domain.model import MatchItem
from careerdesk.domain.palette import FILL_ALPHA, circle_colour
from careerdesk.domain.progress import BUSINESS, CENTRE, INTERESTS, SKILLS, group_by_region
from careerdesk.ui.private_style import lock_icon

CIRCLES = (SKILLS, INTERESTS, BUSINESS)
#: Direction of each circle's centre from the middle of the picture (screen y points down).
ANGLES = {SKILLS: -150.0, INTERESTS: -30.0, BUSINESS: 90.0}


def circle_colours(palette: QPalette) -> dict[str, QColor]:
    """The circles' colours from the one palette the PDFs use too, in the theme's variant."""
    dark = palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5
    return {name: QColor(circle_colour(name, dark=dark)) for name in CIRCLES}


class VennWidget(QWidget):
    """Shows match items in the regions of three overlapping circles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[MatchItem] = []
        self._titles = {SKILLS: "", INTERESTS: "", BUSINESS: ""}
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(self.tr("Match picture"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._picture: QPixmap | None = None
        self._picture_key: tuple[object, ...] = ()

    def set_titles(self, titles: dict[str, str]) -> None:
        self._titles.update(titles)
        self._picture = None
        self.update()

    def set_items(self, items: Sequence[MatchItem]) -> None:
        self._items = [i for i in items if i.text.strip()]
        groups = group_by_region(self._items)
        centre = [i.text for i in groups.get(CENTRE, [])]
        self.setAccessibleDescription(
            self.tr("{0} items placed; where all three meet: {1}").format(
                len(self._items), ", ".join(centre) or self.tr("nothing yet")))
        self._picture = None
        self.update()

    # -- geometry ----------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:  # Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # Qt override
        return int(width * 0.95)

    def sizeHint(self) -> QSize:  # Qt override
        em = self.fontMetrics().horizontalAdvance("M")
        return QSize(em * 36, em * 34)

    def minimumSizeHint(self) -> QSize:  # Qt override
        em = self.fontMetrics().horizontalAdvance("M")
        return QSize(em * 18, em * 17)

    def layout_geometry(self) -> tuple[QPointF, float, float, dict[str, QPointF]]:
        """Middle, radius, centre distance, and each circle's centre for the current size."""
        line = self.fontMetrics().lineSpacing()
        w, h = float(self.width()), float(self.height()) - line * 2.5
        # Three circles of radius r with centres d = 0.6 r from the middle fit in
        # (2 r + 2 d cos 30°) x (2 r + 1.5 d).
        d_ratio = 0.6
        r = min(w / (2 + 2 * d_ratio * math.cos(math.radians(30))), h / (2 + 1.5 * d_ratio))
        r = max(r * 0.97, 10.0)
        d = r * d_ratio
        middle = QPointF(w / 2, line * 1.4 + r + d * 0.5)
        centres = {
            name: QPointF(middle.x() + d * math.cos(math.radians(angle)),
                          middle.y() + d * math.sin(math.radians(angle)))
            for name, angle in ANGLES.items()
        }
        return middle, r, d, centres

    def title_boxes(self, metrics: QFontMetricsF | None = None) -> dict[str, QRectF]:
        """Where each circle's title is written: the two upper titles each keep to their own
        side of the middle (with a gap), so they never overlap however narrow the picture."""
        if metrics is None:
            title_font = QFont(self.font())
            title_font.setBold(True)
            metrics = QFontMetricsF(title_font)
        middle, r, _d, centres = self.layout_geometry()
        gap = metrics.horizontalAdvance("M")
        height = metrics.lineSpacing() * 1.2
        boxes: dict[str, QRectF] = {}
        for name in CIRCLES:
            centre = centres[name]
            if name == BUSINESS:
                width = r * 1.6
                boxes[name] = QRectF(centre.x() - width / 2, centre.y() + r + 2, width, height)
                continue
            top = centre.y() - r - metrics.lineSpacing() * 1.3
            if centre.x() < middle.x():
                left, right = max(0.0, centre.x() - r), middle.x() - gap / 2
            else:
                left, right = middle.x() + gap / 2, min(float(self.width()), centre.x() + r)
            boxes[name] = QRectF(left, top, max(right - left, 1.0), height)
        return boxes

    def anchor(self, region: frozenset[str]) -> QPointF:
        """Where a region's items are written."""
        middle, r, d, _ = self.layout_geometry()
        if region == CENTRE or not region:
            return middle
        if len(region) == 1:
            (name,) = region
            angle, distance = ANGLES[name], d + r * 0.5
        else:
            (other,) = CENTRE - region
            angle, distance = ANGLES[other] + 180.0, d * 1.25
        return QPointF(middle.x() + distance * math.cos(math.radians(angle)),
                       middle.y() + distance * math.sin(math.radians(angle)))

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        ratio = self.devicePixelRatioF()
        key = (self.size(), ratio, self.palette().cacheKey(), self.font().key())
        if self._picture is None or key != self._picture_key:
            picture = QPixmap(self.size() * ratio)
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            self._draw(QPainter(picture))
            self._picture, self._picture_key = picture, key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)
        painter.end()

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        colours = circle_colours(palette)
        _middle, r, _d, centres = self.layout_geometry()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        paths = {}
        for name in CIRCLES:
            path = QPainterPath()
            path.addEllipse(centres[name], r, r)
            paths[name] = path
            fill = QColor(colours[name])
            fill.setAlphaF(FILL_ALPHA)
            painter.setBrush(fill)
            painter.setPen(QPen(colours[name], max(r / 60, 1.5)))
            painter.drawPath(path)
        # The centre, where all three meet, is what the conversation looks for.
        centre_path = paths[SKILLS].intersected(paths[INTERESTS]).intersected(paths[BUSINESS])
        glow = QColor(palette.color(QPalette.ColorRole.Highlight))
        glow.setAlphaF(0.35)
        painter.setBrush(glow)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), max(r / 40, 2.0)))
        painter.drawPath(centre_path)

        # Titles outside the circles.
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        metrics = QFontMetricsF(title_font)
        for name, box in self.title_boxes(metrics).items():
            painter.setPen(text_colour)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter,
                             metrics.elidedText(self._titles[name], Qt.TextElideMode.ElideRight,
                                                box.width()))

        # Items in their regions.
        groups = group_by_region(self._items)
        for region, items in groups.items():
            if not region:
                continue
            emphasised = region == CENTRE
            font = QFont(self.font())
            font.setBold(emphasised)
            if not emphasised:
                font.setPointSizeF(max(font.pointSizeF() * 0.92, 6.0))
            painter.setFont(font)
            fm = QFontMetricsF(font)
            width = r * (0.55 if emphasised or len(region) == 2 else 0.9)
            max_lines = max(int((r * (0.42 if len(region) > 1 else 0.8)) / fm.lineSpacing()), 1)
            lines = [(i.text, i.private) for i in items]
            if len(lines) > max_lines:
                lines = [*lines[: max_lines - 1], (self.tr("+{0} more").format(
                    len(lines) - max_lines + 1), False)]
            anchor = self.anchor(region)
            top = anchor.y() - len(lines) * fm.lineSpacing() / 2
            painter.setPen(text_colour)
            lock = lock_icon()
            for number, (text, private) in enumerate(lines):
                box = QRectF(anchor.x() - width / 2, top + number * fm.lineSpacing(), width,
                             fm.lineSpacing())
                if private:  # the private style's drawn lock before the text
                    side = fm.height()
                    shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, width - side)
                    left = anchor.x() - (fm.horizontalAdvance(shown) + side) / 2
                    lock.paint(painter, QRectF(left, box.top(), side, side).toRect())
                    box = QRectF(left + side, box.top(), width - side, box.height())
                    painter.drawText(box, Qt.AlignmentFlag.AlignLeft
                                     | Qt.AlignmentFlag.AlignVCenter, shown)
                    continue
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter,
                                 fm.elidedText(text, Qt.TextElideMode.ElideRight, width))
        painter.end()
