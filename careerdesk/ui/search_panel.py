"""Search across the whole journal: a query box, filters, ranked results with matched words.

The user's text is escaped before it becomes rich text; matched words are drawn from the spans
the search service returns, never from markup inside the text. Searching runs as you type
(debounced); Ctrl+F is the main window's and lands in :meth:`SearchPanel.focus_query`.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from careerdesk.errors import CareerDeskError
from careerdesk.ui import dialogs
from careerdesk.ui.journal_view import from_qdate, to_qdate
from careerdesk.ui.private_style import private_mark_html

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.services.search import Highlighted, SearchHit

AnyIndex = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
DEBOUNCE_MS = 250

KIND_CHOICES = (
    ("entry", "Journal entries"), ("answer", "Answers"), ("note", "Notes"),
    ("match_item", "Match items"), ("action", "Next steps"), ("conversation", "Conversations"),
    ("person", "People"), ("prompt", "Own questions"),
)


def highlighted_html(text: Highlighted) -> str:
    """Escaped rich text with the matched words in bold (no user markup survives)."""
    return "".join(
        f"<b>{html.escape(piece)}</b>" if matched else html.escape(piece)
        for piece, matched in text.parts()
    ).replace("\n", " ")


def hit_html(hit: SearchHit) -> str:
    date = hit.date.isoformat() if hit.date else ""
    head = " · ".join(html.escape(p) for p in (date, hit.kind_label, hit.person_name) if p)
    if hit.private:
        head += " · " + private_mark_html()
    lines = [f"<small>{head}</small>"]
    if hit.title.text.strip():
        lines.append(highlighted_html(hit.title))
    if hit.snippet.text.strip():
        lines.append(f"<span>{highlighted_html(hit.snippet)}</span>")
    if hit.tags:
        lines.append("<small>" + html.escape(", ".join("#" + t for t in hit.tags)) + "</small>")
    return "<br>".join(lines)


class SearchResultsModel(QAbstractListModel):
    """Ranked search hits, best first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = hit.title.text.strip() or hit.snippet.text.strip()
            return f"{hit.kind_label}, {hit.person_name}: {text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet.text or hit.title.text
        if role == HTML_ROLE:
            return hit_html(hit)
        if role == HIT_ROLE:
            return hit
        return None


class RichTextDelegate(QStyledItemDelegate):
    """Draws the escaped HTML of ``HTML_ROLE`` in the palette's colours (light or dark)."""

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(HTML_ROLE) or ""))
        width = option.rect.width() - 8 if option.rect.width() > 0 else 600
        document.setTextWidth(max(width, 100))
        return document

    def paint(  # Qt override
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter,
                          option.widget)
        document = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        rect = option.rect
        painter.translate(rect.left() + 4, rect.top() + 2)
        painter.setClipRect(QRectF(0, 0, rect.width() - 4, rect.height() - 2))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # Qt override
        self.initStyleOption(option, index)
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 6)


