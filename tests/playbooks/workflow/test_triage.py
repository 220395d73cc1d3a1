"""Issue 12, should-fix: triage hands a flag only to someone who can triage it, and a rumour is answered
only by an approved message of its own incident."""

from __future__ import annotations

import asyncio

import pytest

from playbooks.workflow import flags, incidents, messages, users
from tests.playbooks.workflow.test_flags import APPROVED, at, desk, rss  # noqa: F401 (desk is a fixture)


@pytest.fixture
def rumour(engine, desk, monkeypatch) -> int:  # noqa: F811
    _incident, _message, server, poller = desk
    server.routes["/forum"] = rss([("f1", 5, "Jag hörde att röken är giftig!!! Sprid!")])
    at(monkeypatch, 6)
    asyncio.run(poller.run_once())
    (view,) = flags.list_flags(engine, kind="rumour")
    return view.flag.id


@pytest.mark.parametrize(("to", "why"), [("rita", "reviewer"), ("admin", "admin"), ("arvid", "disabled"),
                                         ("nobody", "no such")])  # fmt: skip
@pytest.mark.parametrize("action", ["escalate", "assign"])
def test_a_flag_goes_only_to_an_active_analyst_or_lead(engine, rumour: int, to: str, why: str, action: str) -> None:
    users.disable(engine, "arvid", by="admin")
    with pytest.raises(flags.TriageError, match=why):
        flags.triage(engine, rumour, action, by="anna", to=to, reason="needs a lead")
    assert flags.list_flags(engine, kind="rumour")[0].flag.status == "open", "nothing changed"
    flag = flags.triage(engine, rumour, action, by="anna", to="lena", reason="needs a lead")
    assert flag.assigned_to == "lena"


def test_a_rumour_is_answered_only_by_an_approved_message_of_its_incident(engine, desk, rumour: int) -> None:  # noqa: F811
    _incident, message, _server, _poller = desk
    other = incidents.open_incident(engine, title="Vattenläcka", by="lars", playbook_name="drinking-water")
    foreign = messages.draft(engine, other, APPROVED, by="anna")
    messages.submit(engine, foreign, by="anna")
    messages.approve(engine, foreign, by="lars")
    with pytest.raises(flags.TriageError, match="another incident"):
        flags.triage(engine, rumour, "resolve", by="anna", message=foreign)
    unapproved = messages.draft(engine, _incident, APPROVED + " Mer info kl. 12.", by="anna")
    with pytest.raises(flags.TriageError, match="not an approved message"):
        flags.triage(engine, rumour, "resolve", by="anna", message=unapproved)
    assert flags.triage(engine, rumour, "resolve", by="anna", message=message).answer_message_id == message


def test_a_triage_reason_keeps_no_terminal_escape_or_bidi_override(engine, rumour: int) -> None:
    # It went into the review's Markdown and CSV as typed.
    with pytest.raises(flags.TriageError, match="a reason needs visible text"):
        flags.triage(engine, rumour, "dismiss", by="anna", reason="\u200b\u2066")
    assert flags.list_flags(engine, kind="rumour")[0].flag.status == "open", "nothing changed"
    flag = flags.triage(engine, rumour, "dismiss", by="anna", reason="satir\x1b]0;pwned\x07 \u202eok")
    assert flag.reason == "satir]0;pwned ok"
