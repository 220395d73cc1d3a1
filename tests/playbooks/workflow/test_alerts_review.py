"""Alerts, after the issue 14 review: a webhook URL is a secret even when it is broken (item 2); a delivery
run that outlasts its claim sends nothing twice (item 3); a webhook that redirects is an error, not a
lost notification (item 11). On the pinned clock, with a webhook receiver on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from core.clock import parse_instant
from core.db import make_engine, read_session, write_session
from playbooks.workflow import alertchannels, alertoutbox, alerts, audit
from playbooks.workflow.alertchannels import SendError
from playbooks.workflow.alertconfig import AlertConfig, parse
from playbooks.workflow.alertmodels import AlertDelivery
from tests.helpers.mailserver import WebhookReceiver
from tests.helpers.scenario import pin_clock
from tests.helpers.teamdb import team_database

T0 = parse_instant("2026-11-22T08:00:00+01:00")
TOKEN = "tok3n-SECRET-8472"


@pytest.fixture
def db(tmp_path: Path, audit_key: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    pin_clock(monkeypatch, T0, 0)
    url = team_database(tmp_path / "db", audit_key, T0)
    monkeypatch.setenv("CRISISDESK_DATABASE_URL", url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def flag(engine: Engine, name: str) -> None:
    with write_session(engine) as session:
        alerts.emit(session, alerts.Event(key=f"flag:{name}", event="flag", subject=name, body=name))


def everything_stored(engine: Engine) -> str:
    with read_session(engine) as session:
        rows = [(d.channel, d.dedupe_key, d.last_error) for d in session.scalars(select(AlertDelivery))]
    records = [(r.action, r.details) for r in audit.records(engine)]
    return repr(rows) + repr(records)


def test_a_webhook_url_with_a_control_character_never_shows_its_token(
    db: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "room-hook"
    secret.write_text(f"http://127.0.0.1:9/hooks/{TOKEN}\nsecond line {TOKEN}\n", encoding="utf-8")
    config = parse({"webhooks": {"room": {"url_file": str(secret)}}}, source="test")
    alerts.set_contact(db, "anna", by="anna", webhook="room", config=config)
    alerts.set_preference(db, "anna", "flag", "webhook", True, by="anna")
    flag(db, "x")
    with caplog.at_level(logging.DEBUG):
        report = alertoutbox.deliver(db, config)
    assert report.retrying == 1
    [(delivery, _)] = alerts.list_deliveries(db)
    assert "holds whitespace or a control character" in (delivery.last_error or "")
    assert TOKEN not in everything_stored(db) and TOKEN not in caplog.text
    # Past the configuration check (a URL that came some other way): the library's error is not quoted.
    with pytest.raises(SendError, match=r"^webhook URL cannot be used$"):
        alertchannels.post_json(f"http://127.0.0.1:9/hooks/{TOKEN}\nx", {}, timeout_s=1)

    # A sender's unexpected error: only its type is kept, in the database, the audit log and the log.
    def leaky(config: AlertConfig, channel: str, addresses: list[str], note: Any) -> None:
        raise ValueError(f"URL can't contain control characters. '/hooks/{TOKEN}'")

    pin_clock(monkeypatch, T0, 60)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        alertoutbox.deliver(db, config, send=leaky)
    [(delivery, _)] = alerts.list_deliveries(db)
    assert delivery.last_error == "sending failed: ValueError"
    assert TOKEN not in everything_stored(db) and TOKEN not in caplog.text

    # The Alerts page shows the error, never the token.
    from tests.dashboard.test_alerts_page import alerts_page

    app = alerts_page("anna")
    [table] = [d for d in app.dataframe if "Channel" in d.value.columns]
    assert table.value.iloc[0]["Error"] == "sending failed: ValueError"
    assert TOKEN not in repr(table.value.to_dict()) and TOKEN not in "\n".join(m.value for m in app.markdown)


def test_a_delivery_run_that_outlasts_its_claim_sends_nothing_twice(db: Engine, monkeypatch) -> None:
    """Worker a sends three notifications, each taking 75 s on the pinned clock; after its second, worker b
    runs and takes over what a's first claim no longer covers. Every notification goes out once."""
    for user in ("anna", "arvid", "lena"):
        alerts.set_contact(db, user, by=user, email=f"{user}@example.org")
        alerts.set_preference(db, user, "partner_warning", "email", True, by=user)
    with write_session(db) as session:
        alerts.emit_partner_warning(session, "w1", "Storm", "Värmland", version="1")
    config = parse({"smtp": {"host": "127.0.0.1", "sender": "desk@example.org"}})
    sent: list[tuple[str, str]] = []
    elapsed = [0.0]

    def by_b(config: AlertConfig, channel: str, addresses: list[str], note: Any) -> None:
        sent.append(("b", addresses[0]))

    def by_a(config: AlertConfig, channel: str, addresses: list[str], note: Any) -> None:
        sent.append(("a", addresses[0]))
        elapsed[0] += 1.25  # minutes: a slow mail server
        pin_clock(monkeypatch, T0, elapsed[0])
        if len(sent) == 2:  # the second send of a ends past a's first lease: b runs now
            alertoutbox.deliver(db, config, send=by_b, worker="b")

    alertoutbox.deliver(db, config, send=by_a, worker="a")
    assert sorted(address for _, address in sent) == ["anna@example.org", "arvid@example.org", "lena@example.org"]
    assert [who for who, _ in sent] == ["a", "a", "b"]
    records = [r for r in audit.records(db, object_type="alert") if r.action == "alert.sent"]
    assert len(records) == 3
    with read_session(db) as session:
        assert {d.status for d in session.scalars(select(AlertDelivery))} == {"sent"}


def test_a_partner_warning_not_in_force_alerts_nobody(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review item 10: a new or updated warning that is not in force (expired on arrival, replaced or
    cancelled in the same pass, no longer listed) is no event."""
    changes = [
        {"identifier": "old", "headline": "Expired", "sent": "2026-11-22T06:00:00+00:00", "change": "new",
         "areas": [], "active": False},
        {"identifier": "gone", "headline": "Replaced", "sent": "2026-11-22T06:30:00+00:00", "change": "updated",
         "areas": [], "active": False},
        {"identifier": "live", "headline": "In force", "sent": "2026-11-22T07:00:00+00:00", "change": "new",
         "areas": [], "active": True},
    ]  # fmt: skip
    monkeypatch.setattr(alerts.partnerstate, "changed_since", lambda *a, **k: list(changes))
    assert alerts.evaluate(db, parse({})) == 1
    assert [a.subject for a in alerts.list_alerts(db) if a.event == "partner_warning"] == [
        "new partner warning: In force"
    ]


def test_a_webhook_that_redirects_is_an_error_not_a_lost_notification(
    db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review item 11: urllib follows a 302 with a GET, without the body; the notification was lost
    while the delivery counted as sent."""
    with WebhookReceiver() as hooks:
        hooks.redirect_to = hooks.url("/moved")
        monkeypatch.setenv("ROOM_HOOK", hooks.url("/room"))
        config = parse({"webhooks": {"room": {"url_env": "ROOM_HOOK"}}}, source="test")
        alerts.set_contact(db, "anna", by="anna", webhook="room", config=config)
        alerts.set_preference(db, "anna", "flag", "webhook", True, by="anna")
        flag(db, "x")
        report = alertoutbox.deliver(db, config)
        assert report.sent == 0 and report.retrying == 1 and hooks.gets == []
        [(delivery, _)] = alerts.list_deliveries(db)
        assert delivery.status == "pending" and "redirect: fix the URL" in (delivery.last_error or "")
