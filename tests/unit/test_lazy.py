"""Modules imported on first use."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerdesk.lazy import lazy_import


@pytest.fixture
def noisy_module(tmp_path: Path) -> Iterator[str]:
    """A module that says when it runs."""
    (tmp_path / "careerdesk_noisy.py").write_text(
        "print('noisy ran')\nVALUE = 42\n", encoding="utf-8"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield "careerdesk_noisy"
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("careerdesk_noisy", None)


def test_module_runs_on_first_attribute_access(
    noisy_module: str, capsys: pytest.CaptureFixture[str]
) -> None:
    module = lazy_import(noisy_module)
    assert capsys.readouterr().out == ""
    assert module.VALUE == 42
    assert capsys.readouterr().out == "noisy ran\n"
    assert lazy_import(noisy_module) is module
    import careerdesk_noisy  # type: ignore[import-not-found]  # made by the fixture

    assert careerdesk_noisy is module
    assert capsys.readouterr().out == ""  # ran once


def test_imported_module_is_returned_as_it_is() -> None:
    import careerdesk.errors

    assert lazy_import("careerdesk.errors") is careerdesk.errors


def test_unknown_module() -> None:
    with pytest.raises(ModuleNotFoundError):
        lazy_import("careerdesk.no_such_module")
