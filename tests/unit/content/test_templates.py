"""Template files: written as JSON or TOML, read back, and refused clearly when malformed."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from careerdesk.content import load_content
from careerdesk.content.templates import (
    TemplateCustomPrompt,
    TemplateFile,
    dumps_toml,
    read_template_file,
    write_template_file,
)
from careerdesk.domain.model import StageId
from careerdesk.errors import ContentError

TEMPLATE = TemplateFile(
    name="Quarterly “check-in”",
    method_pack="default",
    layout={
        "current_role": [
            {"prompt_id": "custom:abc", "hidden": False},
            {"prompt_id": "current_role.energises", "hidden": True},
        ]
    },
    wording={"current_role.drains": 'What wears you out?\nReally: "out"\x7f'},
    custom_prompts=(TemplateCustomPrompt("abc", StageId.CURRENT_ROLE, "Мой вопрос?", "日本語"),),
)


def document() -> dict[str, Any]:
    return TEMPLATE.to_document()


def write(tmp_path: Path, data: dict[str, Any], name: str = "t.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def error(path: Path) -> str:
    with pytest.raises(ContentError) as info:
        read_template_file(path, load_content())
    return info.value.user_message


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"template{suffix}"
    write_template_file(path, TEMPLATE)
    assert read_template_file(path, load_content()) == TEMPLATE


def test_toml_writer_output_is_valid_toml() -> None:
    assert tomllib.loads(dumps_toml(document())) == document()


def test_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"t.txt: CareerDesk writes templates as \.json"):
        write_template_file(tmp_path / "t.txt", TEMPLATE)
    (tmp_path / "t.txt").write_text("{}", encoding="utf-8")
    assert "reads templates from .json or .toml" in error(tmp_path / "t.txt")


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"format": ', encoding="utf-8")
    assert error(path).startswith("t.json: not valid JSON: Expecting value (at line 1, column")


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('name = "unterminated\n', encoding="utf-8")
    assert error(path).startswith("t.toml: not valid TOML: ")


def test_not_a_template(tmp_path: Path) -> None:
    assert error(write(tmp_path, {"format": "careerdesk-journal"})) == (
        "t.json: top level: this is not a CareerDesk prompt template "
        "(“format” should be “careerdesk-prompt-template”)."
    )
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    assert error(path) == "list.json: top level: should be an object, not a list."


def test_newer_version(tmp_path: Path) -> None:
    data = document() | {"version": 2}
    assert "written by a newer CareerDesk" in error(write(tmp_path, data))


def test_missing_name(tmp_path: Path) -> None:
    data = document()
    del data["name"]
    assert error(write(tmp_path, data)) == "t.json: top level: “name” is missing."


def test_wrong_type(tmp_path: Path) -> None:
    data = document()
    data["layout"]["current_role"][1]["hidden"] = "yes"
    assert error(write(tmp_path, data)) == (
        "t.json: layout.current_role #2: “hidden” should be true or false, not text."
    )


def test_unknown_stage(tmp_path: Path) -> None:
    data = document()
    data["layout"]["nowhere"] = []
    assert error(write(tmp_path, data)).startswith(
        "t.json: [layout]: unknown stage “nowhere” (known: prepare, "
    )


def test_missing_prompt_id_in_layout(tmp_path: Path) -> None:
    data = document()
    del data["layout"]["current_role"][0]["prompt_id"]
    assert error(write(tmp_path, data)) == "t.json: layout.current_role #1: “prompt_id” is missing."


def test_duplicate_prompt_in_layout(tmp_path: Path) -> None:
    data = document()
    data["layout"]["current_role"].append({"prompt_id": "custom:abc", "hidden": True})
    assert error(write(tmp_path, data)) == (
        "t.json: layout.current_role #3: the prompt “custom:abc” is listed twice."
    )


def test_prompt_in_the_wrong_stage(tmp_path: Path) -> None:
    data = document()
    data["layout"]["plan"] = [{"prompt_id": "current_role.drains", "hidden": False}]
    assert error(write(tmp_path, data)) == (
        "t.json: layout.plan #1: the prompt “current_role.drains” belongs to stage "
        "“current_role”, not “plan”."
    )


def test_custom_prompt_not_in_file(tmp_path: Path) -> None:
    data = document()
    data["custom_prompts"] = []
    assert "is not among the file's custom prompts" in error(write(tmp_path, data))


def test_duplicate_custom_prompt_id(tmp_path: Path) -> None:
    data = document()
    data["custom_prompts"].append(dict(data["custom_prompts"][0]))
    assert error(write(tmp_path, data)) == (
        "t.json: custom prompt “abc”: the id “abc” is used twice."
    )


def test_custom_prompt_missing_id(tmp_path: Path) -> None:
    data = document()
    del data["custom_prompts"][0]["id"]
    assert error(write(tmp_path, data)) == "t.json: custom prompt #1: “id” is missing."


def test_custom_prompt_unknown_stage(tmp_path: Path) -> None:
    data = document()
    data["custom_prompts"][0]["stage"] = "summary"
    assert "custom prompt “abc”: unknown stage “summary”" in error(write(tmp_path, data))


def test_unknown_pack_and_unknown_wording(tmp_path: Path) -> None:
    assert "unknown method pack “coaching”" in error(
        write(tmp_path, document() | {"method_pack": "coaching"})
    )
    assert error(write(tmp_path, document() | {"wording": {"nope.x": "Hi"}})) == (
        "t.json: [wording]: “nope.x” is not a built-in prompt."
    )
