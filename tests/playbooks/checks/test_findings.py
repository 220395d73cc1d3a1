"""The checks on the labelled five-language sets: every kind raised in every language, hard negatives not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.eval_checks import HOLDOUT, KINDS, LABELLED, labelled_predictions, score_rows
from playbooks.checks.findings import ApprovedMessage, IncidentContext, PostView, evaluate
from playbooks.checks.terms import matched_keywords

DEV = labelled_predictions(LABELLED)
HELD = labelled_predictions(HOLDOUT)
LANGS = ("sv", "fi", "de", "nl", "en")


@pytest.mark.parametrize("kind", KINDS)
def test_f1_of_every_kind_is_at_least_0_9_on_the_development_set(kind: str) -> None:
    scores = score_rows(DEV)[kind]
    assert scores["all"]["f1"] >= 0.9, scores["all"]


@pytest.mark.parametrize("kind", KINDS)
def test_f1_of_every_kind_on_the_held_out_set(kind: str) -> None:
    assert score_rows(HELD)[kind]["all"]["f1"] >= 0.85


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_is_raised_in_every_language(lang: str) -> None:
    raised = {k for row in DEV if row["lang"] == lang for k in row["predicted"]}
    assert raised == set(KINDS)


@pytest.mark.parametrize("lang", LANGS)
def test_hard_negatives_raise_nothing(lang: str) -> None:
    wrong = [row["text"] for row in DEV if row["lang"] == lang and not row["expected"] and row["predicted"]]
    assert wrong == []


T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
MESSAGE = ApprovedMessage.of(7, "Håll fönster stängda. Nästa information kommer kl. 09.00.", "sv", T0)
FIRE = IncidentContext(1, ("brand", "rök"), T0 - timedelta(hours=1), (MESSAGE,))


def findings(text: str, kind: str | None = "watch", name: str = "", minutes: int = 10) -> dict[str, object]:
    found = evaluate(PostView(text, T0 + timedelta(minutes=minutes), kind, name), [FIRE], "Torsby kommun")
    return {f.kind: f for f in found}


def test_a_rumour_flag_explains_itself() -> None:
    flag = findings("Jag hörde att röken är giftig!!! Sprid detta")["rumour"]
    assert flag.rule == "R2" and flag.incident == 1 and flag.score > 0.9
    assert flag.evidence["cues"] == ["hearsay: jag hörde", "share: sprid", "sensational punctuation"]
    assert flag.evidence["about"] == ["rök"]


def test_an_inconsistency_shows_the_facts_side_by_side() -> None:
    flag = findings("Branden: nästa information kl. 11.00")["inconsistent"]
    assert flag.message == 7
    assert flag.evidence["conflicts"] == [
        {
            "kind": "time:next",
            "post": "11:00",
            "approved": "09:00",
            "post_text": "kl. 11.00",
            "approved_text": "kl. 09.00",
        }
    ]


def test_a_post_from_before_the_incident_or_about_something_else_is_left_alone() -> None:
    assert findings("Jag hörde att röken är giftig!!!", minutes=-120) == {}
    assert findings("Jag hörde att bussen är inställd!!! Sprid") == {}


def test_an_unknown_account_speaking_in_the_organisations_name() -> None:
    flag = findings("Torsby kommun informerar: stanna inomhus", kind=None)["impersonation"]
    assert flag.rule == "R5" and flag.evidence["why"] == "the post speaks in the organisation's name"


@pytest.mark.parametrize(
    ("text", "keyword"),
    [("Röken driver mot centrum", "rök"), ("brandröken syns", "rök"), ("kaasuvuodon takia", "kaasuvuoto"),
     ("Das Trinkwasser ist", "wasser"), ("Rookontwikkeling in Assen", "rook"), ("FLOODING on the river", "flood")],
)  # fmt: skip
def test_keywords_match_inflected_and_compound_forms(text: str, keyword: str) -> None:
    assert matched_keywords(text, [keyword]) == [keyword]
