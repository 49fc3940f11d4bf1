"""Layout breakpoints: the widths at which the window's parts change their arrangement.

Defined once, here, in ems of the widget's font (the width of "M"), so they hold at any
scaling: at 200 % a 1600 px screen is 800 logical pixels and the font is as many ems as at
100 % on an 800 px one. Each breakpoint is the width the wide arrangement needs to show
everything at its size hint; below it the part takes its narrow arrangement.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

#: Qt's "no maximum" for a widget's size (QWIDGETSIZE_MAX, not exported by PySide6's stubs).
QWIDGETSIZE_MAX = (1 << 24) - 1

#: Below this window width the people list folds away while a conversation is open
#: (View ▸ People list brings it back).
ROSTER_FOLDS_EM = 120
#: Below this width of the wizard its stage list moves above the page, in rows.
STAGES_ON_TOP_EM = 95
#: Below this page width The match puts its circle picture under the lists.
CIRCLES_BESIDE_EM = 82
#: Below this page width Make a plan shows the support and horizon of the selected step under
#: the table instead of in their own columns.
PLAN_ALL_COLUMNS_EM = 100
#: Below this width Today shows its panels in one column.
TODAY_TWO_COLUMNS_EM = 90
#: The people list's width when it is shown: enough for a name and the badges.
ROSTER_EM = (16, 24)


def em(widget: QWidget) -> int:
    """The width of "M" in ``widget``'s font, in logical pixels."""
    return max(1, widget.fontMetrics().horizontalAdvance("M"))


def narrower_than(widget: QWidget, width: int, breakpoint_em: int) -> bool:
    """Whether ``width`` (logical pixels) is below ``breakpoint_em`` of ``widget``'s font."""
    return width < breakpoint_em * em(widget)
