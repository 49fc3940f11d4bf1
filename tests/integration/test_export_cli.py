"""`careerdesk export` on the demo journal, in a subprocess, read back as a reader would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from careerdesk.domain.model import NoteKind, StageId
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from tests.helpers import run_cli
from tests.unit.export.pdfcheck import (
    annotations_and_images,
    fonts_report,
    internal_links,
    read_pdf,
)

SHARED = "SHAREDSENTINEL"
PRIVATE = "PRIVSENTINEL"
PEOPLE = ("José Núñez", "Ольга Иванова", "דבורה לוי", "ليلى حداد", "张伟")


@dataclass
class Demo:
    path: Path
    private_texts: dict[str, list[str]]  # person name -> private texts never printed elsewhere
    names: list[str]


def _collect(services: Services) -> tuple[dict[str, list[str]], list[str]]:
    private: dict[str, list[str]] = {}
    names = []
    for person in services.people.list():
        names.append(person.name)
        secret: list[str] = []
        shared: list[str] = []
        for conv in services.conversations.list_for(person.id):
            rec = services.conversations.record(conv.id)
            for a in rec.answers:
                (secret if a.private else shared).append(a.text)
            for n in rec.notes:
                (secret if n.private or n.kind == NoteKind.REFLECTION else shared).append(n.text)
            for m in rec.match_items:
                (secret if m.private else shared).append(m.text)
            shared += [conv.present, conv.purpose]
        for a in services.plan.actions_for(person.id):
            (secret if a.private else shared).extend([a.text, a.support])
        for e in services.entries.list(person.id):
            (secret if e.private else shared).extend([e.title, e.body])
        everything_shared = "\n".join(shared)
        # The demo reuses phrases: only a private text never used in shared text can be checked.
        private[person.name] = sorted({t for t in secret
                                       if t.strip() and t not in everything_shared})
    return private, names


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    path = tmp_path_factory.mktemp("demo") / "demo.careerdesk"
    result = run_cli("demo", "--file", path)
    assert result.returncode == 0, result.stderr
    with open_journal(path) as journal:
        services = Services(journal)
        services.settings.set("owner_name", "Alex Morgan")
        for person in services.people.list():
            convs = services.conversations.list_for(person.id)
            if not convs:
                continue
            newest = convs[0].id
            services.plan.add(person.id, f"{SHARED} step", conversation_id=newest,
                              due=dt.date(2027, 1, 1))
            services.plan.add(person.id, f"{PRIVATE} step", conversation_id=newest,
                              private=True)
            services.conversations.set_note(newest, StageId.CURRENT_ROLE,
                                            text=f"{PRIVATE} note", private=True)
            services.conversations.add_match_item(newest, f"{PRIVATE} match", in_skills=True,
                                                  private=True)
        private, names = _collect(services)
    return Demo(path, private, names)


def _person(demo: Demo, prefix: str) -> str:
    return next(n for n in demo.names if n.startswith(prefix.split()[0]))


def _export(demo: Demo, kind: str, person: str, out: Path, *extra: str) -> None:
    result = run_cli("export", kind, "--person", person, "--out", out, "--file", demo.path,
                     *extra, env={"CAREERDESK_HOME": str(out.parent / "home")})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert out.exists()


@pytest.mark.parametrize("kind", ["plan", "prep", "record", "book"])
def test_demo_exports_hold_no_private_text(demo: Demo, tmp_path: Path, kind: str) -> None:
    checked = 0
    for prefix in PEOPLE:
        if not any(n.startswith(prefix.split()[0]) for n in demo.names):
            continue
        person = _person(demo, prefix)
        out = tmp_path / f"{kind}.pdf"
        # --include-private must not matter for plan and prep; record and book leave it off.
        extra = ("--include-private",) if kind in ("plan", "prep") else ()
        _export(demo, kind, person, out, *extra)
        pdf = read_pdf(out)
        if kind != "prep":
            assert pdf.has(SHARED), (kind, person)
        assert pdf.has(person)
        assert pdf.lacks(PRIVATE), (kind, person)
        for text in demo.private_texts[person]:
            assert pdf.lacks(text), (kind, person, text)
            checked += 1
        assert all(embedded for _, embedded in fonts_report(out))
        annotations, images = annotations_and_images(out)
        assert images == 0
        if kind == "book":  # the contents page links to its pages, and nowhere else
            assert len(internal_links(out)) == annotations
        else:
            assert annotations == 0
        assert pdf.metadata["/Author"] == "Alex Morgan"
    assert checked > 20  # the demo's own private notes were really compared


def test_record_and_book_with_private_mark_it(demo: Demo, tmp_path: Path) -> None:
    person = _person(demo, "张伟")
    for kind in ("record", "book"):
        out = tmp_path / f"{kind}.pdf"
        _export(demo, kind, person, out, "--include-private")
        pdf = read_pdf(out)
        assert pdf.has(f"PRIVATE{PRIVATE}")
        assert pdf.has("Contains private notes: do not share")
        assert PRIVATE not in " ".join(pdf.metadata.values())


def test_book_of_me_is_the_journal_with_contents(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "me.pdf"
    _export(demo, "book", "me", out, "--from", "2025-01-01", "--to", "2026-12-31",
            "--paper", "letter")
    pdf = read_pdf(out)
    assert pdf.has("Career journal")
    assert pdf.has("Contents")


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (("plan", "--person", "Nobody Here"), "No person called"),
        (("record", "--person", "张伟", "--conversation", "1999-01-01"), "no conversation on"),
        (("record", "--person", "张伟", "--conversation", "soon"), "neither a conversation"),
        (("plan", "--person", "张伟", "--from", "2025-01-01"), "book export only"),
        (("book", "--person", "张伟", "--from", "2026-01-01", "--to", "2025-01-01"),
         "start date is after"),
        (("book", "--person", "张伟", "--from", "yesterday"), "not a date"),
        (("plan", "--person", "张伟", "--paper", "a5"), "invalid choice"),
    ],
)
def test_bad_input_is_one_line(demo: Demo, tmp_path: Path, args: tuple[str, ...],
                               pattern: str) -> None:
    import re

    result = run_cli("export", *args, "--out", tmp_path / "x.pdf", "--file", demo.path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert re.search(pattern, result.stderr), result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_target_is_one_line_and_leaves_nothing(demo: Demo, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run_cli("export", "plan", "--person", "张伟", "--out", blocker / "plan.pdf",
                     "--file", demo.path)
    assert result.returncode == 1
    assert result.stderr.startswith("careerdesk: Cannot write")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["afile"]
