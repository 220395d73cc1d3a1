"""The routing workflow (R1, R8): drafts reach the public only through a second person's approval."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.db import write_session
from playbooks.workflow import audit, incidents, messages
from playbooks.workflow.messages import FourEyesViolation, WorkflowError
from playbooks.workflow.models import Approval, Message
from playbooks.workflow.roles import PermissionDenied

TEXT = "Brand i industriområdet Östmark. Håll dörrar och fönster stängda. Nästa information kommer kl. 10.00."


@pytest.fixture
def incident(engine, team) -> int:
    return incidents.open_incident(engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke")


def published(engine, incident: int, text: str = TEXT, author: str = "anna", approver: str = "lars") -> int:
    message_id = messages.draft(engine, incident, text, by=author)
    messages.submit(engine, message_id, by=author)
    messages.approve(engine, message_id, by=approver)
    messages.publish(engine, message_id, by=author)
    return message_id


def test_draft_submit_approve_publish(engine, incident: int) -> None:
    message_id = published(engine, incident)
    message = messages.get(engine, message_id)
    assert (message.state, message.language, message.published_by) == ("published", "sv", "anna")
    approval = messages.approval_of(engine, message_id)
    assert approval is not None and approval.approver == "lars" and approval.text_hash == messages.text_hash(TEXT)
    assert [m.id for m in messages.current_messages(engine, incident).values()] == [message_id]


def test_nobody_approves_their_own_message(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, TEXT, by="lars")
    messages.submit(engine, message_id, by="lars")
    with pytest.raises(FourEyesViolation, match="a different lead must approve"):
        messages.approve(engine, message_id, by="lars")
    messages.approve(engine, message_id, by="lena")


def test_the_database_itself_refuses_self_approval(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, TEXT, by="lars")
    with pytest.raises(IntegrityError), write_session(engine) as session:
        session.add(Approval(message_id=message_id, author="lars", approver="lars", text_hash="x",
                             approved_at=messages.get(engine, message_id).created_at))  # fmt: skip
    with pytest.raises(IntegrityError), write_session(engine) as session:
        # Lying about the author does not help: (message, author) must match the message.
        session.add(Approval(message_id=message_id, author="anna", approver="lars", text_hash="x",
                             approved_at=messages.get(engine, message_id).created_at))  # fmt: skip


def test_analysts_and_reviewers_cannot_approve(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, message_id, by="anna")
    for user in ("arvid", "rita", "admin"):
        with pytest.raises(PermissionDenied):
            messages.approve(engine, message_id, by=user)


def test_text_changed_after_approval_is_not_published(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, message_id, by="anna")
    messages.approve(engine, message_id, by="lars")
    with write_session(engine) as session:  # someone edits the row behind the workflow's back
        session.execute(update(Message).where(Message.id == message_id).values(text=TEXT.replace("10.00", "12.00")))
    with pytest.raises(WorkflowError, match="differs from the text approved"):
        messages.publish(engine, message_id, by="anna")


def test_steps_out_of_order_are_refused_with_the_state(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, TEXT, by="anna")
    with pytest.raises(WorkflowError, match="is draft: only a message that is submitted can be approved"):
        messages.approve(engine, message_id, by="lars")
    with pytest.raises(WorkflowError, match="only a message that is approved can be published"):
        messages.publish(engine, message_id, by="anna")
    with pytest.raises(WorkflowError, match="needs a reason"):
        messages.reject(engine, message_id, by="lars", reason=" ")


def test_a_rejection_reason_keeps_no_terminal_escape_or_bidi_override(engine, incident: int) -> None:
    # It went into the review's Markdown and CSV as typed: ESC[2J cleared the reader's terminal.
    message_id = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, message_id, by="anna")
    with pytest.raises(WorkflowError, match="needs a reason"):
        messages.reject(engine, message_id, by="lars", reason="\u200b\u202e")
    messages.reject(engine, message_id, by="lars", reason="Fel tid\x1b[2J \u202ekl. 10")
    assert messages.get(engine, message_id).rejected_reason == "Fel tid[2J kl. 10"


def test_a_rejected_draft_is_revised_into_a_new_version(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, TEXT.replace("Östmark", "Östmark, troligen"), by="anna")
    checks = messages.submit(engine, message_id, by="anna")
    assert checks.hedges == ["troligen"]
    messages.reject(engine, message_id, by="lars", reason="Ingen spekulation (R10)")
    new_id = messages.revise(engine, message_id, TEXT, by="anna")
    revised = messages.get(engine, new_id)
    assert (revised.replaces_id, revised.state) == (message_id, "draft")
    assert messages.get(engine, message_id).rejected_reason == "Ingen spekulation (R10)"


def test_a_revision_needs_its_own_approval_and_the_published_one_stays_live_until_then(engine, incident: int) -> None:
    first = published(engine, incident)
    second = messages.revise(engine, first, TEXT.replace("10.00", "11.00"), by="arvid")
    messages.submit(engine, second, by="arvid")
    assert messages.current_messages(engine, incident)["sv"].id == first
    messages.approve(engine, second, by="lena")
    messages.publish(engine, second, by="arvid")
    assert messages.current_messages(engine, incident)["sv"].id == second
    old = messages.get(engine, first)
    assert (old.state, old.superseded_by_id) == ("superseded", second)


def test_a_correction_links_to_the_original_which_stays_on_record(engine, incident: int) -> None:
    original = published(engine, incident)
    correction = messages.correct(engine, original, TEXT.replace("Östmark", "Västmark"), by="anna")
    messages.submit(engine, correction, by="anna")
    messages.approve(engine, correction, by="lena")
    messages.publish(engine, correction, by="anna")
    kept = messages.get(engine, original)
    assert kept.text == TEXT and kept.state == "superseded" and kept.superseded_by_id == correction
    assert messages.get(engine, correction).kind == "correction"
    with pytest.raises(WorkflowError, match="is superseded: only a message that is published can be corrected"):
        messages.correct(engine, original, "x", by="anna")


def test_a_repeat_is_the_same_text_and_still_needs_approval(engine, incident: int) -> None:
    first = published(engine, incident)
    repeat_id = messages.repeat(engine, incident, by="anna")
    repeat = messages.get(engine, repeat_id)
    assert (repeat.kind, repeat.state, repeat.text, repeat.replaces_id) == ("repeat", "submitted", TEXT, first)
    messages.approve(engine, repeat_id, by="lars")
    messages.publish(engine, repeat_id, by="anna")
    assert messages.current_messages(engine, incident)["sv"].id == repeat_id


def test_a_revoked_role_is_refused_on_the_next_action(engine, incident: int) -> None:
    from playbooks.workflow import users

    message_id = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, message_id, by="anna")
    users.set_role(engine, "lars", "reviewer", by="admin")
    with pytest.raises(PermissionDenied, match="'lars' is reviewer"):
        messages.approve(engine, message_id, by="lars")


def test_every_step_is_audited_once(engine, incident: int) -> None:
    message_id = published(engine, incident)
    steps = [r.action for r in audit.records(engine, object_type="message", object_id=str(message_id))]
    assert steps == ["message.draft", "message.submit", "message.approve", "message.publish"]
    assert audit.verify(engine).ok


def test_publishing_writes_the_public_feed_files(engine, incident: int, public_dir) -> None:
    published(engine, incident)
    files = sorted(p.name for p in (public_dir / f"incident-{incident}").iterdir())
    assert files == ["alert.cap.xml", "feed.atom"], "no temporary file left behind"
    modes = {p.stat().st_mode & 0o777 for p in (public_dir / f"incident-{incident}").iterdir()}
    assert modes == {0o644}, "readable by the website's server"


def test_invisible_characters_never_reach_a_message(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, "Håll\u202e fönster\x00 stängda", by="anna")
    assert messages.get(engine, message_id).text == "Håll fönster stängda"


def test_a_hundred_concurrent_approvals_give_exactly_one(engine, incident: int) -> None:
    import threading

    message_id = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, message_id, by="anna")
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(lead: str) -> None:
        try:
            messages.approve(engine, message_id, by=lead)
            result = "approved"
        except WorkflowError:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=approve, args=("lars" if i % 2 else "lena",)) for i in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["approved", "refused"] and outcomes.count("approved") == 1
    assert [r.action for r in audit.records(engine, object_type="message")].count("message.approve") == 1
    assert audit.verify(engine).ok


# --- issue 12: one live version, closed incidents, languages, invisible text --------------------------


def approved(engine, incident: int, text: str = TEXT, *, replaces: int | None = None, lang: str | None = None) -> int:
    if replaces is None:
        message_id = messages.draft(engine, incident, text, by="anna", lang=lang)
    else:
        message_id = messages.revise(engine, replaces, text, by="anna")
    messages.submit(engine, message_id, by="anna")
    messages.approve(engine, message_id, by="lars")
    return message_id


def live_ids(engine, incident: int) -> list[int]:
    return [m.id for m in messages.list_messages(engine, incident) if m.state == "published"]


def test_a_superseded_approved_version_can_never_be_published(engine, incident: int) -> None:
    """Issue 12 item 3: approve A, revise to B, approve and publish B: publishing A is refused."""
    a = approved(engine, incident)
    b = approved(engine, incident, TEXT.replace("10.00", "11.00"), replaces=a)
    messages.publish(engine, b, by="anna")
    with pytest.raises(WorkflowError, match=rf"message {a} .*newer"):
        messages.publish(engine, a, by="anna")
    assert live_ids(engine, incident) == [b]
    assert messages.get(engine, a).state == "withdrawn", "an older version is withdrawn once a newer one is live"


def test_only_the_newest_approved_version_is_published_even_before_any_is_live(engine, incident: int) -> None:
    a = approved(engine, incident)
    b = approved(engine, incident, TEXT.replace("10.00", "11.00"), replaces=a)
    with pytest.raises(WorkflowError, match=rf"message {a} .*newer version {b}"):
        messages.publish(engine, a, by="anna")
    messages.publish(engine, b, by="anna")
    assert live_ids(engine, incident) == [b]


def test_an_older_independent_message_never_goes_live_over_a_newer_one(engine, incident: int) -> None:
    older = approved(engine, incident)
    newer = approved(engine, incident, TEXT.replace("10.00", "12.00"))
    messages.publish(engine, newer, by="anna")
    with pytest.raises(WorkflowError, match=rf"message {older} .*newer"):
        messages.publish(engine, older, by="anna")
    assert live_ids(engine, incident) == [newer]


def test_exactly_one_version_is_live_per_language(engine, incident: int) -> None:
    first = approved(engine, incident)
    messages.publish(engine, first, by="anna")
    second = approved(engine, incident, TEXT.replace("10.00", "12.00"))  # not a revision: a new message
    messages.publish(engine, second, by="anna")
    english = approved(engine, incident, "Fire at Östmark. Keep windows closed. Next update at 10:00.", lang="en")
    messages.publish(engine, english, by="anna")
    assert sorted(live_ids(engine, incident)) == [second, english]
    old = messages.get(engine, first)
    assert (old.state, old.superseded_by_id) == ("superseded", second)


def test_the_database_refuses_a_second_live_version(engine, incident: int) -> None:
    first = published(engine, incident)
    other = messages.draft(engine, incident, TEXT.replace("10.00", "12.00"), by="anna")
    with pytest.raises(IntegrityError), write_session(engine) as session:
        session.execute(update(Message).where(Message.id == other).values(state="published"))
    assert live_ids(engine, incident) == [first]


def test_the_crisis_feed_never_shows_an_older_version_over_a_newer_one(engine, incident: int) -> None:
    from lxml import etree

    from playbooks.workflow import crisisfeed

    a = approved(engine, incident)
    b = approved(engine, incident, TEXT.replace("10.00", "11.00"), replaces=a)
    messages.publish(engine, b, by="anna")
    with pytest.raises(WorkflowError):
        messages.publish(engine, a, by="anna")
    cap = etree.fromstring(crisisfeed.cap(engine, incident))
    ns = "{urn:oasis:names:tc:emergency:cap:1.2}"
    assert [i.findtext(f"{ns}description") for i in cap.iter(f"{ns}info")] == [TEXT.replace("10.00", "11.00")]
    atom = etree.fromstring(crisisfeed.atom(engine, incident))
    entries = [e.findtext("{http://www.w3.org/2005/Atom}id") for e in atom.iter("{http://www.w3.org/2005/Atom}entry")]
    assert entries == [crisisfeed.entry_id(incident, b)], "the version never published is no entry of the feed"


@pytest.mark.parametrize("step", ["submit", "approve", "reject", "publish"])
def test_a_closed_incident_refuses_every_step(engine, incident: int, step: str) -> None:
    """Issue 12 item 10: after closing, the CAP Cancel stays the incident's last word."""
    message_id = messages.draft(engine, incident, TEXT, by="anna")
    if step in ("approve", "reject", "publish"):
        messages.submit(engine, message_id, by="anna")
    if step == "publish":
        messages.approve(engine, message_id, by="lars")
    incidents.close_incident(engine, incident, by="lars")
    act = {
        "submit": lambda: messages.submit(engine, message_id, by="anna"),
        "approve": lambda: messages.approve(engine, message_id, by="lena"),
        "reject": lambda: messages.reject(engine, message_id, by="lena", reason="för sent"),
        "publish": lambda: messages.publish(engine, message_id, by="anna"),
    }[step]
    before = len(audit.records(engine))
    with pytest.raises(incidents.IncidentError, match=f"incident {incident} is closed"):
        act()
    assert len(audit.records(engine)) == before and messages.get(engine, message_id).published_at is None


