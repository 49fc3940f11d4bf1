"""File ▸ Send Plan…, Send Progress…, Import… (preview, then apply), Export Journal as JSON…,
Load JSON…, Export Template…, driven through the real window with dialogs answered by the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from careerdesk.ui import dialogs
from tests.gui.conftest import WindowFactory

pytestmark = pytest.mark.gui


def _file_actions(window: object) -> dict[str, QAction]:
    menu = window.file_menu  # type: ignore[attr-defined]
    return {a.text().replace("&", ""): a for a in menu.actions() if a.text()}


def _bea(path: Path) -> str:
    with open_journal(path) as journal:
        services = Services(journal)
        bea = services.people.find("Bea")
        services.plan.add(bea.id, "Shadow the design lead for a week")
        services.plan.add(bea.id, "PRIVATE-GUI-CANARY", private=True)
        services.prompts.save_template("Team questions")
        return bea.id


def test_the_file_menu_has_the_exchange_items(make_window: WindowFactory,
                                              journal_path: Path) -> None:
    window = make_window(journal_path)
    names = set(_file_actions(window))
    assert {"Send Plan…", "Send Progress…", "Import…", "Export Journal as JSON…",
            "Load JSON…", "Export Template…", "Export Calendar…"} <= names


def test_send_plan_writes_the_shared_plan_only(
        make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]]) -> None:
    bea = _bea(journal_path)
    window = make_window(journal_path)
    window.open_person(bea)
    target = tmp_path / "bea"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: target)
    _file_actions(window)["Send Plan…"].trigger()
    written = target.with_name("bea.careerplan")
    raw = written.read_bytes()
    assert b"PRIVATE-GUI-CANARY" not in raw
    assert [s["text"] for s in json.loads(raw)["steps"]] == ["Shadow the design lead for a week"]
    assert any("saved" in text for _title, text in no_dialogs)


def test_import_previews_then_applies(
        make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    roster = tmp_path / "people.csv"
    roster.write_text("name;team\nDora Lee;Web\n", encoding="utf-8")
    window = make_window(journal_path)
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "open_file", lambda *_a: roster)
    monkeypatch.setattr(dialogs, "inform", lambda *_a, **_k: None)

    def decline(_parent: object, _title: str, text: str, **kw: str) -> bool:
        asked.append((text, kw.get("detail", "")))
        return False

    monkeypatch.setattr(dialogs, "confirm", decline)
    _file_actions(window)["Import…"].trigger()
    assert asked == [("Would import roster into the roster:",
                      "  new person: Dora Lee (team Web)")]
    assert window.services is not None
    assert "Dora Lee" not in {p.name for p in window.services.people.list()}

    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    _file_actions(window)["Import…"].trigger()
    assert "Dora Lee" in {p.name for p in window.services.people.list()}


def test_a_bad_import_is_one_message_and_changes_nothing(
        make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]]) -> None:
    bad = tmp_path / "plan.careerplan"
    bad.write_text('{"format": "careerdesk-plan", "format_version": 1, "steps": 3}')
    window = make_window(journal_path)
    assert window.services is not None
    people = window.services.people.list()
    monkeypatch.setattr(dialogs, "open_file", lambda *_a: bad)
    _file_actions(window)["Import…"].trigger()
    assert len(no_dialogs) == 1
    assert no_dialogs[0][1].startswith("plan.careerplan: damaged")
    assert window.services.people.list() == people


def test_export_json_then_load_it_into_an_empty_journal(
        make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]],
        qtbot: QtBot) -> None:
    window = make_window(journal_path)
    dump = tmp_path / "dump.json"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: dump)
    _file_actions(window)["Export Journal as JSON…"].trigger()
    assert json.loads(dump.read_text(encoding="utf-8"))["format"] == "careerdesk-journal"

    empty_path = tmp_path / "empty.careerdesk"
    open_journal(empty_path, create=True).close()
    other = make_window(empty_path)
    monkeypatch.setattr(dialogs, "open_file", lambda *_a: dump)
    _file_actions(other)["Load JSON…"].trigger()
    assert other.services is not None
    assert {p.name for p in other.services.people.list()} == {"Alex", "Bea Stone", "Carl Diaz"}
    assert any("records were loaded" in text for _title, text in no_dialogs)


def test_export_template_writes_a_template_file(
        make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]]) -> None:
    _bea(journal_path)
    window = make_window(journal_path)
    target = tmp_path / "team.toml"
    offered: list[list[str]] = []
    monkeypatch.setattr(dialogs, "pick_item",
                        lambda _p, _t, _l, items: offered.append(items) or 1)
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: target)
    _file_actions(window)["Export Template…"].trigger()
    assert offered == [["My default question list", "Team questions"]]
    assert 'format = "careerdesk-prompt-template"' in target.read_text(encoding="utf-8")
    assert 'name = "Team questions"' in target.read_text(encoding="utf-8")


def test_send_progress_asks_for_comments_and_writes_them(
        make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        no_dialogs: list[tuple[str, str]]) -> None:
    from careerdesk.services.exchange import ExchangeService
    from careerdesk.ui.progress_dialog import ProgressCommentsDialog

    supervisor = tmp_path / "supervisor.careerdesk"
    employee = tmp_path / "employee.careerdesk"
    with open_journal(supervisor, create=True) as journal:
        services = Services(journal)
        olga = services.people.create("Olga")
        step = services.plan.add(olga.id, "Lead the review")
        plan, _left_out = ExchangeService(services).plan_document(olga.id)
    with open_journal(employee, create=True) as journal:
        ExchangeService(Services(journal)).import_plan(plan)
    window = make_window(employee)

    def fill(dialog: object) -> bool:
        assert isinstance(dialog, ProgressCommentsDialog)
        dialog.edits[step.id].setText("Booked for March")
        return True

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    target = tmp_path / "progress.careerplan"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: target)
    _file_actions(window)["Send Progress…"].trigger()
    steps = json.loads(target.read_text(encoding="utf-8"))["plans"][0]["steps"]
    assert [(s["id"], s["comment"]) for s in steps] == [(step.id, "Booked for March")]


def test_the_person_page_adds_the_next_conversation_and_steps_to_a_calendar(
        make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]]) -> None:
    import datetime as dt

    import icalendar

    bea = _bea(journal_path)
    with open_journal(journal_path) as journal:
        services = Services(journal)
        services.plan.add(bea, "Present the design review at the guild",
                          due=dt.date(2027, 3, 1))
        services.people.update(bea, next_conversation=dt.date(2027, 1, 15))
    window = make_window(journal_path)
    window.open_person(bea)
    target = tmp_path / "bea.ics"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: target)
    window.person_page.calendar_button.click()
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    todos = [str(c["SUMMARY"]) for c in calendar.walk("VTODO")]
    events = [str(c["SUMMARY"]) for c in calendar.walk("VEVENT")]
    assert todos == ["Bea Stone: Present the design review at the guild"]  # the dated step
    assert "PRIVATE-GUI-CANARY" not in target.read_text(encoding="utf-8")
    assert len(events) == 1
    assert next(iter(calendar.walk("VEVENT")))["DTSTART"].dt == dt.date(2027, 1, 15)
    assert any("saved" in text for _title, text in no_dialogs)


def test_send_pre_read_writes_a_fillable_prep_sheet(
        make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]]) -> None:
    import pypdf

    bea = _bea(journal_path)
    window = make_window(journal_path)
    window.open_person(bea)
    target = tmp_path / "bea-pre-read"
    monkeypatch.setattr(dialogs, "choose", lambda *_a, **_k: "employee")
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: target)
    window.exchange_actions.actions["send_pre_read"].trigger()
    written = target.with_name("bea-pre-read.pdf")  # the suffix is added
    fields = pypdf.PdfReader(str(written)).get_fields() or {}
    assert len(fields) >= 5  # one text field per question, and the sheet's marker
    assert b"PRIVATE-GUI-CANARY" not in written.read_bytes()
    assert any("saved" in text for _title, text in no_dialogs)
