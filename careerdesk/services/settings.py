"""Settings kept inside the journal (they travel with it): owner name, usage mode, language,
the organisation's name and logo for shared plans."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import select

from careerdesk.domain.logo import logo_size
from careerdesk.domain.model import UsageMode
from careerdesk.errors import CareerDeskError
from careerdesk.services.base import Service, orm
from careerdesk.storage import tables

_SETTINGS = tables.settings

OWNER_NAME = "owner_name"
USAGE_MODE = "usage_mode"
LANGUAGE = "language"
#: Suggest export file names without the person's name ("Career plan 2026-12-06.pdf"): a file
#: name stays visible to anyone with the disk, encrypted journal or not (issue 21).
NEUTRAL_EXPORT_NAMES = "neutral_export_names"
ORGANISATION_NAME = "organisation_name"
ORGANISATION_LOGO = "organisation_logo"  # base64 of the PNG or JPEG bytes


class SettingsService(Service):
    def get(self, key: str, default: Any = None) -> Any:
        query = select(_SETTINGS.c.value).where(_SETTINGS.c.key == key)
        with self.journal.reading() as session:
            value = session.execute(query).scalar()
        return default if value is None else value.get("v", default)

    def set(self, key: str, value: Any) -> None:
        with self.journal.transaction() as session:
            row = session.get(orm.SettingRow, key)
            if row is None:
                session.add(orm.SettingRow(key=key, value={"v": value}))
            else:
                row.value = {"v": value}

    def all(self) -> dict[str, Any]:
        with self.journal.reading() as session:
            rows = session.execute(select(_SETTINGS.c.key, _SETTINGS.c.value))
            return {key: value.get("v") for key, value in rows}

    @property
    def owner_name(self) -> str:
        return str(self.get(OWNER_NAME, ""))

    @property
    def usage_mode(self) -> UsageMode | None:
        value = self.get(USAGE_MODE)
        return None if value is None else UsageMode(value)

    @property
    def neutral_export_names(self) -> bool:
        return bool(self.get(NEUTRAL_EXPORT_NAMES, False))

    @property
    def first_start_done(self) -> bool:
        return self.get(USAGE_MODE) is not None

    @property
    def language(self) -> str:
        return str(self.get(LANGUAGE, "en") or "en")

    @property
    def organisation_name(self) -> str:
        return str(self.get(ORGANISATION_NAME, "") or "")

    def set_organisation_name(self, name: str) -> None:
        self.set(ORGANISATION_NAME, " ".join(name.split()))

    @property
    def organisation_logo(self) -> bytes | None:
        """The logo's bytes, or None when there is none (or what is stored is not a logo)."""
        value = self.get(ORGANISATION_LOGO)
        if not value:
            return None
        try:
            data = base64.b64decode(str(value), validate=True)
            logo_size(data)
        except (binascii.Error, ValueError, CareerDeskError):
            return None
        return data

    def set_organisation_logo(self, data: bytes | None) -> None:
        """Stores a PNG or JPEG logo (checked first: InvalidInputError says why not); None
        removes it."""
        if data is None:
            self.set(ORGANISATION_LOGO, None)
            return
        logo_size(data)
        self.set(ORGANISATION_LOGO, base64.b64encode(data).decode("ascii"))

#: Longest owner name or language tag a loaded setting may hold.
_MAX_SETTING_TEXT = 1000
#: The window's auto-lock setting (ui/security.py) and the most its input accepts (a day).
AUTO_LOCK_SETTING = "auto_lock_minutes"
MAX_AUTO_LOCK_MINUTES = 24 * 60


def setting_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be the stored value of the setting ``key`` (None when it can).

    Used by ``load`` so that every setting it accepts is one the window can use; the enums are
    the window's own. Settings this version does not know are kept as they are.
    """
    from careerdesk.domain.model import StageId

    if key == USAGE_MODE:
        modes = [m.value for m in UsageMode]
        return None if value in modes else f"must be one of {', '.join(modes)}"
    if key in (OWNER_NAME, LANGUAGE):
        if isinstance(value, str) and len(value) <= _MAX_SETTING_TEXT:
            return None
        return "must be text"
    if key == AUTO_LOCK_SETTING:
        if (isinstance(value, int) and not isinstance(value, bool)
                and 0 <= value <= MAX_AUTO_LOCK_MINUTES):
            return None
        return f"must be a whole number of minutes from 0 to {MAX_AUTO_LOCK_MINUTES}"
    if key == "prompts.wording":
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return None
        return "must map prompt ids to text"
    if key == "prompts.layout":
        stages = {s.value for s in StageId}
        if isinstance(value, dict) and all(
            isinstance(pack, dict) and all(
                stage in stages and isinstance(entries, list) and all(
                    isinstance(e, dict) and isinstance(e.get("prompt_id"), str)
                    and isinstance(e.get("hidden", False), bool)
                    and set(e) <= {"prompt_id", "hidden"}
                    for e in entries
                )
                for stage, entries in pack.items()
            )
            for pack in value.values()
        ):
            return None
        return "must map method packs to stages to lists of {prompt_id, hidden}"
    return None