@pytest.mark.parametrize("lang", ["xx", "english", "ru", "<sv>"])
def test_a_language_outside_the_five_is_refused(engine, incident: int, lang: str) -> None:
    with pytest.raises(WorkflowError, match="one of sv, fi, de, nl, en"):
        messages.draft(engine, incident, TEXT, by="anna", lang=lang)


@pytest.mark.parametrize(("lang", "stored"), [("sv-SE", "sv"), ("DE_ch", "de"), ("", "sv"), (None, "sv")])
def test_a_regional_tag_is_its_language_and_none_is_detected(engine, incident: int, lang, stored: str) -> None:
    assert messages.get(engine, messages.draft(engine, incident, TEXT, by="anna", lang=lang)).language == stored


@pytest.mark.parametrize(
    "text", ["\u00ad", "\u00ad\u200b \u2060\ufeff", "\u034f\u115f\u3164", "\u2800 \u00a0", "\u202e\u200d\n\t"]
)
def test_a_message_of_only_invisible_characters_is_refused(engine, incident: int, text: str) -> None:
    with pytest.raises(WorkflowError, match="a message needs visible text"):
        messages.draft(engine, incident, text, by="anna")
    first = published(engine, incident)
    with pytest.raises(WorkflowError, match="a message needs visible text"):
        messages.revise(engine, first, text, by="anna")


