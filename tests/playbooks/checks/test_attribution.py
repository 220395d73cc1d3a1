"""Whose word a post passes on: a public body's, said near a speech or relay verb."""

import pytest

from playbooks.checks.attribution import relayed_body


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Ab 19 Uhr können wir wieder rein, hat die Stadt gesagt."),
        ("de", "D'Stadt hät doch gseit, es sind kei Date abgflosse."),
        ("de", "Laut Gemeinde san eh nur 40 Leut' drin."),
        ("sv", "Kommunen skriver att man ska sjukanmäla via mejl till mentorn idag"),
        ("fi", "Junat ei kulje ennen kuutta illalla, niin kaupunki sanoi."),
        ("nl", "Gemeente zegt dat fietsers er gewoon over mogen"),
        ("en", "Results are out this afternoon according to the council"),
    ],
)
def test_a_post_that_says_what_a_public_body_said_relays_it(language: str, text: str) -> None:
    assert relayed_body(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die Stadt räumt heute den Schnee in der Altstadt."),  # the body acts, nobody quotes it
        ("sv", "Min svåger jobbar på kommunen och han säger att det är minst en död."),  # a relative's word
        ("en", "The council offices are shut, my neighbour said she heard sirens all night long over there."),
        ("fi", "Naapuri sanoi että vesi on pahaa."),  # nobody public
        ("en", "Drove home via the city centre, everything is open until 8 pm."),  # a place, no speaker
        ("en", "I heard the city marathon is on Sunday."),
        ("fi", "Kaupungin kautta, sanoi Pekka."),  # Pekka said it, across a comma
        ("nl", "We rijden via de stad naar huis."),
    ],
)
def test_a_body_only_mentioned_or_a_relatives_word_relays_nothing(language: str, text: str) -> None:
    assert relayed_body(text, language) is None


def test_a_relayed_body_is_found_in_time_linear_in_the_text() -> None:
    # Thousands of bodies and verbs, none near enough: each body is held against its nearest verbs only.
    text = "Die Stadt räumt. " * 3000 + "Er hat gesagt. " * 3000
    assert relayed_body(text, "de") is None
    assert relayed_body("Kommunen skriver att vi ska vänta till i morgon.", "sv")  # "vänta" is no friend
