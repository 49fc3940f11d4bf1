"""Finds ``resources/`` in a source checkout, an installed wheel and a frozen bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The folder holding content/, fonts/, icons/ and schema/."""
    package = Path(__file__).resolve().parent
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller bundle
        candidates.append(Path(frozen_root) / "careerdesk" / "resources")
    candidates.append(package / "resources")  # installed wheel (force-include)
    candidates.append(package.parent / "resources")  # source checkout
    for candidate in candidates:
        # Either marker will do: branches that ship only fonts (or only content) still work.
        if (candidate / "content").is_dir() or (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError(
        "CareerDesk's resources folder is missing; looked in "
        + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    """A path inside the resources folder."""
    return resources_dir().joinpath(*parts)