def test_a_soft_hyphen_inside_a_word_is_kept(engine, incident: int) -> None:
    message_id = messages.draft(engine, incident, "Håll fönst\u00ader stängda.", by="anna")
    assert messages.get(engine, message_id).text == "Håll fönst\u00ader stängda."


def test_text_that_is_not_unicode_is_refused_with_a_clear_error(engine, incident: int) -> None:
    with pytest.raises(WorkflowError, match="not valid text"):
        messages.draft(engine, incident, "Håll fönster \udcff stängda", by="anna")


def test_draft_and_submit_is_one_step(engine, incident: int) -> None:
    message_id, checks = messages.draft_and_submit(engine, incident, TEXT.replace("Östmark", "Östmark, troligen"),
                                                   by="anna", lang="sv")  # fmt: skip
    message = messages.get(engine, message_id)
    assert message.state == "submitted" and checks.hedges == ["troligen"] and message.checks["hedges"] == ["troligen"]
    steps = [r.action for r in audit.records(engine, object_type="message", object_id=str(message_id))]
    assert steps == ["message.draft", "message.submit"]


def test_nothing_is_left_behind_when_draft_and_submit_is_refused(engine, incident: int) -> None:
    incidents.close_incident(engine, incident, by="lars")
    with pytest.raises(incidents.IncidentError):
        messages.draft_and_submit(engine, incident, TEXT, by="anna", lang="sv")
    assert messages.list_messages(engine, incident) == []
