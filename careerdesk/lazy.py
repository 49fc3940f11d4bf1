"""Modules imported when first used, for what must stay off the start-up path.

``lazy_import(name)`` is the recipe of the importlib documentation (``LazyLoader``): the module
is registered at once and runs on its first attribute access, so code can name it at the top
(``rows.PersonRow`` inside a function) and pay for it only when that code runs.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, run on first attribute access (at once if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
