"""What makes a post's fact contradict an approved one: the same slot about the same thing, another value."""

from __future__ import annotations

from playbooks.checks import compare, facts


def claim_conflicts(post: str, approved: str, language: str) -> list[compare.Conflict]:
    return [c for c in compare.conflicts(facts.extract(post, language), facts.extract(approved, language))
            if c.kind == "claim"]  # fmt: skip


def test_a_statement_and_its_negation_contradict() -> None:
    found = claim_conflicts("Das Trinkwasser in Gaustadt ist betroffen.",
                            "Das Trinkwasser in Gaustadt ist nicht betroffen.", "de")  # fmt: skip
    assert [(c.post, c.approved) for c in found] == [("positive", "negative")]


def test_a_headline_claim_and_its_denial_contradict_in_german_too() -> None:
    # German capitalises nouns: the shared "Ausgangssperre" is read as a name, and still counts.
    found = claim_conflicts("Ausgangssperre in Gaustadt!", "Für Gaustadt gilt keine Ausgangssperre.", "de")
    assert [(c.post, c.approved) for c in found] == [("positive", "negative")]


def test_a_later_opening_time_moves_an_earlier_closure_of_the_same_thing() -> None:
    (closed,) = [f for f in facts.extract("Heinijärventie on edelleen suljettu.", "fi") if f.slot == "state"]
    (opened,) = [f for f in facts.extract("Heinijärventie avattiin liikenteelle klo 13.50.", "fi")
                 if f.slot.startswith("time")]  # fmt: skip
    assert compare.supersedes(opened, closed)


def test_a_time_that_shares_only_a_village_with_a_closure_does_not_move_it() -> None:
    (closed,) = [f for f in facts.extract("The road through Braichmelyn is closed.", "en") if f.slot == "state"]
    (home,) = [f for f in facts.extract("Residents of Braichmelyn can return home from 3pm.", "en")
               if f.slot.startswith("time")]  # fmt: skip
    assert not compare.supersedes(home, closed)


def test_two_things_whose_words_only_begin_alike_do_not_move_each_other() -> None:
    (closed,) = [f for f in facts.extract("Idrottsplatsen är avstängd.", "sv") if f.slot == "state"]
    (opens,) = [f for f in facts.extract("Idrottshallen öppnar kl. 18 som evakueringsplats.", "sv")
                if f.slot.startswith("time")]  # fmt: skip
    assert not compare.supersedes(opens, closed)


def test_durations_far_apart_are_two_things_unless_their_words_tie_them() -> None:
    (waited,) = [f for f in facts.extract("Queue at Rheidol is out the door, been here 40 mins.", "en")
                 if f.slot == "duration"]  # fmt: skip
    (isolation,) = [f for f in facts.extract("Pupils in Aberystwyth with swollen glands stay at home for five days.",
                                             "en") if f.slot == "duration"]  # fmt: skip
    assert not compare.comparable(waited, isolation)
    (wait10,) = [f for f in facts.extract("Wait 10 minutes before you drink.", "en") if f.slot == "duration"]
    (wait5,) = [f for f in facts.extract("Let the tap run for 5 minutes.", "en") if f.slot == "duration"]
    assert compare.comparable(wait10, wait5)  # one waiting time, written twice


def test_a_copy_that_cuts_or_rewords_a_statement_changes_nothing_but_one_that_turns_it_does() -> None:
    def changed(copy: str, message: str, language: str) -> list[str]:
        return [c.kind for c in compare.changed(facts.extract(copy, language), facts.extract(message, language))]

    message = ("Door een storing in de verkeerscomputer zijn sinds 6.30 uur alle verkeerslichten in het centrum "
               "uitgevallen. Vermijd het centrum tijdens de ochtendspits.")  # fmt: skip
    assert changed("Alle verkeerslichten in het centrum zijn uitgevallen. Vermijd het centrum!", message, "nl") == []
    assert changed("Keine Grüngutabfuhr in Hagmatt bis auf Weiteres.",
                   "Die reguläre Grüngutabfuhr entfällt in den Quartieren Hagmatt bis auf Weiteres.", "de") == []  # fmt: skip
    assert changed("Das Trinkwasser in Gaustadt ist nicht betroffen.", "Das Trinkwasser in Gaustadt ist betroffen.",
                   "de") == ["claim"]  # fmt: skip
