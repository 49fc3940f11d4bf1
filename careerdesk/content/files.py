"""Reading the content's TOML files, with a translation laid over English: no content model.

Kept apart from :mod:`careerdesk.content.loader` so that what needs a few words of the content
(the stage titles a person's overview shows) reads one file instead of loading and validating
all of it: about 2 ms against 25 ms at start-up.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from careerdesk.assets import resource_path
from careerdesk.errors import ContentError

BASE_LANG = "en"
LANG_CODE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")


def content_root() -> Path:
    """The shipped content folder (``resources/content``)."""
    return resource_path("content")


def content_folder(lang: str, root: Path | None = None) -> Path:
    """The content folder to read ``lang`` from (``root`` or the shipped one), resolved;
    refuses a ``lang`` that is no language code (it becomes part of a path)."""
    if not LANG_CODE.fullmatch(lang):
        raise ContentError(f"“{lang}” is not a language code CareerDesk can look up.")
    return (root or content_root()).resolve()


@cache
def _stage_titles(lang: str, root: Path) -> dict[str, str]:
    stages = read_layered(root, lang, "stages.toml").data.get("stage", [])
    if not isinstance(stages, list):
        return {}
    return {
        entry["id"]: entry["title"]
        for entry in stages
        if isinstance(entry, dict)
        and isinstance(entry.get("id"), str)
        and isinstance(entry.get("title"), str)
    }


def stage_titles(lang: str = BASE_LANG, *, root: Path | None = None) -> dict[str, str]:
    """Stage id -> title in ``lang`` (English filling any gap), from ``stages.toml`` alone.

    The same titles as ``load_content(lang).stages``, without loading the rest; a file the
    loader would refuse may give fewer titles here, never others. Cached per (language, folder).
    """
    return dict(_stage_titles(lang, content_folder(lang, root)))


def clear_cache() -> None:
    """Forget the stage titles read (tests that rewrite files under one root)."""
    _stage_titles.cache_clear()


class _Doc:
    """A parsed TOML document and the label errors use for it."""

    def __init__(self, data: dict[str, Any], label: str) -> None:
        self.data = data
        self.label = label

    def error(self, entry: str, problem: str) -> ContentError:
        return ContentError(f"{self.label}: {entry}: {problem}.")


def read_toml(path: Path, label: str) -> dict[str, Any]:
    """Parse one TOML file; a syntax error names the file and the line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError(f"{label}: the file is missing.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{label}: not valid TOML: {exc}.") from None
    except UnicodeDecodeError:
        raise ContentError(f"{label}: not valid TOML: the file is not UTF-8 text.") from None
    except OSError as exc:
        raise ContentError(f"{label}: cannot be read ({exc.strerror}).") from None


def read_layered(root: Path, lang: str, name: str) -> _Doc:
    base_label = f"{BASE_LANG}/{name}"
    base = read_toml(root / BASE_LANG / name, base_label)
    if lang == BASE_LANG:
        return _Doc(base, base_label)
    over_path = root / lang / name
    if not over_path.is_file():
        return _Doc(base, base_label)
    label = f"{lang}/{name}"
    over = read_toml(over_path, label)
    return _Doc(_overlay(base, over, label, where="top level"), label)


def _overlay(
    base: dict[str, Any], over: dict[str, Any], label: str, *, where: str
) -> dict[str, Any]:
    """Lay a translation over the English document (see the module docstring)."""
    merged = dict(base)
    for key, value in over.items():
        if key not in base:
            merged[key] = value  # an optional key English leaves out; validation judges it
            continue
        old = base[key]
        if isinstance(old, dict):
            if not isinstance(value, dict):
                raise ContentError(f"{label}: {where}: “{key}” should be a table.")
            merged[key] = _overlay(old, value, label, where=f"[{key}]")
        elif _is_table_list(old):
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise ContentError(
                    f"{label}: {where}: “{key}” should be a list of [[{key}]] tables."
                )
            merged[key] = _overlay_entries(old, value, label, key)
        elif type(old) is not type(value):
            raise ContentError(
                f"{label}: {where}: “{key}” should be {_type_name(old)}, not {_type_name(value)}."
            )
        else:
            merged[key] = value
    return merged


def _overlay_entries(
    base: list[dict[str, Any]], over: list[dict[str, Any]], label: str, key: str
) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(over, start=1):
        entry_id = entry.get("id")
        if not isinstance(entry_id, str):
            raise ContentError(f"{label}: [[{key}]] #{index}: “id” is missing.")
        by_id[entry_id] = entry
    known = {e.get("id") for e in base}
    for entry_id in by_id:
        if entry_id not in known:
            raise ContentError(
                f"{label}: [[{key}]] “{entry_id}”: this id is not in the English content."
            )
    return [
        _overlay(e, by_id[e["id"]], label, where=f"[[{key}]] “{e['id']}”")
        if e.get("id") in by_id
        else e
        for e in base
    ]


def _is_table_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
