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
        "print('noisy ran')\nVALUE = [42]\n", encoding="utf-8"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield "careerdesk_noisy"
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("careerdesk_noisy", None)


def test_module_runs_on_first_attribute_access_and_once(
    noisy_module: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lazy = lazy_import(noisy_module)
    assert noisy_module not in sys.modules
    assert capsys.readouterr().out == ""
    assert lazy.VALUE == [42]
    assert capsys.readouterr().out == "noisy ran\n"
    import careerdesk_noisy  # type: ignore[import-not-found]  # made by the fixture

    assert lazy.VALUE is careerdesk_noisy.VALUE  # the module's own objects
    assert lazy_import(noisy_module).VALUE is careerdesk_noisy.VALUE
    assert capsys.readouterr().out == ""  # ran once


def test_missing_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = lazy_import("careerdesk.errors").NoSuchError


def test_unknown_module_fails_at_once() -> None:
    with pytest.raises(ModuleNotFoundError):
        lazy_import("careerdesk.no_such_module")
