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
