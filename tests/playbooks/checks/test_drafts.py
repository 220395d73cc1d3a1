"""Checks of a draft before approval: R10 hedges (the rumour cues), R9 channel lengths, R16 personal data,
the playbook's must-have parts and readability."""

from __future__ import annotations

from dataclasses import replace

from playbooks import playbook
from playbooks.checks.drafts import check, personal_data

BOOK = playbook.get("default")
GOOD = ("Brand i Östmark. Håll fönster och dörrar stängda i området runt Storgatan. "
        "Nästa information kommer kl. 12.00.")  # fmt: skip


def test_a_complete_factual_draft_has_no_warnings() -> None:
    result = check(GOOD, "sv", BOOK, keywords=("brand",))
    assert result.warnings == [] and result.missing_parts == []


def test_r10_hedges_are_the_rumour_cues_of_the_drafts_language() -> None:
    result = check("Branden är troligen anlagd, det sägs att två är skadade.", "sv", BOOK, keywords=("brand",))
    assert {"troligen", "det sägs"} <= set(result.hedges)
    assert any(w.startswith("R10:") for w in result.warnings)


def test_r9_a_long_message_for_a_short_channel_needs_a_link() -> None:
    long = GOOD + " " + "Mer information om evakueringen och stödet till drabbade finns hos kommunen. " * 4
    result = check(long, "sv", BOOK, keywords=("brand",))
    assert "x" in result.too_long_for and "sms" in result.too_long_for and "facebook" not in result.too_long_for
    assert any(w.startswith("R9:") for w in result.warnings)
    assert check(long + " https://torsby.se/brand", "sv", BOOK, keywords=("brand",)).too_long_for == []
    # A bare domain is a link the reader types in too.
    assert check(long + " Mer på torsby.se", "sv", BOOK, keywords=("brand",)).too_long_for == []


def test_r16_personal_data_is_named() -> None:
    found = personal_data("Kontakta anna.svensson@example.se eller ring 070-123 45 67. Pnr 811228-9874.")
    assert any("e-mail" in f for f in found) and any("phone" in f for f in found)
    assert any("Swedish personal identity number" in f for f in found)
    assert personal_data("Ring 112 vid fara.") == []


def test_r16_the_organisations_own_contacts_are_not_personal_data() -> None:
    text = ("Ring kommunens växel 0560-160 00 eller mejla kommun@torsby.se. "
            "Kontakta anna.svensson@torsby.se eller 070-123 45 67.")  # fmt: skip
    found = personal_data(text, public=("0560-160 00",))
    assert found == ["e-mail address anna.svensson@torsby.se", "phone number 070-123 45 67"]
    assert personal_data("Call +46 560 160 00", public=("0560-160 00",)) == []
    listed = replace(BOOK, public_contacts=("0560-160 00",))
    assert check("Brand i Östmark. Frågor: 0560-160 00.", "sv", listed).personal_data == []


def test_missing_parts_and_readability() -> None:
    result = check("Brand.", "sv", BOOK, keywords=("brand",))
    assert {"where", "do", "next"} <= set(result.missing_parts)
    hard = check("Kommunövergripande krisledningsorganisationens informationsverksamhetsplanering "
                 "förutsätter samordningsfunktionernas gemensamma lägesuppfattningsprocesser.", "sv", BOOK)  # fmt: skip
    assert hard.lix > 50 and any(w.startswith("R3:") for w in hard.warnings)
