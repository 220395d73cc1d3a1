"""Synthetic contradictions, generated from approved messages in each language: swap a time, a number or a
unit, flip an instruction; each must be flagged. Each faithful shortening must not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from playbooks.checks import lexicon
from playbooks.checks.findings import ApprovedMessage, IncidentContext, PostView, evaluate

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
APPROVED = {
    "sv": ("Gasläcka vid Storgatan i Kiruna. Håll fönster och dörrar stängda inom 500 meter. "
           "Värmestugan i Folkets hus är öppen till kl. 20.00. Nästa information kommer kl. 12.00.", ("gasläcka",)),
    "fi": ("Kaasuvuoto Hämeenkadulla Tampereella. Pitäkää ikkunat ja ovet kiinni 500 metrin säteellä. "
           "Evakuointikeskus Pyynikin koululla on auki klo 20.00 asti. Seuraava tiedote julkaistaan klo 12.00.", ("kaasuvuoto",)),
    "de": ("Gasaustritt an der Hauptstrasse in Göppingen. Halten Sie Fenster und Türen geschlossen im Umkreis von 500 Meter. "
           "Die Notunterkunft in der Stadthalle ist bis 20.00 Uhr geöffnet. Die nächste Information folgt um 12.00 Uhr.", ("Gasaustritt",)),
    "nl": ("Gaslek aan de Hoofdstraat in Deventer. Houd ramen en deuren gesloten binnen 500 meter. "
           "De opvang in sporthal De Scheg is open tot 20.00 uur. De volgende update volgt om 12.00 uur.", ("gaslek",)),
    "en": ("Gas leak on High Street in Ashford. Keep windows and doors closed within 500 metres. "
           "The rest centre at the Civic Hall is open until 8 pm. The next update will be at 12:00.", ("gas leak",)),
}  # fmt: skip


def _shift_times(text: str) -> str:
    """Every clock time two hours later ("20.00" → "22.00", "8 pm" → "10 pm")."""
    text = re.sub(r"\b(\d{1,2})([.:]\d\d)", lambda m: f"{(int(m.group(1)) + 2) % 24:02d}{m.group(2)}", text)
    return re.sub(r"\b(\d{1,2}) pm", lambda m: f"{int(m.group(1)) % 12 + 2} pm", text)


def _double_quantities(text: str) -> str:
    return re.sub(r"\b500\b", "1000", text)


KILOMETRES = {"sv": "kilometer", "fi": "kilometrin", "de": "Kilometer", "nl": "kilometer", "en": "kilometres"}


def _swap_unit(language: str) -> Callable[[str], str]:
    """500 metres → 500 kilometres: the same number, another distance."""
    return lambda text: re.sub(r"\b500 \w+", f"500 {KILOMETRES[language]}", text, count=1)


def _flip_windows(language: str) -> Callable[[str], str]:
    """Replace the instruction to keep windows closed by the language's own words for opening them."""
    opened = lexicon.load(language).instructions["windows"]["open"].phrases[0].replace("*", "")
    opened = opened.replace(lexicon.ENGLISH_ENDINGS, "")  # the marks of inflected forms, not words

    def flip(text: str) -> str:
        first = text.split(". ")
        first[1] = opened[0].upper() + opened[1:]
        return ". ".join(first)

    return flip


def _context(language: str) -> IncidentContext:
    text, keywords = APPROVED[language]
    message = ApprovedMessage.of(1, text, language, T0)
    return IncidentContext(1, keywords, T0 - timedelta(minutes=30), (message,), organisation="Kommun")


def _kinds(language: str, text: str, kind: str) -> set[str]:
    post = PostView(text, T0 + timedelta(minutes=20), kind, "", language)
    return {f.kind for f in evaluate(post, [_context(language)], "Kommun")}


MUTATIONS = {"time": lambda _lang: _shift_times, "number": lambda _lang: _double_quantities,
             "unit": _swap_unit, "instruction": _flip_windows}  # fmt: skip


@pytest.mark.parametrize("language", list(APPROVED))
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_a_changed_fact_is_flagged(language: str, mutation: str) -> None:
    text = APPROVED[language][0]
    changed = MUTATIONS[mutation](language)(text)
    assert changed != text
    assert "inconsistent" in _kinds(language, changed, "watch"), changed
    assert {"inconsistent", "unrouted"} <= _kinds(language, changed, "social"), changed


@pytest.mark.parametrize("language", list(APPROVED))
def test_faithful_shortenings_are_not(language: str) -> None:
    sentences = APPROVED[language][0].split(". ")
    for dropped in range(1, len(sentences)):
        short = ". ".join(s for i, s in enumerate(sentences) if i != dropped) + " https://example.org/info"
        assert _kinds(language, short, "social") == set(), short
        assert "inconsistent" not in _kinds(language, short, "watch"), short
