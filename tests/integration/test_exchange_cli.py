"""The two sides with real files and the real CLI: plan out, progress back, roster in, pre-read
filled and returned, calendar and template; bad input refused with the journal untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader, PdfWriter

from careerdesk.domain.model import ActionStatus, NoteKind
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from tests.helpers import digest, run_cli


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "supervisor.careerdesk"
    result = run_cli("demo", "--file", path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def supervisor(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "supervisor.careerdesk"
    shutil.copyfile(demo_file, copy)
    return copy


def _private_texts(path: Path) -> list[str]:
    """Every private text of the journal that is not also used in a shared text."""
    secret: list[str] = []
    shared: list[str] = []
    with open_journal(path) as journal:
        services = Services(journal)
        for person in services.people.list():
            for conv in services.conversations.list_for(person.id):
                record = services.conversations.record(conv.id)
                for a in record.answers:
                    (secret if a.private else shared).append(a.text)
                for n in record.notes:
                    is_private = n.private or n.kind == NoteKind.REFLECTION
                    (secret if is_private else shared).append(n.text)
                for m in record.match_items:
                    (secret if m.private else shared).append(m.text)
            for a in services.plan.actions_for(person.id):
                (secret if a.private else shared).extend([a.text, a.support])
            for e in services.entries.list(person.id):
                (secret if e.private else shared).extend([e.title, e.body])
    everything_shared = "\n".join(shared)
    return sorted({t for t in secret if len(t.strip()) > 3 and t not in everything_shared})


def _ok(*args: str | Path) -> str:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _refused(*args: str | Path) -> str:
    result = run_cli(*args)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_plan_goes_to_the_employee_and_progress_comes_back(supervisor: Path,
                                                          tmp_path: Path) -> None:
    plan = tmp_path / "jose.careerplan"
    _ok("export", "plan", "--file", supervisor, "--person", "José", "--out", plan)
    secrets = _private_texts(supervisor)
    assert secrets  # the demo has private notes, so the check below means something
    raw = plan.read_bytes()
    assert not [s for s in secrets if s.encode() in raw]
    steps = json.loads(raw)["steps"]
    assert steps

    employee = tmp_path / "employee.careerdesk"
    preview = _ok("import", plan, "--file", employee, "--dry-run")
    assert "would be created" in preview
    assert not employee.exists()
    first = _ok("import", plan, "--file", employee)
    assert "Imported plan into José Núñez" in first
    before = digest(employee)
    second = _ok("import", plan, "--file", employee)
    assert "Nothing new" in second
    assert digest(employee) == before

    step_id = steps[0]["id"]
    with open_journal(employee) as journal:
        services = Services(journal)
        me = services.people.me()
        assert me is not None
        assert len(services.plan.actions_for(me.id)) == len(steps)  # no duplicates
        services.plan.update(step_id, status=ActionStatus.DONE)
    progress = tmp_path / "progress.careerplan"
    _ok("export", "progress", "--file", employee, "--out", progress)
    assert not [s for s in secrets if s.encode() in progress.read_bytes()]

    applied = _ok("import", progress, "--file", supervisor)
    assert "open → done" in applied or "in_progress → done" in applied
    with open_journal(supervisor) as journal:
        assert Services(journal).plan.get(step_id).status is ActionStatus.DONE


def test_every_plan_file_of_the_demo_is_free_of_private_text(supervisor: Path,
                                                            tmp_path: Path) -> None:
    secrets = _private_texts(supervisor)
    for person in ("Ольга", "张伟", "ليلى"):
        out = tmp_path / "plan.careerplan"
        _ok("export", "plan", "--file", supervisor, "--person", person, "--out", out)
        raw = out.read_bytes()
        assert not [s for s in secrets if s.encode() in raw], person


@pytest.mark.parametrize("content", [
    b'{"format": "careerdesk-plan", "format_version": 9}',
    b'{"format": "careerdesk-plan", "format_version": 1, "steps": "many"}',
    b'{"format": "careerdesk-progress", "format_version": 1, "exported_at": "x"',
    b"\x00\x01\x02 binary",
    b"just some words\n",
    b"role,team\nDev,Core\n",
    b"name,cadence_days\nAnn,30\nBob,sometimes\n",
])
def test_bad_input_gets_one_line_and_changes_nothing(supervisor: Path, tmp_path: Path,
                                                     content: bytes) -> None:
    bad = tmp_path / "incoming.careerplan"
    bad.write_bytes(content)
    before = digest(supervisor)
    line = _refused("import", bad, "--file", supervisor)
    assert line.startswith("careerdesk: incoming.careerplan")
    assert digest(supervisor) == before


def test_roster_csv_with_dry_run_then_import(supervisor: Path, tmp_path: Path) -> None:
    roster = tmp_path / "people.csv"
    roster.write_bytes('\ufeffName;Team;role\n"Lee, Ann";Core;Dev\nÅsa Öberg;Data;\n'
                       .encode())
    before = digest(supervisor)
    preview = _ok("import", roster, "--file", supervisor, "--dry-run")
    assert "new person: Lee, Ann" in preview
    assert digest(supervisor) == before
    _ok("import", roster, "--file", supervisor)
    assert "Nothing new" in _ok("import", roster, "--file", supervisor)


def test_calendar_parses_with_the_next_conversation_and_todos(supervisor: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "jose.ics"
    _ok("export", "calendar", "--file", supervisor, "--person", "José", "--out", out)
    calendar = Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert "José Núñez" in str(events[0]["SUMMARY"])
    assert list(calendar.walk("VTODO"))


def test_the_pre_read_is_filled_and_comes_back(supervisor: Path, tmp_path: Path) -> None:
    blank = tmp_path / "prep.pdf"
    _ok("export", "prep", "--file", supervisor, "--person", "José", "--audience", "employee",
        "--out", blank)
    writer = PdfWriter(clone_from=PdfReader(blank))
    for page in writer.pages:
        writer.update_page_form_field_values(page, {"answer_1": "FILLED-IN-ANSWER"},
                                             auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    assert "preparation" in _ok("import", filled, "--file", supervisor)
    with open_journal(supervisor) as journal:
        services = Services(journal)
        jose = services.people.find("José")
        newest = services.conversations.list_for(jose.id)[0]
        texts = [n.text for n in services.conversations.notes(newest.id)
                 if n.kind == NoteKind.PREPARATION]
    assert any("FILLED-IN-ANSWER" in t and "written by them" in t for t in texts)
    plan_pdf = _plan_pdf(supervisor, tmp_path)
    before = digest(supervisor)
    line = _refused("import", plan_pdf, "--file", supervisor)
    assert "not a CareerDesk prep sheet" in line
    assert digest(supervisor) == before


def test_a_damaged_pdf_is_one_line(supervisor: Path, tmp_path: Path) -> None:
    blank = tmp_path / "prep.pdf"
    _ok("export", "prep", "--file", supervisor, "--person", "José", "--audience", "supervisor",
        "--out", blank)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(blank.read_bytes()[: blank.stat().st_size // 2])
    before = digest(supervisor)
    assert "damaged PDF" in _refused("import", damaged, "--file", supervisor)
    assert digest(supervisor) == before


def _plan_pdf(supervisor: Path, tmp_path: Path) -> Path:
    out = tmp_path / "plan.pdf"
    _ok("export", "plan", "--file", supervisor, "--person", "José", "--out", out)
    return out


def test_the_default_question_list_goes_out_as_a_template(supervisor: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "mine.toml"
    _ok("export", "template", "--file", supervisor, "--out", out)
    colleague = tmp_path / "colleague.careerdesk"
    _ok("import", out, "--file", colleague)
    with open_journal(colleague) as journal:
        names = [t.name for t in Services(journal).prompts.templates()]
    assert names == ["Alex Morgan's question list"]


def test_a_question_template_goes_out_and_comes_in(supervisor: Path, tmp_path: Path) -> None:
    with open_journal(supervisor) as journal:
        Services(journal).prompts.save_template("Quarterly check-in")
    out = tmp_path / "quarterly.json"
    _ok("export", "template", "--file", supervisor, "--template", "quarterly check-in",
        "--out", out)
    colleague = tmp_path / "colleague.careerdesk"
    assert "question template" in _ok("import", out, "--file", colleague)
    assert "already here" in _ok("import", out, "--file", colleague)
    with open_journal(colleague) as journal:
        assert [t.name for t in Services(journal).prompts.templates()] == ["Quarterly check-in"]
