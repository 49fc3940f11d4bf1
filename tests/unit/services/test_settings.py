"""Settings kept in the journal: the organisation's name and logo for shared plans."""

from __future__ import annotations

import pytest

from careerdesk.errors import InvalidInputError
from careerdesk.services import Services
from careerdesk.services.settings import ORGANISATION_LOGO
from tests.unit.domain.test_logo import png


def test_organisation_logo_round_trips_and_is_checked(services: Services) -> None:
    settings = services.settings
    assert settings.organisation_logo is None
    logo = png(64, 32)
    settings.set_organisation_logo(logo)
    assert settings.organisation_logo == logo
    with pytest.raises(InvalidInputError):
        settings.set_organisation_logo(b"GIF89a")
    assert settings.organisation_logo == logo  # a refused file changes nothing
    settings.set_organisation_logo(None)
    assert settings.organisation_logo is None


def test_a_damaged_stored_logo_reads_as_none(services: Services) -> None:
    services.settings.set(ORGANISATION_LOGO, "not base64 at all!")
    assert services.settings.organisation_logo is None


def test_organisation_name_is_tidied(services: Services) -> None:
    services.settings.set_organisation_name("  Northwind \n Traders ")
    assert services.settings.organisation_name == "Northwind Traders"
