"""Modules imported when first used, for what must stay off the start-up path.

``orm = lazy_import("careerdesk.storage.rows")`` gives a stand-in that imports the module on its
first attribute access (``orm.PersonRow`` inside a function) and hands out the module's own
objects from then on. The import goes through the ordinary import system, whose per-module lock
makes two threads touching it first at the same time import it once. Nothing is put in
``sys.modules`` early, so ``import`` elsewhere behaves as always.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any


class _OnFirstUse:
    """Stands in for a module until its first attribute access imports it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:  # only for names not found on the stand-in
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<module {self._name!r} on first use, {state}>"


def lazy_import(name: str) -> Any:
    """A stand-in for the module ``name`` that imports it on first attribute access.

    Raises ModuleNotFoundError at once when there is no such module (a typo should not wait
    for the first use to show).
    """
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _OnFirstUse(name)
