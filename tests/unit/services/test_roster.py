"""A roster from CSV: encodings, separators, quoted commas, non-Latin names, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from careerdesk.errors import ExchangeError
from careerdesk.services import Services
from careerdesk.services.roster import import_roster, parse_roster

ROSTER = ('next_conversation;Name;team;role;cadence_days\n'
          '2027-01-10;"Smith, Jo";Payments;"Developer; backend";30\n'
          ';Ærøskøbing Ünal;Core;QA;\n'
          '\n'
          ';Ольга Иванова;Data;Analyst;60\n')


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_roster_imports_in_any_common_encoding(services: Services, encoding: str) -> None:
    text = ROSTER if encoding != "cp1252" else ROSTER.replace("Ольга Иванова", "Zoë Åberg")
    rows, notes = parse_roster(text.encode(encoding), name="people.csv")
    assert not notes
    report = import_roster(services, rows)
    assert report.applied
    assert len(report.changes) == 3
    people = {p.name: p for p in services.people.list()}
    jo = people["Smith, Jo"]
    assert (jo.team, jo.role, jo.cadence_days, jo.next_conversation) == (
        "Payments", "Developer; backend", 30, dt.date(2027, 1, 10))
    assert "Ærøskøbing Ünal" in people
    assert ("Ольга Иванова" if encoding != "cp1252" else "Zoë Åberg") in people


def test_comma_separated_with_quotes_and_the_same_file_twice(services: Services) -> None:
    data = 'name,role\n"Lee, Ann","Lead, platform"\n张伟,Engineer\n'.encode()
    rows, _ = parse_roster(data, name="people.csv")
    assert import_roster(services, rows).applied
    again = import_roster(services, parse_roster(data, name="people.csv")[0])
    assert not again.changes
    assert not again.applied
    assert {p.name for p in services.people.list()} == {"Lee, Ann", "张伟"}


def test_dry_run_changes_nothing(services: Services) -> None:
    rows, _ = parse_roster(b"name\nAnn\n", name="people.csv")
    report = import_roster(services, rows, dry_run=True)
    assert report.changes == ("new person: Ann",)
    assert not report.applied
    assert services.people.list() == []


def test_an_existing_person_is_updated_not_doubled(services: Services) -> None:
    services.people.create("Ann Lee", role="Dev")
    rows, _ = parse_roster(b"name,role\nann lee,Lead\n", name="people.csv")
    report = import_roster(services, rows)
    assert report.changes == ("Ann Lee: role Lead",)
    assert [(p.name, p.role) for p in services.people.list()] == [("Ann Lee", "Lead")]


@pytest.mark.parametrize(("data", "expected"), [
    (b"role,team\nDev,Core\n", "header with a \"name\" column"),
    (b"name,cadence_days\nAnn,30\nBob,often\n", "people.csv line 3: cadence_days"),
    (b"name,next_conversation\nAnn,31/01/2027\n", "line 2: next_conversation"),
    (b"name\nAnn\nann\n", "line 3: ann is already on line 2"),
    (b"name,role\nAnn,Dev,extra\n", "line 2: 3 fields"),
    (b"name,role\n,Dev\n", "line 2: the name is empty"),
    (b"", "the file is empty"),
])
def test_a_bad_file_is_refused_by_line_and_nothing_imported(
        services: Services, data: bytes, expected: str) -> None:
    with pytest.raises(ExchangeError, match="nothing was imported") as caught:
        parse_roster(data, name="people.csv")
    assert expected in str(caught.value)
    assert services.people.list() == []
