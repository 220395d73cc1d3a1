"""The word lists of the five languages: one file per language, one loader, phrases with stems and gaps."""

from __future__ import annotations

import pytest

from playbooks.checks import lexicon
from sources.language import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_cue_family_and_the_fact_words(language: str) -> None:
    lex = lexicon.load(language)
    assert all(lex.cues[family] for family in lexicon.CUE_FAMILIES)
    assert lex.negation and lex.units and lex.instructions["windows"]["closed"] and lex.states["open"]
    assert len(lex.weekdays) >= 7 and len(lex.months) == 12


def test_words_that_yaml_would_read_as_booleans_stay_words() -> None:
    assert "no" in lexicon.load("en").negation  # plain YAML reads `no` as False


def test_a_phrase_may_be_a_stem_or_have_a_gap() -> None:
    phrases = lexicon.Phrases(["rykte*", "soll … haben", "jag hörde", "!!!"])
    text = "ryktena säger att det soll dort tote gegeben haben, jag hörde det!!!"
    assert phrases.find(text) == ["ryktena", "soll dort tote gegeben haben", "jag hörde", "!!!"]
    assert phrases.find("jag hördes inte") == []  # a whole word, not a prefix


def test_inflected_phrases_match_other_forms() -> None:
    windows = lexicon.Phrases(["ramen weer open"], inflect=True)
    assert windows.find("in blerick kunt u de ramen weer openen") == ["ramen weer openen"]


def test_an_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no lexicon for language 'xx'"):
        lexicon.load("xx")
