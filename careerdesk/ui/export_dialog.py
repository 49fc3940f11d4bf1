"""The export preview and the export running off the UI thread.

``ExportPreviewDialog`` shows exactly what a document will hold and what it leaves out (from the
pure :func:`careerdesk.export.data.share_preview`), and lets the user pick the paper size
before anything is written. ``ExportJob`` renders a built document in a worker thread with
progress and cancel; ``run_export_with_progress`` ties it to a progress dialog.

The document data is built on the UI thread (it reads the journal through the services); only
the rendering, which needs nothing but that data, runs in the worker. The caller chooses the
target file (through ``ui/dialogs.py``) and shows errors; this module opens no message box.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from careerdesk.errors import CareerDeskError, ExportCancelledError
from careerdesk.export.data import AnyDoc, share_preview
from careerdesk.ui.plurals import counted

Paper = Literal["a4", "letter"]


class ExportPreviewDialog(QDialog):
    """Before a PDF is written: what will be in it, what is left out, which paper."""

    def __init__(self, doc: AnyDoc, parent: QWidget | None = None, *,
                 paper: Paper = "a4",
                 rebuild: Callable[..., AnyDoc] | None = None,
                 date_range: bool = False) -> None:
        """``rebuild(include_private)`` (record and book only) adds the private-notes box;
        with ``date_range`` (the book) it is called as ``rebuild(include_private, date_from,
        date_to)`` and the dialog offers the dates."""
        super().__init__(parent)
        self.doc = doc
        self._rebuild = rebuild
        self.date_from: QDateEdit | None = None
        self.date_to: QDateEdit | None = None
        self.setWindowTitle(f"Export: {doc.meta.kind}")
        layout = QVBoxLayout(self)

        intro = QLabel(f"<b>{_escape(doc.meta.title)}</b>")
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        self.private_check: QCheckBox | None = None
        if rebuild is not None:
            self.private_check = QCheckBox("Include &private notes (each marked PRIVATE)")
            self.private_check.setAccessibleName("Include private notes")
            self.private_check.setChecked(bool(getattr(doc, "include_private", False)))
            self.private_check.toggled.connect(self._private_toggled)
            layout.addWidget(self.private_check)
        self.warning = QLabel("This file will contain private notes. Do not share it.")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Private notes warning")
        layout.addWidget(self.warning)

        layout.addWidget(QLabel("Will be in the PDF:"))
        self.shared_list = QListWidget()
        self.shared_list.setAccessibleName("What will be shared")
        layout.addWidget(self.shared_list, 3)

        layout.addWidget(QLabel("Left out:"))
        self.left_out_list = QListWidget()
        self.left_out_list.setAccessibleName("What is left out")
        layout.addWidget(self.left_out_list, 1)
        self._fill()

        form = QFormLayout()
        if date_range and rebuild is not None:
            today = QDate.currentDate()
            self.from_check = QCheckBox("&From")
            self.from_check.setAccessibleName("Limit the first day")
            self.date_from = QDateEdit(today.addYears(-1))
            self.date_from.setAccessibleName("First day")
            self.to_check = QCheckBox("&To")
            self.to_check.setAccessibleName("Limit the last day")
            self.date_to = QDateEdit(today)
            self.date_to.setAccessibleName("Last day")
            for check, edit in ((self.from_check, self.date_from), (self.to_check, self.date_to)):
                edit.setCalendarPopup(True)
                edit.setDisplayFormat("yyyy-MM-dd")
                edit.setEnabled(False)
                check.toggled.connect(edit.setEnabled)
                check.toggled.connect(lambda _on: self._range_changed())
                edit.dateChanged.connect(lambda _d: self._range_changed())
                form.addRow(check, edit)
        self.paper_box = QComboBox()
        self.paper_box.setAccessibleName("Paper size")
        self.paper_box.addItem("A4", "a4")
        self.paper_box.addItem("Letter", "letter")
        self.paper_box.setCurrentIndex(0 if paper == "a4" else 1)
        form.addRow("&Paper:", self.paper_box)
        layout.addLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export PDF…",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def _fill(self) -> None:
        shared, left_out = share_preview(self.doc)
        # The counted lines in the user's language and number ("1 private answer").
        counts = self.doc.left_out
        left_out = [counted("share_preview", f"%n {item.label}", item.count)
                    for item in counts] + left_out[len(counts):]
        self.shared_list.clear()
        self.shared_list.addItems(shared)
        self.left_out_list.clear()
        self.left_out_list.addItems(left_out or ["Nothing"])
        self.warning.setVisible(bool(getattr(self.doc, "include_private", False)))

    def selected_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The book's first and last day (None: no limit on that side)."""
        first = (self.date_from.date().toPython()
                 if self.date_from is not None and self.date_from.isEnabled() else None)
        last = (self.date_to.date().toPython()
                if self.date_to is not None and self.date_to.isEnabled() else None)
        return first, last  # type: ignore[return-value]

    def _build(self) -> None:
        if self._rebuild is None:
            return
        include = self.private_check is not None and self.private_check.isChecked()
        try:
            if self.date_from is not None:
                self.doc = self._rebuild(include, *self.selected_range())
            else:
                self.doc = self._rebuild(include)
        except CareerDeskError as exc:  # e.g. the first day after the last
            self.left_out_list.clear()
            self.shared_list.clear()
            self.shared_list.addItem(exc.user_message)
            self.export_button.setEnabled(False)
            return
        self.export_button.setEnabled(True)
        self._fill()

    def _range_changed(self) -> None:
        self._build()

    @Slot(bool)
    def _private_toggled(self, include: bool) -> None:
        self._build()

    @property
    def paper(self) -> Paper:
        return "letter" if self.paper_box.currentData() == "letter" else "a4"


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


