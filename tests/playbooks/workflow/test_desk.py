"""The desk's read side: what the pages show, computed by the services (and by the database where it can)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from playbooks.workflow import desk, flags, incidents, messages, users
from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry

TEXT = "Brand i Östmark. Håll dörrar och fönster stängda. Nästa information kommer kl. 09.00."


def rss(items: list[tuple[str, str]]) -> Static:
    body = "".join(f"<item><guid>{g}</guid><title>{t}</title><description>{t}</description></item>" for g, t in items)
    return Static(f'<rss version="2.0"><channel><title>x</title>{body}</channel></rss>'.encode())


@pytest.fixture
def incident(engine, team) -> int:
    return incidents.open_incident(engine, title="Brand i Östmark", by="lars", keywords=["brand", "rök"])


@pytest.fixture
def posts(engine, incident: int, tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/web"] = rss([("w1", "Brand i Östmark: håll fönster stängda")])
    feed_server.routes["/forum"] = rss([("f1", "Jag hörde att röken är giftig!!! Sprid detta"),
                                        ("f2", "The smoke is drifting towards the centre of town")])  # fmt: skip
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("web", feed_server.url("/web")), account("forum", feed_server.url("/forum"), "watch"),
    ])))  # fmt: skip
    asyncio.run(Poller(engine, after_store=flags.after_store).run_once())


def test_the_stream_filters_in_the_database(engine, posts) -> None:
    assert {p.account for p in desk.stream(engine)} == {"web", "forum"}
    assert {p.account for p in desk.stream(engine, kinds=["website"])} == {"web"}
    assert [p.title for p in desk.stream(engine, languages=["en"])] == [
        "The smoke is drifting towards the centre of town"
    ]
    flagged = {(p.account, p.title) for p in desk.stream(engine, flagged_only=True)}
    assert flagged == {(v.account, v.title) for v in flags.list_flags(engine, status="all")}
    assert ("forum", "The smoke is drifting towards the centre of town") not in flagged
    assert len(desk.stream(engine, limit=1)) == 1


def test_assignees_are_the_active_users_who_may_triage(engine, team) -> None:
    assert users.assignees(engine) == ["anna", "arvid", "lars", "lena"]
    users.disable(engine, "arvid", by="admin")
    assert users.assignees(engine) == ["anna", "lars", "lena"]


def test_the_approval_queue_carries_the_stored_checks_the_live_message_and_why_not(engine, incident: int) -> None:
    live = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, live, by="anna")
    messages.approve(engine, live, by="lars")
    messages.publish(engine, live, by="anna")
    hedged = messages.draft(engine, incident, TEXT.replace("09.00", "troligen 10.00"), by="anna")
    messages.submit(engine, hedged, by="anna")
    (item,) = desk.approval_queue(engine)
    assert (item.message.id, item.current.id if item.current else None) == (hedged, live)
    assert any("R10" in w for w in item.warnings) and item.lix > 0 and item.stale is None
    newer = messages.draft(engine, incident, TEXT.replace("09.00", "11.00"), by="anna")
    messages.submit(engine, newer, by="anna")
    messages.approve(engine, newer, by="lena")
    messages.publish(engine, newer, by="anna")
    (item,) = desk.approval_queue(engine)
    assert item.message.id == hedged and f"the newer message {newer} was published" in (item.stale or "")
    incidents.close_incident(engine, incident, by="lars")
    assert desk.approval_queue(engine) == [], "a closed incident has nothing to approve"


def test_answers_are_the_incidents_approved_messages(engine, incident: int) -> None:
    other = incidents.open_incident(engine, title="Vatten", by="lars")
    mine = messages.draft(engine, incident, TEXT, by="anna")
    messages.submit(engine, mine, by="anna")
    messages.approve(engine, mine, by="lars")
    draft = messages.draft(engine, incident, TEXT.replace("09.00", "10.00"), by="anna")
    theirs = messages.draft(engine, other, TEXT, by="anna")
    messages.submit(engine, theirs, by="anna")
    messages.approve(engine, theirs, by="lars")
    assert [m.id for m in desk.answers(engine, incident)] == [mine] and draft not in {mine, theirs}
