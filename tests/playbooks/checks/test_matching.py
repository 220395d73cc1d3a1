"""Whether a post carries an approved message: words split once, links left out, facts unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playbooks.checks import facts, matching
from playbooks.checks.matching import (
    best_match,
    carries,
    carries_message,
    copies,
    excerpt,
    excerpt_lines,
    facts_of,
    headline,
    newest_listed,
    post_text,
    sentence_marks,
    words_of,
)

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
MESSAGE = "The rest centre at the Town Hall is open until 10 pm. Keep windows and doors closed near Mill Road."


def test_a_title_that_starts_the_text_adds_nothing_and_a_cut_word_is_dropped() -> None:
    assert post_text("The rest centre at the Town Hall is open u…", MESSAGE) == MESSAGE
    assert post_text("Rest centre open until 1…", "Open now.") == "Rest centre open until\n\nOpen now."


def test_links_do_not_count_as_words_of_a_shortened_copy() -> None:
    short = "Rest centre at the Town Hall open until 10 pm, keep windows closed near Mill Road https://t.example/x/y/z"
    assert "https" not in words_of(short) and carries(short, MESSAGE)


def test_a_copy_with_a_changed_fact_does_not_carry_the_message() -> None:
    site = copies([("", MESSAGE.replace("10 pm", "8 pm"), T0), ("", MESSAGE, T0 + timedelta(minutes=30))])
    message_facts = facts.extract(MESSAGE, "en")
    assert not carries_message(site[0], words_of(MESSAGE), message_facts, "en")
    assert carries_message(site[1], words_of(MESSAGE), message_facts, "en")


def test_the_later_message_wins_a_tie() -> None:
    words = words_of(MESSAGE)
    assert best_match(words, [(1, words), (2, words)]) == (2, 1.0)


def test_a_one_line_shortened_copy_carries_the_message_when_nearly_all_its_words_are_the_message_s() -> None:
    message = ("Evakuointi on päättynyt, ja asukkaat voivat palata koteihinsa. Ilmanlaatumittauksissa ei ole havaittu "
               "vaarallisia pitoisuuksia. Keskustan koulut ovat huomenna auki normaalisti. Ratapihan raivaustyöt "
               "jatkuvat yön yli.")  # fmt: skip
    short = "Evakuointi on päättynyt ja kotiin voi palata 🏠 Koulut auki huomenna normaalisti. https://kouvola.fi/x"
    assert carries(short, message)
    # A short post about the same thing in other words is no copy.
    assert not carries("Koulut auki huomenna? Evakuointi jatkuu yhä, kukaan ei tiedä milloin pääsee kotiin.", message)


def test_a_shortened_copy_in_other_inflections_of_the_message_s_words_carries_it() -> None:
    message = (
        "Ammoniakkivuoto Hakametsän jäähallissa. Jäähallin ympärillä 500 metrin säteellä on pysyttävä "
        "sisätiloissa ja suljettava ikkunat. Evakuoidut kootaan Hervannan uimahalliin. Seuraava tiedote klo 14."
    )
    short = "Ammoniakkivuoto jäähallilla: 500 metrin säteellä pysy sisällä, sulje ikkunat. Evakuoitujen kokoontuminen Hervannan uimahallilla. Lisää: tampere.fi"
    # Whole words, the copy shares too few with the message: "jäähallilla" is not "jäähallissa".
    assert len(words_of(short) & words_of(message)) >= 8 and carries(short, message)
    assert words_of("jäähallilla jäähallissa 2026") == {"jääha", "2026"}


def test_a_headline_over_a_text_that_states_the_same_kind_of_fact_is_left_out() -> None:
    # A live page keeps the incident's name as its headline ("… road closed") over each update.
    title, text = "Landslide in the valley – Valley Road closed", "Valley Road is open again from 7 pm, one lane only."
    read = facts_of(post_text(title, text), headline(title, text), "en", T0)
    assert ("state", "closed") not in {(f.slot, f.value) for f in read}
    assert ("time:from", "19:00") in {(f.slot, f.value) for f in read}
    # A headline over a text that says nothing of its kind still counts.
    title, text = "Rest centre open until 10 pm", "Bring your medicines and a blanket."
    read = facts_of(post_text(title, text), headline(title, text), "en", T0)
    assert ("time:until", "22:00") in {(f.slot, f.value) for f in read}
    # Nor does a time of another thing in the text hide the headline's.
    title, text = "Rest centre open until 8 pm", "Keep windows and doors closed near Mill Road until 6 pm."
    read = facts_of(post_text(title, text), headline(title, text), "en", T0)
    assert ("time:until", "20:00") in {(f.slot, f.value) for f in read}


def test_a_website_copy_under_a_headline_with_a_publication_stamp_still_carries_the_message() -> None:
    site = copies([("Update 10 May 2026, 14:30: fire on Mill Road", MESSAGE, T0)])
    message_facts = facts.extract(MESSAGE, "en")
    assert carries_message(site[0], words_of(MESSAGE), message_facts, "en")
    assert headline("The rest centre at the Town Hall is open u…", MESSAGE) == ""


def test_hashtags_add_no_words_to_a_copy() -> None:
    assert words_of("⚠️ " + MESSAGE + " #krisinfo #update") == words_of(MESSAGE)


FIRST = "The rest centre at the Civic Hall is open until 8 pm. Keep windows closed."
SECOND = "The rest centre at the Civic Hall is now open until 10 pm."


def test_a_page_that_lists_the_messages_speaks_in_the_newest_one() -> None:
    page = f"{SECOND}\n\n{FIRST}"
    assert newest_listed(page, [sentence_marks(FIRST), sentence_marks(SECOND)]) == SECOND


def test_a_page_with_a_sentence_of_its_own_or_one_message_is_read_whole() -> None:
    own = f"{SECOND} Bring your medicines and a phone charger please. {FIRST}"
    assert newest_listed(own, [sentence_marks(FIRST), sentence_marks(SECOND)]) == own
    assert newest_listed(FIRST, [sentence_marks(FIRST), sentence_marks(SECOND)]) == FIRST


def test_a_post_cut_from_the_message_s_sentences_is_an_excerpt_of_it() -> None:
    message = excerpt_lines(
        "Kaanaan teollisuusalueella palaa. Kaanaantie on suljettu liikenteeltä. Vesijohtovettä ei saa juoda. "
        "Pysy sisällä klo 18 asti."
    )
    assert excerpt("Kaanaantie on suljettu liikenteeltä. Lisää: https://pori.fi/tiedotteet #pori", message)
    assert excerpt("Pysy sisällä klo 18 asti!", message)
    assert excerpt("⚠️ PÄIVITYS: Korjaus: Kaanaantie on suljettu liikenteeltä.", message)  # labels head it
    assert excerpt("Vesijohtovettä ei saa juoda.", message)  # the message's own short negation
    assert not excerpt("Pysy sisällä klo 20 asti.", message)  # another figure
    assert not excerpt("Klo 20: Kaanaantie on suljettu liikenteeltä.", message)  # a figure in what heads it
    assert not excerpt("Kaanaantie ei ole suljettu liikenteeltä.", message)  # a negation of its own
    assert not excerpt("Vesijohtovettä saa juoda.", message)  # the message's negation dropped
    assert not excerpt("Kaanaantie on suljettu kaikelta liikenteeltä.", message)  # a word of its own
    assert not excerpt("Kaanaantie on suljettu. Koulut ovat kiinni huomenna.", message)  # a sentence of its own
    assert not excerpt("Kaanaantie on suljettu liikenteeltä. Evakuoikaa!", message)  # a short one of its own
    assert not excerpt("Lisää: https://pori.fi/tiedotteet", message)  # nothing of the message
    assert not excerpt("Ei suljettu: Kaanaantie on suljettu liikenteeltä.", message)  # no label: not the message's


def test_a_post_is_split_once_however_many_messages_it_is_held_against() -> None:
    post = "Värmestugan i Kåge är öppen till kl. 22.00."
    messages = [matching.excerpt_lines(f"Värmestugan i Kåge är öppen till kl. 22.00. Nästa information kl. {h}.")
                for h in range(10, 20)]  # fmt: skip
    matching._post_lines.cache_clear()
    assert all(matching.excerpt(post, lines) for lines in messages)
    info = matching._post_lines.cache_info()
    assert (info.misses, info.hits) == (1, len(messages) - 1)
