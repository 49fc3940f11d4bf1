"""What ``load`` accepts opens in the window (issue 22): ``usage_mode: 42`` used to load and then
break the window; now only the window's own values load, and the extremes that do load (year 1,
odd Unicode, every usage mode, the auto-lock limits, layouts naming unknown prompts, settings
from a newer version) open, show their people and their conversations."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from careerdesk.domain.model import StageId, UsageMode
from careerdesk.services import Services
from careerdesk.services.interchange import dump_journal, load_file
from careerdesk.storage.journal import open_journal
from tests.gui.conftest import WindowFactory

pytestmark = pytest.mark.gui

ODD_NAME = "\u202eZoë\u200d 张伟 \U0010fffd"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("source") / "source.careerdesk"
    with open_journal(path) as journal:
        svc = Services(journal)
        person = svc.people.create(ODD_NAME, role="Engineer")
        conversation = svc.conversations.start(person.id, dt.date(2026, 3, 4))
        svc.conversations.set_note(conversation.id, StageId.PREPARE, text="a\x00note")
        svc.plan.add(person.id, "Learn Rust", conversation_id=conversation.id)
        return dump_journal(svc)


@pytest.mark.parametrize(
    "settings",
    [
        {"usage_mode": UsageMode.OWN.value, "auto_lock_minutes": 0},
        {"usage_mode": UsageMode.OTHERS.value, "auto_lock_minutes": 24 * 60},
        {"usage_mode": UsageMode.BOTH.value, "owner_name": ODD_NAME,
         "prompts.layout": {"default": {"prepare": [{"prompt_id": "no.such.prompt"},
                                                    {"prompt_id": "x", "hidden": True}]}},
         "prompts.wording": {"no.such.prompt": "words"},
         "from.a.newer.version": {"nested": [1, 2.5, None, "x"]}},
    ],
    ids=["own", "others", "both-with-extremes"],
)
def test_a_loaded_journal_opens_in_the_window(
    make_window: WindowFactory, document: dict[str, Any], tmp_path: Path,
    settings: dict[str, Any],
) -> None:
    doc = copy.deepcopy(document)
    stamp = "0001-01-01T00:00:00.000000Z"
    doc["settings"] = [{"key": k, "value": v, "updated_at": stamp} for k, v in settings.items()]
    doc["people"][0]["created_at"] = stamp
    source = tmp_path / "dump.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "loaded.careerdesk"
    load_file(source, target, opener=open_journal)

    window = make_window(target)
    names = [window.people_proxy.index(r, 0).data() for r in range(window.people_proxy.rowCount())]
    assert any("张伟" in str(name) for name in names)
    person_id = doc["people"][0]["id"]
    window.open_person(person_id)
    window.open_conversation(doc["people"][0]["conversations"][0]["id"])
    assert window.services is not None
