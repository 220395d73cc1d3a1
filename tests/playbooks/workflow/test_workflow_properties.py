"""A state machine over the workflow (hypothesis): whatever the sequence of steps and role changes,
nothing is published unless someone other than its author approved its exact text, exactly one version
per language is live and it is the newest ever published, every successful transition leaves exactly one
audit record, and the chain verifies."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from core.db import make_engine, read_session
from crisisdesk import schema
from playbooks.workflow import audit, incidents, messages, users
from playbooks.workflow.messages import WorkflowError
from playbooks.workflow.models import Approval, Message
from playbooks.workflow.roles import PermissionDenied

PEOPLE = ["anna", "lars", "lena"]
TEXTS = [
    "Håll fönster stängda. Nästa information kl. 10.",
    "Koka vattnet. Nästa information kl. 11.",
    "Undvik området.",
]
_TEMPLATE: dict[str, Path] = {}


def template_db() -> Path:
    if "path" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="crisisdesk-sm-"))
        engine = make_engine(f"sqlite:///{folder / 'template.db'}")
        schema.upgrade(engine)
        users.add(engine, "admin", "admin")
        for name, role in (("anna", "analyst"), ("lars", "lead"), ("lena", "lead")):
            users.add(engine, name, role, by="admin")
        incidents.open_incident(engine, title="Brand", by="lars")
        engine.dispose()
        _TEMPLATE["path"] = folder / "template.db"
    return _TEMPLATE["path"]


class Workflow(RuleBasedStateMachine):
    messages_ = Bundle("messages")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="crisisdesk-sm-"))
        shutil.copy(template_db(), self.folder / "db.sqlite")
        self.engine = make_engine(f"sqlite:///{self.folder / 'db.sqlite'}")
        self.audited = len(audit.records(self.engine))

    def teardown(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def attempt(self, action) -> object | None:  # type: ignore[no-untyped-def]
        try:
            result = action()
        except (PermissionDenied, WorkflowError):
            return None
        self.audited += 1
        return result

    @rule(target=messages_, author=st.sampled_from(PEOPLE), text=st.sampled_from(TEXTS))
    def draft(self, author: str, text: str) -> int:
        return self.attempt(lambda: messages.draft(self.engine, 1, text, by=author)) or 0

    @rule(message=messages_, user=st.sampled_from(PEOPLE))
    def submit(self, message: int, user: str) -> None:
        self.attempt(lambda: messages.submit(self.engine, message, by=user))

    @rule(message=messages_, user=st.sampled_from(PEOPLE))
    def approve(self, message: int, user: str) -> None:
        self.attempt(lambda: messages.approve(self.engine, message, by=user))

    @rule(message=messages_, user=st.sampled_from(PEOPLE))
    def reject(self, message: int, user: str) -> None:
        self.attempt(lambda: messages.reject(self.engine, message, by=user, reason="nej"))

    @rule(target=messages_, message=messages_, user=st.sampled_from(PEOPLE), text=st.sampled_from(TEXTS))
    def revise(self, message: int, user: str, text: str) -> int:
        return self.attempt(lambda: messages.revise(self.engine, message, text, by=user)) or 0

    @rule(message=messages_, user=st.sampled_from(PEOPLE))
    def publish(self, message: int, user: str) -> None:
        self.attempt(lambda: messages.publish(self.engine, message, by=user))

    @rule(message=messages_, user=st.sampled_from(PEOPLE))
    def advance(self, message: int, user: str) -> None:
        """The next natural step for the message, tried by `user`: keeps sequences reaching publication."""
        if not message:
            return
        state = messages.get(self.engine, message).state
        step = {"draft": messages.submit, "submitted": messages.approve, "approved": messages.publish}.get(state)
        if step is not None:
            self.attempt(lambda: step(self.engine, message, by=user))

    @rule(user=st.sampled_from(PEOPLE), role=st.sampled_from(["analyst", "lead", "reviewer"]))
    def change_role(self, user: str, role: str) -> None:
        self.attempt(lambda: users.set_role(self.engine, user, role, by="admin"))

    @invariant()
    def only_approved_text_by_another_person_is_published(self) -> None:
        with read_session(self.engine) as session:
            for message in session.scalars(select(Message).where(Message.published_at.is_not(None))):
                approval = session.scalars(select(Approval).where(Approval.message_id == message.id)).one()
                assert approval.approver != message.author
                assert approval.text_hash == message.text_hash == messages.text_hash(message.text)

    @invariant()
    def one_live_version_per_language_and_it_is_the_newest_published(self) -> None:
        with read_session(self.engine) as session:
            ever = list(session.scalars(select(Message).where(Message.published_at.is_not(None))))
        for language in {m.language for m in ever}:
            mine = [m for m in ever if m.language == language]
            live = [m.id for m in mine if m.state == "published"]
            assert live == [max(m.id for m in mine)], "one live version, never an older one over a newer"

    @invariant()
    def one_audit_record_per_transition_and_the_chain_holds(self) -> None:
        result = audit.verify(self.engine)
        assert result.ok, result.problems
        assert result.records == self.audited


TestWorkflow = Workflow.TestCase
TestWorkflow.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(autouse=True, scope="module")
def _cleanup_template():
    yield
    if "path" in _TEMPLATE:
        shutil.rmtree(_TEMPLATE.pop("path").parent, ignore_errors=True)