class SearchPanel(QWidget):
    """Find anything: results open where they were written."""

    person_requested = Signal(str)
    conversation_requested = Signal(str)
    entry_requested = Signal(str)
    action_requested = Signal(str, str)  # person id, action id (the plan)
    searched = Signal(int)  # number of hits, after each search

    def __init__(self, services: Services | None = None, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchPanel")
        self.services: Services | None = None
        self._build()
        if services is not None:
            self.set_services(services)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText(self.tr("Search notes, answers, plans, journal…"))
        self.query_edit.setAccessibleName(self.tr("Search"))
        self.query_edit.setClearButtonEnabled(True)
        layout.addWidget(self.query_edit)
        filters = QHBoxLayout()
        self.person_combo = QComboBox(self)
        self.person_combo.setAccessibleName(self.tr("Only about this person"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("Only this kind of record"))
        self.kind_combo.addItem(self.tr("Everything"), None)
        for kind, label in KIND_CHOICES:
            self.kind_combo.addItem(self.tr(label), kind)
        self.tag_combo = QComboBox(self)
        self.tag_combo.setAccessibleName(self.tr("Only entries with this tag"))
        self.from_check = QCheckBox(self.tr("From"), self)
        self.from_edit = QDateEdit(self)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setAccessibleName(self.tr("From date"))
        self.to_check = QCheckBox(self.tr("To"), self)
        self.to_edit = QDateEdit(self)
        self.to_edit.setDisplayFormat("yyyy-MM-dd")
        self.to_edit.setCalendarPopup(True)
        self.to_edit.setAccessibleName(self.tr("To date"))
        today = dt.date.today()
        self.from_edit.setDate(to_qdate(today - dt.timedelta(days=365)))
        self.to_edit.setDate(to_qdate(today))
        self.private_check = QCheckBox(self.tr("Include private"), self)
        self.private_check.setChecked(True)
        # Two rows (what, then when): one row was wider than a laptop window at 200 %.
        dates = QHBoxLayout()
        for row, widgets in ((filters, (self.person_combo, self.kind_combo, self.tag_combo)),
                             (dates, (self.from_check, self.from_edit, self.to_check,
                                      self.to_edit, self.private_check))):
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
            layout.addLayout(row)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status_label)
        self.model = SearchResultsModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.query_edit.textChanged.connect(lambda _t: self._timer.start())
        self.query_edit.returnPressed.connect(self.run_search)
        for combo in (self.person_combo, self.kind_combo, self.tag_combo):
            combo.currentIndexChanged.connect(lambda _i: self.run_search())
        for check in (self.from_check, self.to_check, self.private_check):
            check.toggled.connect(lambda _c: self.run_search())
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self.run_search())
        self.results.activated.connect(self._activated)

    def set_services(self, services: Services) -> None:
        self.services = services
        self.refresh_filters()
        self.model.set_hits([])

    def refresh_filters(self) -> None:
        """Reload the people and tags offered as filters (after people or tags change)."""
        if self.services is None:
            return
        for combo in (self.person_combo, self.tag_combo):
            combo.blockSignals(True)
        person, tag = self.person_combo.currentData(), self.tag_combo.currentData()
        self.person_combo.clear()
        self.person_combo.addItem(self.tr("Everyone"), None)
        for p in self.services.people.list(include_archived=True):
            self.person_combo.addItem(self.tr("Me") if p.is_me else p.name, p.id)
        self.tag_combo.clear()
        self.tag_combo.addItem(self.tr("Any tag"), None)
        for name in self.services.entries.tags():
            self.tag_combo.addItem("#" + name, name)
        self.person_combo.setCurrentIndex(max(self.person_combo.findData(person), 0))
        self.tag_combo.setCurrentIndex(max(self.tag_combo.findData(tag), 0))
        for combo in (self.person_combo, self.tag_combo):
            combo.blockSignals(False)

    def focus_query(self) -> None:
        """Ctrl+F lands here: the query box, its text selected."""
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def run_search(self) -> None:
        self._timer.stop()
        if self.services is None:
            return
        query = self.query_edit.text()
        if not query.strip():
            self.model.set_hits([])
            self.status_label.setText("")
            self.searched.emit(0)
            return
        kind = self.kind_combo.currentData()
        try:
            hits = self.services.search.search(
                query,
                person_id=self.person_combo.currentData(),
                kinds=None if kind is None else [kind],
                tag=self.tag_combo.currentData(),
                since=from_qdate(self.from_edit.date()) if self.from_check.isChecked() else None,
                until=from_qdate(self.to_edit.date()) if self.to_check.isChecked() else None,
                include_private=self.private_check.isChecked(),
            )
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Search"), exc.user_message, detail=exc.hint)
            return
        self.model.set_hits(hits)
        self.status_label.setText(
            self.tr("No matches.") if not hits else self.tr("%n matches", "", len(hits))
        )
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.searched.emit(len(hits))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_hit(self.model.hit(index.row()))

    def open_hit(self, hit: SearchHit) -> None:
        """Open a result where it was written."""
        if hit.kind == "entry":
            self.entry_requested.emit(hit.record_id)
        elif hit.kind == "action" and hit.person_id:
            self.action_requested.emit(hit.person_id, hit.record_id)
        elif hit.conversation_id and hit.kind != "person":
            self.conversation_requested.emit(hit.conversation_id)
        elif hit.person_id:
            self.person_requested.emit(hit.person_id)
