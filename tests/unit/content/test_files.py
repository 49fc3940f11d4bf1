"""Stage titles read from stages.toml alone: the same as the full loader gives, and cheap."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerdesk.content import clear_cache, load_content, stage_titles
from careerdesk.errors import ContentError
from tests.helpers import modules_loaded_by


def _loader_titles(lang: str, root: Path | None = None) -> dict[str, str]:
    return {s.id.value: s.title for s in load_content(lang, root=root).stages}


def test_shipped_titles_are_the_loaders() -> None:
    titles = stage_titles("en")
    assert titles == _loader_titles("en")
    assert titles["plan"] == "Make a plan"


def test_translation_overrides_and_english_fills_the_rest(content_copy: Path) -> None:
    de = content_copy / "de"
    de.mkdir()
    (de / "stages.toml").write_text(
        '[[stage]]\nid = "prepare"\ntitle = "Vorbereiten"\n', encoding="utf-8"
    )
    titles = stage_titles("de", root=content_copy)
    assert titles["prepare"] == "Vorbereiten"
    assert titles["plan"] == "Make a plan"
    assert titles == _loader_titles("de", content_copy)
    assert stage_titles("fr", root=content_copy) == stage_titles(root=content_copy)


def test_a_caller_cannot_change_the_cached_titles(content_copy: Path) -> None:
    stage_titles(root=content_copy)["plan"] = "changed"
    assert stage_titles(root=content_copy)["plan"] == "Make a plan"


def test_clear_cache_reads_the_file_again(content_copy: Path) -> None:
    path = content_copy / "en" / "stages.toml"
    assert stage_titles(root=content_copy)["plan"] == "Make a plan"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title = "Make a plan"', 'title = "Plan it"'), encoding="utf-8")
    clear_cache()
    assert stage_titles(root=content_copy)["plan"] == "Plan it"


def test_bad_language_code_and_broken_file_raise_content_errors(content_copy: Path) -> None:
    with pytest.raises(ContentError, match="language code"):
        stage_titles("../en")
    (content_copy / "en" / "stages.toml").write_text("[[stage]\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"stages\.toml: not valid TOML"):
        stage_titles(root=content_copy)


def test_titles_load_neither_the_model_nor_the_loader() -> None:
    code = "from careerdesk.content.files import stage_titles\nassert stage_titles()['plan']"
    assert modules_loaded_by(code, prefix="careerdesk.content") == {
        "careerdesk.content", "careerdesk.content.files"}
