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
    ],
)
def test_a_body_only_mentioned_or_a_relatives_word_relays_nothing(language: str, text: str) -> None:
    assert relayed_body(text, language) is None
