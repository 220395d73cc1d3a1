"""One tokenizer: words, stems, sentences (that keep their question mark) and names."""

from __future__ import annotations

import pytest

from playbooks.checks import facts, tokens


def test_sentences_end_at_punctuation_before_a_capital_not_after_kl() -> None:
    text = "Strömavbrott sedan kl. 06.00. Håll kylen stängd! Vet någon när? Ring 112. Mer: https://x.se/a.b"
    assert tokens.sentences(text) == [
        "Strömavbrott sedan kl. 06.00.", "Håll kylen stängd!", "Vet någon när?", "Ring 112.", "Mer:",
    ]  # fmt: skip


def test_a_saints_name_or_a_street_abbreviation_ends_no_sentence() -> None:
    text = "Die Notbetreuung ist im Pfarrheim St. Nikola. Treffpunkt Hauptstr. 5, Dr. Meier ist da."
    assert tokens.sentences(text) == ["Die Notbetreuung ist im Pfarrheim St. Nikola.",
                                      "Treffpunkt Hauptstr. 5, Dr. Meier ist da."]  # fmt: skip


def test_clauses_end_at_commas_and_but() -> None:
    assert tokens.clauses("Wieder erreichbar über das Mobilnetz, über das Festnetz weiterhin nicht") == [
        "Wieder erreichbar über das Mobilnetz", "über das Festnetz weiterhin nicht",
    ]  # fmt: skip


def test_stems_of_content_words() -> None:
    assert tokens.stems("Brandröken sprider sig", "sv") == {"brandrök", "sprid"}
    assert tokens.stem("kaasuvuodon", "fi") == tokens.stem("kaasuvuodon", "fi")
    # Modal verbs and time prepositions name nothing: two sentences sharing "kunt" and "vanaf" share no subject.
    assert tokens.content_words("Vanaf morgen kunt u terecht bij het loket", "nl") == ["morgen", "terecht", "loket"]


def test_a_question_or_exclamation_ends_its_sentence_before_a_small_letter() -> None:
    assert tokens.sentences("Onko se auki? veisin kahvia sinne") == ["Onko se auki?", "veisin kahvia sinne"]
    assert tokens.sentences("Wow! eindelijk open.") == ["Wow!", "eindelijk open."]
    assert tokens.sentences("Open kl. 9 idag.") == ["Open kl. 9 idag."]  # a full stop still needs a capital
    # Runs of marks are read once, not from each mark (20,000 of them took seconds before).
    assert tokens.sentences("?" * 20_000 + " x")[-1] == "x"


def test_names_are_rare_capitalised_words_inside_a_sentence() -> None:
    assert tokens.names("The rest centre at Rideau Heights opens at 1 pm", "en") == {"rideau"}
    assert tokens.names("Keep the windows closed at Home", "en") == frozenset()


def test_a_street_is_a_name_however_common_and_wherever_it_stands() -> None:
    assert tokens.names("Uppdatering: Kungsgatan öppnar igen", "sv") == {tokens.stem("kungsgatan", "sv")}
    # At a sentence's start a street's first part must be no common word; common nouns end alike.
    for text, language in [("Motorvägen är stängd", "sv"), ("Olycksplatsen är avspärrad", "sv"),
                           ("Kiertotie on merkitty", "fi"), ("Rehtori tiedottaa", "fi"), ("Blokkade opgeheven", "nl")]:  # fmt: skip
        assert tokens.names(text, language) == frozenset(), text
    assert tokens.stem("universitetsvägen", "sv") in tokens.names("Nu: Universitetsvägen öppen", "sv")
    assert tokens.names("Die Halle am Marktplatz ist offen", "de") == {tokens.stem("marktplatz", "de")}
    assert tokens.names("Gatan är stängd", "sv") == frozenset()  # "the street" itself names none


def test_a_common_noun_in_the_genitive_is_no_name() -> None:
    assert tokens.names("Anwohner außerhalb dieses Bereichs halten bitte Fenster geschlossen", "de") == frozenset()
    assert tokens.stem("välsvikens", "sv") in tokens.names("inom 500 meter från Välsvikens handelsområde", "sv")


def test_is_word_tells_a_compounds_part_from_a_fragment() -> None:
    assert tokens.is_word("schutz", "de") and not tokens.is_word("enburg", "de")


