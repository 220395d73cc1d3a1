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


def test_two_statements_that_share_only_a_name_say_different_things() -> None:
    # Both name the hospitals; one says care is assured, the other that a system failed: no contradiction.
    approved = "Seit heute Morgen um 5 Uhr ist das Klinikinformationssystem der Spitäler Schaffhausen ausgefallen."
    assert claim_conflicts("Die Notfallversorgung sei gewährleistet, teilen die Spitäler Schaffhausen mit.",
                           approved, "de") == []  # fmt: skip
    assert claim_conflicts("Das Sommerfest am Mühlbach wird man in Kolbermoor so schnell nicht vergessen.",
                           "Nach dem Besuch des Sommerfests am Mühlbach in Kolbermoor sind Gäste erkrankt.",
                           "de") == []  # fmt: skip


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
