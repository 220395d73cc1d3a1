"""R5: names compared after normalising case, diacritics, punctuation and camelCase, generic words set aside."""

from __future__ import annotations

import pytest

from playbooks.checks.impersonation import impersonation, looks_like, name_words

ORG = "Gemeente Venlo"
OFFICIAL = ("Gemeente Venlo – Nieuws", "gemeentevenlo")


def test_names_become_comparable_words() -> None:
    assert name_words("KirunaKommunInfo_24") == ["kiruna", "kommun", "info", "24"]
    assert name_words("Wädenswil Aktuell") == ["wadenswil", "aktuell"]


@pytest.mark.parametrize(
    "name",
    ["Venlo Nieuws", "Gemeente Venlo Updates", "GemeenteVenIo", "gemeente_venlo", "Venlo Officieel", "Vemlo Info"],
)
def test_look_alikes(name: str) -> None:
    assert looks_like(name, ORG, OFFICIAL)


@pytest.mark.parametrize("name", ["L1 Nieuws", "De Limburger", "Venlo", "Buurtapp Blerick-Noord", "Venlose Courant"])
def test_other_names(name: str) -> None:
    assert not looks_like(name, ORG, OFFICIAL)


def test_speaking_as_the_organisation_but_not_quoting_it() -> None:
    assert impersonation([], "Vi på Motala kommun vill tacka er alla", "Motala kommun")
    assert impersonation([], "Motala kommun: alla ska lämna området nu", "Motala kommun")
    assert impersonation([], "Enligt Motala kommun ska alla lämna området", "Motala kommun") is None
    assert (
        impersonation(["MVT"], "Motala kommun uppmanar alla att stanna inne", "Motala kommun", reporting=True) is None
    )
