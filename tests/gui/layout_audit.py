"""Checks a window as a user sees it: nothing narrower than it needs, no sideways scrolling.

Used by tests/gui/test_layouts.py in-process (1024x700, 1366x768) and as a script in a child
process for 200 % scaling (QT_SCALE_FACTOR=2 on an offscreen 1600x1000 screen), where the
scale factor must be set before Qt starts:

    python -m tests.gui.layout_audit JOURNAL  -> one JSON object {view: [problems]}
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QWidget,
)

#: What a view's audit looks at: The match, Make a plan and Today.
VIEWS = ("match", "plan", "today")
#: The narrowest a table's text column may be and still show a few words.
USABLE_TEXT_COLUMN_EM = 12


def _name(widget: QWidget) -> str:
    return (f"{type(widget).__name__}"
            f"({widget.accessibleName() or widget.objectName() or getattr(widget, 'text', str)()})")


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def audit(root: QWidget) -> list[str]:
    """What in ``root`` is cut: fields, buttons, labels and header sections narrower than
    their size hint, and horizontal scroll bars that are showing."""
    problems: list[str] = []
    for widget in root.findChildren(QWidget):
        if not _shown(widget) or widget.objectName().startswith("qt_"):
            continue  # hidden, or a part of a Qt widget sized by that widget (spin box edit)
        if isinstance(widget, QAbstractButton) and isinstance(widget.parentWidget(), QLineEdit):
            continue  # a line edit's own action button (the date field's calendar), sized by it
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            problems.append(f"{_name(widget)} scrolls sideways")
        if isinstance(widget, QLabel) and (not widget.text() or widget.wordWrap()):
            # A wrapping label may take any width down to its longest word.
            if widget.width() < widget.minimumSizeHint().width():
                problems.append(f"{_name(widget)} is {widget.width()} wide, its longest "
                                f"word needs {widget.minimumSizeHint().width()}")
            continue
        if isinstance(widget, QLabel | QLineEdit | QComboBox | QAbstractButton
                      | QAbstractSpinBox):
            hint = widget.sizeHint().width()
            if widget.width() < hint:
                problems.append(f"{_name(widget)} is {widget.width()} wide, needs {hint}")
        if isinstance(widget, QHeaderView) and widget.orientation().name == "Horizontal":
            for logical in range(widget.count()):
                if widget.isSectionHidden(logical):
                    continue
                size, hint = widget.sectionSize(logical), widget.sectionSizeHint(logical)
                if widget.sectionResizeMode(logical) == QHeaderView.ResizeMode.Stretch:
                    # The column that takes the spare width holds the text: a few words.
                    hint = max(hint, USABLE_TEXT_COLUMN_EM
                               * widget.fontMetrics().horizontalAdvance("M"))
                if size < hint:
                    label = widget.model().headerData(logical, widget.orientation())
                    problems.append(f"header {label!r} of {_name(widget.parentWidget())} is "
                                    f"{size} wide, needs {hint}")
    return problems


def open_views(window: object, app: QApplication, *,
               more: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Opens a demo conversation's The match and Make a plan, then Today, and audits each;
    ``more`` adds other stages (by id) and views (by key, e.g. ``"view:timeline"``)."""
    from careerdesk.domain.model import StageId
    from careerdesk.ui.journal_views import install_views

    install_views(window, notify=False)  # type: ignore[arg-type]
    services = window.services  # type: ignore[attr-defined]
    person = next(s.person for s in services.people.summaries()
                  if not s.person.is_me and s.conversations > 1)
    window.open_person(person.id)  # type: ignore[attr-defined]
    conversation = services.conversations.list_for(person.id)[0]
    window.open_conversation(conversation.id)  # type: ignore[attr-defined]
    wizard = window.wizard  # type: ignore[attr-defined]
    found: dict[str, list[str]] = {}
    stages = [("match", StageId.MATCH), ("plan", StageId.PLAN)]
    stages += [(name, StageId(name)) for name in more if not name.startswith("view:")]
    for view, stage in stages:
        wizard.go_to(stage)
        settle(app)
        found[view] = audit(window)  # type: ignore[arg-type]
    for view, key in [("today", "dashboard")] + [(n, n.removeprefix("view:")) for n in more
                                                 if n.startswith("view:")]:
        window.show_view(key)  # type: ignore[attr-defined]
        settle(app)
        found[view] = audit(window)  # type: ignore[arg-type]
    return found


#: Every other stage, and the views besides Today.
OTHER_STAGES = ("prepare", "current_role", "future_roles", "reflect", "summary")
OTHER_VIEWS = ("view:journal", "view:timeline", "view:plan", "view:search")


def settle(app: QApplication) -> None:
    # Layouts are applied by posted events; the pages fit their inner widget on a zero timer.
    for _ in range(4):
        app.processEvents()
        app.sendPostedEvents()


def main(argv: list[str]) -> int:
    """In a child process: the window as the user first gets it on this screen."""
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal
    from careerdesk.ui.application import make_application
    from careerdesk.ui.main_window import MainWindow

    journal = Path(argv[0])
    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(journal_path=journal, settings=settings)
        window.show()
        window.attach(Services(open_journal(journal)), ask_first_start=False)
        settle(app)
        screen = app.primaryScreen().availableGeometry()
        found = open_views(window, app, more=OTHER_STAGES)
        found["window"] = ([] if window.frameGeometry().width() <= screen.width()
                           else [f"window {window.width()} wide on a {screen.width()} screen"])
        window.close_journal()
        print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
