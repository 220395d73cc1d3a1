"""Language per post, for the five working languages."""

from __future__ import annotations

import pytest

from sources.language import detect, normalise


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Håll dörrar och fönster stängda och stäng av ventilationen.", "sv"),
        ("Pitäkää ikkunat suljettuina ja sammuttakaa ilmanvaihto. Seuraava tiedote on klo 10.", "fi"),
        ("Bitte halten Sie Fenster und Türen geschlossen, die Lüftung ist auszuschalten.", "de"),
        ("Houd ramen en deuren dicht en zet de ventilatie uit, dit advies geldt tot nader bericht.", "nl"),
        ("Please keep windows and doors closed and switch off ventilation until further notice.", "en"),
    ],
)
def test_detects_each_language(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_falls_back_to_the_feeds_hint_when_the_text_says_nothing() -> None:
    assert detect("Östmark 09.00", "sv-SE") == "sv"
    assert detect("", "de-CH") == "de"
    assert detect("12345") is None


def test_normalise() -> None:
    assert [normalise(c) for c in ("de-CH", "sv_FI", "EN", None)] == ["de", "sv", "en", None]
