"""What a post is about: keywords in inflected and compound forms, not look-alike substrings."""

from __future__ import annotations

import pytest

from playbooks.checks.terms import key_terms, matched_keywords


@pytest.mark.parametrize(
    ("text", "keyword", "language"),
    [("Röken driver mot centrum", "rök", "sv"), ("brandröken syns", "rök", "sv"),
     ("kaasuvuodon takia", "kaasuvuoto", "fi"), ("Das Trinkwasser ist", "wasser", "de"),
     ("Der Brandschutz ist da", "Brand", "de"), ("Rookontwikkeling in Assen", "rook", "nl"),
     ("FLOODING on the river", "flood", "en"), ("gasläckan vid Storgatan", "gas", "sv")],
)  # fmt: skip
def test_keywords_match_inflected_and_compound_forms(text: str, keyword: str, language: str) -> None:
    assert matched_keywords(text, [keyword], language) == [keyword]


@pytest.mark.parametrize(
    ("text", "keyword", "language"),
    [("Urlaub in Brandenburg", "Brand", "de"), ("Firefox crashed again", "fire", "en"),
     ("Ny gastronomi i centrum", "gas", "sv"), ("Gastronomie am Markt", "Gas", "de")],
)  # fmt: skip
def test_look_alike_substrings_do_not(text: str, keyword: str, language: str) -> None:
    assert matched_keywords(text, [keyword], language) == []


def test_key_terms_come_from_the_title_and_the_places_of_the_approved_messages() -> None:
    terms = key_terms(
        "Gas leak in Ashford",
        ("gas leak",),
        ["Residents of Godinton Road should leave."],
        "Ashford Borough Council",
        "en",
    )
    assert terms.found_in("Police at Godinton Road now", "en") == ["godinton"]
    assert terms.found_in("Lovely day in Ashford", "en") == []  # the organisation's own town says nothing


def test_a_hyphenated_name_of_the_messages_is_a_key_term_though_its_parts_are_common_words() -> None:
    terms = key_terms(
        "Gasaustritt", ("Gasaustritt",), ["Die Friedrich-Ebert-Straße ist gesperrt."], "Stadt Wuppertal", "de"
    )
    assert terms.found_in("Die Friedrich-Ebert-Straße ist ab 22 Uhr wieder frei.", "de") == ["friedrich-ebert-strass"]
    assert terms.found_in("Die Friedrich-Engels-Allee ist frei.", "de") == []


def test_a_road_keyword_keeps_its_number_and_matches_only_itself() -> None:
    keywords = ("A55", "E4")
    assert matched_keywords("Tailbacks on the A55 near Conwy", keywords, "en") == ["A55"]
    assert matched_keywords("Stau auf der E4 Richtung Umeå", keywords, "de") == ["E4"]
    assert matched_keywords("Recycling and waste collections will run as normal", keywords, "en") == []


def test_a_stamp_word_of_the_messages_is_no_key_term() -> None:
    # "Korjaus aiempaan tiedotteeseen" (a correction of the earlier bulletin) in a message: a library notice
    # tagged #tiedote is not about the incident.
    terms = key_terms("Vesijohtovuoto Kortepohjassa", ("vesijohto",),
                      ["Korjaus aiempaan tiedotteeseen: Kortepohjassa vesijohtovuoto."], "Jyväskylän kaupunki", "fi")  # fmt: skip
    assert terms.found_in("Kirjaston aukioloajat muuttuvat. #tiedote", "fi") == []
    assert terms.found_in("Kortepohjassa katu suljettu", "fi") == ["kortepohjassa"]