@pytest.mark.parametrize(
    ("word", "common"),
    [("haustieren", True), ("notunterkunft", True), ("entschärfung", True), ("geflügelmarkt", True),
     ("rosenplatz", False), ("siegsdorf", False), ("osnabrück", False), ("wädenswil", False), ("schinkel", False)],
)  # fmt: skip
def test_a_german_compound_of_known_words_is_a_common_noun_and_a_place_ending_is_not(word: str, common: bool) -> None:
    assert tokens.german_common_noun(word) is common


def test_a_word_led_by_a_digit_is_a_value_not_content() -> None:
    assert tokens.content_words("Hulplijn tot 20u vandaag, 3km verder, bus A7", "nl") == ["hulplijn", "verder", "bus"]


def test_a_line_break_inside_a_sentence_does_not_end_it() -> None:
    # A <br> or a body hard-wrapped at 60 characters breaks lines inside sentences.
    wrapped = "The rest centre at the Town Hall is open until 22:00 and the\nswimming hall stays closed until Monday."
    assert tokens.sentences(wrapped) == [wrapped.replace("\n", " ")]
    # A wrap leaves "klo" or "1." at a line's end and a bracket or a time at the next line's start.
    assert tokens.sentences("Raitiovaunuliikenne palaa normaaliksi koko reitillä noin klo\n17. Bussit ajavat.") == [
        "Raitiovaunuliikenne palaa normaaliksi koko reitillä noin klo 17.", "Bussit ajavat."]  # fmt: skip
    assert tokens.sentences("Ein zweiter Ausbruch wurde in einem Betrieb in Winsen\n(Aller) bestätigt.") == [
        "Ein zweiter Ausbruch wurde in einem Betrieb in Winsen (Aller) bestätigt."]  # fmt: skip
    # A headline, a label and list entries are lines of their own.
    assert tokens.sentences("Stand:\n10.03.2026\nBetroffen sind:\n- Schule A\n- Schule B") == [
        "Stand:", "10.03.2026", "Betroffen sind:", "- Schule A", "- Schule B"]  # fmt: skip
    long_headline = "Gasaustritt in Elberfeld – Evakuierung rund um den Laurentiusplatz"
    assert tokens.sentences(f"{long_headline}\n\nDie Evakuierung wird um 20.30 Uhr aufgehoben.")[0] == long_headline


def test_a_wrapped_copy_states_the_facts_of_its_message() -> None:
    message = "Värmestugan i Folkets hus har öppet till kl. 22.00. Håll fönster och dörrar stängda i Östmark."
    wrapped = "Värmestugan i Folkets hus har öppet till kl. 22.00. Håll fönster\noch dörrar stängda i Östmark."
    assert [(f.slot, f.value) for f in facts.extract(wrapped, "sv")] == [
        (f.slot, f.value) for f in facts.extract(message, "sv")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Mer på hallsberg.se.",
        "Lisää: hameenlinna.fi/ajankohtaista",
        "Infos: giessen.de/aktuell",
        "www.kalmar.se/krisinfo",
    ],
)
def test_a_bare_web_address_is_a_link(text: str) -> None:
    assert not any("." in w or w in ("se", "fi", "de") for w in tokens.words(tokens.strip_links(text)))


def test_clock_times_abbreviations_and_e_mail_addresses_are_no_links() -> None:
    text = "kl.18.00, z.B. klo 12.30, info@stad.nl"
    assert tokens.strip_links(text) == text


@pytest.mark.parametrize(
    "text", ["Skolan är stängd.de boende får stanna hemma", "Road closed.at 18:00 it reopens", "geschlossen.info folgt"]
)
def test_a_sentence_without_a_space_after_its_full_stop_keeps_its_words(text: str) -> None:
    assert tokens.strip_links(text) == text


def test_an_e_mail_address_is_kept_whole_and_hostile_hyphens_are_read_in_linear_time() -> None:
    assert tokens.strip_links("krisinfo@kalmar-kommun.se") == "krisinfo@kalmar-kommun.se"
    assert tokens.strip_links("a-" * 100_000) == "a-" * 100_000  # was minutes: each start scanned to the end