class ExportJob(QObject):
    """Renders one document to a file in a worker thread. Signals say what happened.

    The worker is a plain Python thread that touches no Qt object: it only updates a progress
    fraction and, at the end, an outcome. A timer on the UI thread polls them and emits the
    signals there, so no signal crosses threads and no QObject lives in the worker. (This also
    keeps Python-side ``emit`` calls few: PySide6 6.12.0 leaks a reference to ``True`` on every
    ``emit`` on Python 3.11, which crashes the process after several hundred; see the export
    branch's report.)
    """

    progress_changed = Signal(int)  # 0..100, only when the whole percentage changes
    export_finished = Signal(str)  # the path written
    export_failed = Signal(str)  # a message for the user
    export_cancelled = Signal()

    def __init__(self, doc: AnyDoc, out: Path, *, paper: Paper = "a4",
                 poll_ms: int = 40) -> None:
        super().__init__()
        self._doc = doc
        self._out = out
        self._paper: Paper = paper
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._fraction = 0.0
        self._shown = -1
        self._outcome: tuple[str, str] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._poll)
        self.progress_dialog: QProgressDialog | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="careerdesk-export")
        self._thread.start()
        self._timer.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        """Blocks until the worker ends (the signals still need the event loop)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _set_progress(self, fraction: float) -> None:  # worker thread
        self._fraction = fraction

    def _run(self) -> None:  # worker thread: no Qt here
        from careerdesk.services.exporting import ExportService

        outcome: tuple[str, str]
        try:
            ExportService.write(self._doc, self._out, paper=self._paper,
                                progress=self._set_progress, cancelled=self._cancel.is_set)
        except ExportCancelledError:
            outcome = ("cancelled", "")
        except CareerDeskError as exc:
            outcome = ("failed", str(exc))
        except Exception as exc:  # a bug: tell the user plainly, never with note text
            outcome = ("failed", f"The export failed unexpectedly ({type(exc).__name__}).")
        else:
            outcome = ("done", str(self._out))
        self._outcome = outcome

    @Slot()
    def _poll(self) -> None:
        percent = round(self._fraction * 100)
        if percent != self._shown:
            self._shown = percent
            self.progress_changed.emit(percent)
        if self._outcome is None:
            return
        self._timer.stop()
        kind, detail = self._outcome
        if kind == "done":
            self.export_finished.emit(detail)
        elif kind == "cancelled":
            self.export_cancelled.emit()
        else:
            self.export_failed.emit(detail)


def run_export_with_progress(doc: AnyDoc, out: Path, parent: QWidget | None = None, *,
                             paper: Paper = "a4") -> ExportJob:
    """Starts the export with a modal progress dialog whose Cancel stops it; returns the job.

    Connect to the job's ``export_finished`` / ``export_failed`` to tell the user the outcome.
    """
    job = ExportJob(doc, out, paper=paper)
    job.setParent(parent)
    dialog = QProgressDialog(f"Writing {out.name}…", "Cancel", 0, 100, parent)
    dialog.setWindowTitle(f"Export: {doc.meta.kind}")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job.progress_changed.connect(dialog.setValue)
    dialog.canceled.connect(job.cancel)
    for signal in (job.export_finished, job.export_failed):
        signal.connect(dialog.close)
    job.export_cancelled.connect(dialog.close)
    job.progress_dialog = dialog  # the caller keeps the job, the job keeps its dialog
    job.start()
    return job
