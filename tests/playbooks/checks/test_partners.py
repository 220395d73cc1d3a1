"""Consistency with partners, the pure comparison (issue 14, item 4): the checks' own fact extraction,
the partner warning in the place of the approved message."""

from __future__ import annotations

import pytest

from playbooks.checks.partners import PartnerText, contradictions, evidence, score

WARNING_DE = PartnerText(
    7, "mow.A", "Gasaustritt", "Gasaustritt in Nordstadt. Bleiben Sie bis 20:00 Uhr in geschlossenen Räumen. "
    "Halten Sie Fenster und Türen geschlossen.", "de", "Leitstelle", "Severe",
)  # fmt: skip
WARNING_EN = PartnerText(8, "B", "Gas leak", "Gas leak in the harbour. Stay indoors. Keep windows closed.", "en")


@pytest.mark.parametrize(
    ("text", "language", "warning", "found"),
    [
        ("Bleiben Sie bis 22:00 Uhr in geschlossenen Räumen.", "de", WARNING_DE, [("time:until", "22:00", "20:00")]),
        ("Öppna fönstren nu och vädra.", "sv", WARNING_DE, [("windows", "open", "closed")]),  # across languages
        ("Open your windows to air the rooms.", "en", WARNING_EN, [("windows", "open", "closed")]),
        ("Everyone in the harbour must evacuate now.", "en", WARNING_EN, [("shelter", "evacuate", "indoors")]),
        # Another place: the shelter the warning names and the one we name.
        (
            "The evacuation centre is at the Frykenhallen sports hall.",
            "en",
            PartnerText(
                9, "C", "Evacuation", "Evacuation of Östmark. The evacuation centre is at Torsby school.", "en"
            ),
            [("place:evacu", "names:frykenhallen|in:sports hall", "names:torsbi|in:school")],
        ),
        ("Halten Sie die Fenster geschlossen.", "de", WARNING_DE, []),  # agrees
        ("Der Gasaustritt in Nordstadt ist nicht passiert.", "de", WARNING_DE, []),  # statements are not compared
        ("", "de", WARNING_DE, []),
    ],
)
def test_contradictions(text: str, language: str, warning: PartnerText, found: list[tuple[str, str, str]]) -> None:
    assert [(c.kind, c.post, c.approved) for c in contradictions(text, language, warning)] == found


def test_the_evidence_puts_both_texts_side_by_side() -> None:
    text = "Öppna fönstren nu och vädra."
    found = contradictions(text, "sv", WARNING_DE)
    shown = evidence(text, WARNING_DE, found)
    assert shown["our_text"] == text and shown["partner_text"] == WARNING_DE.text
    assert (shown["partner_post"], shown["partner_identifier"], shown["partner_headline"]) == (
        7,
        "mow.A",
        "Gasaustritt",
    )
    assert shown["partner_conflicts"] == [{"kind": "windows", "ours": "open", "partner": "closed",
                                           "our_text": found[0].post_text, "partner_text": found[0].approved_text}]  # fmt: skip
    assert 0.8 < score(found) < 1
