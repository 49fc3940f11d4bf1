"""The export preview and the export off the UI thread, with progress and Cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from careerdesk.export import data
from careerdesk.ui import dialogs
from careerdesk.ui.export_dialog import ExportJob, ExportPreviewDialog, run_export_with_progress
from tests.unit.export.samples import PRIVATE, SHARED, TEXTS, sample_journal

pytestmark = pytest.mark.gui
_REAL_FILE_SAVED = dialogs.file_saved  # before a fixture replaces it
TODAY = dt.date(2026, 11, 25)


def _plan() -> data.SharedPlanDoc:
    j = sample_journal()
    p0 = j.parts[0]
    return data.build_shared_plan(j.person, conversation=p0.conversation,
                                  match_items=p0.match_items, actions=j.actions,
                                  author="Sam", exported_on=TODAY)


def _book(*, include_private: bool = True) -> data.PersonBookDoc:
    j = sample_journal(conversations=4)
    return data.build_person_book(j.person, conversations=j.parts, actions=j.actions,
                                  entries=j.entries, texts=TEXTS,
                                  include_private=include_private, author="Sam",
                                  exported_on=TODAY)


def _items(widget: object) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]  # type: ignore[attr-defined]


def test_preview_lists_what_is_shared_and_left_out(qtbot: QtBot) -> None:
    dialog = ExportPreviewDialog(_plan(), paper="letter")
    qtbot.addWidget(dialog)
    shared = _items(dialog.shared_list)
    left_out = _items(dialog.left_out_list)
    assert any(SHARED in line for line in shared)
    assert not any(PRIVATE in line for line in shared + left_out)
    assert any("private next steps" in line for line in left_out)
    assert dialog.paper == "letter"


def test_job_writes_the_file_off_the_ui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "book.pdf"
    job = ExportJob(_book(), out)
    seen: list[int] = []
    job.progress_changed.connect(seen.append)
    with qtbot.waitSignal(job.export_finished, timeout=60_000) as finished:
        job.start()
    job.wait()
    assert finished.args == [str(out)]
    assert out.read_bytes().startswith(b"%PDF")
    assert seen
    assert seen[-1] == 100


def test_cancel_leaves_no_file(qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "book.pdf"
    job = ExportJob(_book(), out)
    job.cancel()  # cancelled before the first flowable is laid out
    with qtbot.waitSignal(job.export_cancelled, timeout=60_000):
        job.start()
    job.wait()
    assert list(tmp_path.iterdir()) == [] or [p.name for p in tmp_path.iterdir()] == ["home"]


def test_failure_is_reported_as_a_message(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    job = ExportJob(_plan(), blocker / "plan.pdf")
    with qtbot.waitSignal(job.export_failed, timeout=60_000) as failed:
        job.start()
    job.wait()
    assert "is not a folder" in failed.args[0]


def test_progress_dialog_cancel_button_stops_the_export(qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "book.pdf"
    job = run_export_with_progress(_book(), out)
    with qtbot.waitSignal(job.export_cancelled, timeout=60_000):
        job.cancel()
    job.wait()
    assert not out.exists()


# -- the window's export actions -------------------------------------------------------------

def _window_with_conversation(make_window: object, journal_path: Path) -> tuple[object, str]:
    from careerdesk.domain.model import StageId
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal

    with open_journal(journal_path) as journal:
        services = Services(journal)
        bea = services.people.find("Bea Stone")
        conv = services.conversations.start(bea.id, dt.date(2026, 3, 3))
        services.conversations.add_match_item(conv.id, f"{SHARED} match", in_skills=True,
                                              in_interests=True, in_business=True)
        services.conversations.set_note(conv.id, StageId.CURRENT_ROLE,
                                        text=f"{PRIVATE} note", private=True)
        services.plan.add(bea.id, f"{SHARED} step", conversation_id=conv.id)
        services.plan.add(bea.id, f"{PRIVATE} step", conversation_id=conv.id, private=True)
    window = make_window(journal_path)  # type: ignore[operator]
    return window, conv.id


def test_file_menu_exports_the_shared_plan_of_the_open_conversation(
        qtbot: QtBot, tmp_path: Path, make_window: object, journal_path: Path,
        no_dialogs: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    from careerdesk.ui import dialogs
    from careerdesk.ui.export_dialog import ExportPreviewDialog
    from tests.gui.conftest import accept_dialogs
    from tests.unit.export.pdfcheck import read_pdf

    window, conv_id = _window_with_conversation(make_window, journal_path)
    window.open_conversation(conv_id)  # type: ignore[attr-defined]
    previews = accept_dialogs(monkeypatch)
    target = tmp_path / "out" / "plan"
    target.parent.mkdir()
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: target)
    actions = window.export_actions  # type: ignore[attr-defined]
    from careerdesk.domain.model import StageId

    summary = window.wizard.page(StageId.SUMMARY)  # type: ignore[attr-defined]
    assert summary.export_bar.count() == 2  # shared plan and record buttons on Summary
    assert window.export_menu.menuAction().isVisible()  # type: ignore[attr-defined]
    assert actions.actions["plan"].isEnabled()
    actions.actions["plan"].trigger()
    qtbot.waitUntil(lambda: any(title == "Export" for title, _ in no_dialogs), timeout=60_000)
    written = target.with_name("plan.pdf")
    assert written.exists()
    assert isinstance(previews[0], ExportPreviewDialog)
    assert previews[0].private_check is None  # a shared plan offers no private notes
    pdf = read_pdf(written)
    assert pdf.has(f"{SHARED} match")
    assert pdf.lacks(PRIVATE)
    assert pdf.metadata["/Author"] == "Alex"


def test_record_with_the_private_box_ticked(
        qtbot: QtBot, tmp_path: Path, make_window: object, journal_path: Path,
        no_dialogs: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    from careerdesk.ui import dialogs
    from tests.gui.conftest import accept_dialogs
    from tests.unit.export.pdfcheck import read_pdf

    window, conv_id = _window_with_conversation(make_window, journal_path)
    window.open_conversation(conv_id)  # type: ignore[attr-defined]

    def tick(dialog: object) -> None:
        dialog.private_check.setChecked(True)  # type: ignore[attr-defined]
        assert dialog.warning.isVisibleTo(dialog)  # type: ignore[attr-defined]

    accept_dialogs(monkeypatch, tick)  # type: ignore[arg-type]
    target = tmp_path / "record.pdf"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: target)
    window.export_actions.actions["record"].trigger()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: any(title == "Export" for title, _ in no_dialogs), timeout=60_000)
    assert read_pdf(target).has(f"PRIVATE{PRIVATE}")


def test_book_preview_offers_a_date_range(qtbot: QtBot) -> None:
    calls: list[tuple[bool, dt.date | None, dt.date | None]] = []

    def rebuild(include_private: bool, first: dt.date | None = None,
                last: dt.date | None = None) -> data.PersonBookDoc:
        calls.append((include_private, first, last))
        if first and last and first > last:
            from careerdesk.errors import InvalidInputError

            raise InvalidInputError("The first day is after the last day.")
        return _book(include_private=include_private)

    dialog = ExportPreviewDialog(_book(include_private=False), rebuild=rebuild, date_range=True)
    qtbot.addWidget(dialog)
    assert dialog.date_from is not None
    assert dialog.date_to is not None
    assert dialog.selected_range() == (None, None)  # the whole history unless limited
    dialog.from_check.setChecked(True)
    dialog.date_from.setDate(dt.date(2026, 1, 1))
    assert calls[-1] == (False, dt.date(2026, 1, 1), None)
    dialog.to_check.setChecked(True)
    dialog.date_to.setDate(dt.date(2025, 6, 30))  # before the first day
    assert not dialog.export_button.isEnabled()
    assert "after the last day" in _items(dialog.shared_list)[0]
    dialog.date_to.setDate(dt.date(2026, 6, 30))
    assert dialog.export_button.isEnabled()
    assert calls[-1] == (False, dt.date(2026, 1, 1), dt.date(2026, 6, 30))


@pytest.mark.parametrize(("choice", "opened"), [("open", "plan.pdf"), ("folder", "out"),
                                                 ("close", None)])
def test_after_an_export_the_message_opens_the_pdf_or_its_folder(
        qtbot: QtBot, tmp_path: Path, make_window: object, journal_path: Path,
        no_dialogs: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch,
        choice: str, opened: str | None) -> None:
    from PySide6.QtCore import QUrl

    from careerdesk.ui import dialogs
    from tests.gui.conftest import accept_dialogs

    window, conv_id = _window_with_conversation(make_window, journal_path)
    window.open_conversation(conv_id)  # type: ignore[attr-defined]
    accept_dialogs(monkeypatch)
    target = tmp_path / "out" / "plan.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: target)
    monkeypatch.setattr(dialogs, "file_saved", _REAL_FILE_SAVED)  # the real message this time
    offered: list[list[str]] = []

    def pick(_parent: object, _title: str, _text: str, choices: list[tuple[str, str]],
             **_kw: object) -> str:
        offered.append([label.replace("&", "") for _key, label in choices])
        return choice

    urls: list[QUrl] = []
    monkeypatch.setattr(dialogs, "choose", pick)
    monkeypatch.setattr(dialogs, "open_url", lambda url: urls.append(url) or True)
    window.export_actions.actions["plan"].trigger()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(offered), timeout=60_000)
    assert offered == [["Open", "Show in Folder", "Close"]]
    assert target.exists()
    if opened is None:
        assert urls == []
    else:
        assert [Path(u.toLocalFile()).name for u in urls] == [opened]
        assert all(u.isLocalFile() for u in urls)
