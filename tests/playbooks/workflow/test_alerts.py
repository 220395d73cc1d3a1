"""Alerts to people (issue 14, items 6-9) against a real SMTP server (aiosmtpd, STARTTLS + AUTH) and a
webhook receiver on 127.0.0.1, on a pinned clock (CRISISDESK_NOW): the right people get each event once,
a storm becomes one digest, a server that comes back gets what waited, an overdue update nobody acts on
reaches the next lead after N minutes, and an acknowledgement stops that."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from core.clock import parse_instant
from core.db import make_engine, write_session
from playbooks.workflow import alertoutbox, alerts, audit, incidents, messages
from playbooks.workflow.alertconfig import AlertConfig, parse
from playbooks.workflow.alertmodels import Alert, AlertDelivery
from tests.helpers.mailserver import PASSWORD, USER, MailServer, WebhookReceiver
from tests.helpers.scenario import pin_clock
from tests.helpers.teamdb import team_database

T0 = parse_instant("2026-11-22T08:00:00+01:00")
CADENCE = 30  # minutes between website updates: the first is overdue from T0 + 30 min


@pytest.fixture
def db(tmp_path: Path, audit_key: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    pin_clock(monkeypatch, T0, 0)
    engine = make_engine(team_database(tmp_path / "db", audit_key, T0))
    yield engine
    engine.dispose()


@pytest.fixture
def mail(tmp_path: Path) -> Iterator[MailServer]:
    server = MailServer(tmp_path / "tls").start()
    yield server
    server.stop()


@pytest.fixture
def hooks() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def config_for(mail: MailServer, monkeypatch: pytest.MonkeyPatch, **extra: Any) -> AlertConfig:
    monkeypatch.setenv("CRISISDESK_SMTP_PASSWORD", PASSWORD)
    data: dict[str, Any] = {
        "smtp": {"host": "127.0.0.1", "port": mail.port, "security": "starttls", "username": USER,
                 "sender": "crisisdesk@example.org", "ca_file": str(mail.cert)},
        "timing": {"escalation_minutes": 10, "digest_at": 3, "digest_window_minutes": 5},
    }  # fmt: skip
    data.update(extra)
    return parse(data, source="test")


def duty_roster(engine: Engine) -> None:
    """lars is the lead on duty; lena is the next lead; anna (analyst) wants flags by e-mail."""
    alerts.set_contact(engine, "lars", by="lars", email="lars@example.org", on_duty=True, rank=1)
    alerts.set_contact(engine, "lena", by="lena", email="lena@example.org", rank=2)
    alerts.set_contact(engine, "anna", by="anna", email="anna@example.org")
    alerts.set_preference(engine, "anna", "flag", "email", True, by="anna")


def run(engine: Engine, config: AlertConfig) -> alertoutbox.DeliveryReport:
    alerts.evaluate(engine, config)
    return alertoutbox.deliver(engine, config)


def open_overdue_incident(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> int:
    pin_clock(monkeypatch, T0, 0)
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lars", cadence=CADENCE)
    pin_clock(monkeypatch, T0, CADENCE + 1)
    return incident


def sent_records(engine: Engine) -> list[dict[str, Any]]:
    return [r.details | {"object_id": r.object_id} for r in audit.records(engine, object_type="alert")
            if r.action == "alert.sent"]  # fmt: skip


def flag_storm(engine: Engine, n: int) -> None:
    with write_session(engine) as session:
        for i in range(n):
            alerts.emit(session, alerts.Event(key=f"flag:test-{i}", event="flag", subject=f"rumour {i}",
                                              body=f"rumour number {i}"))  # fmt: skip


def test_the_lead_on_duty_gets_the_overdue_update_once(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    open_overdue_incident(db, monkeypatch)
    report = run(db, config)
    assert report.sent == 1
    assert [rcpts for rcpts, _ in mail.messages] == [["lars@example.org"]]
    message = mail.messages[0][1]
    assert "Website update overdue" in message["Subject"] and "Brand i Östmark" in message["Subject"]
    # Another pass, another poller, a restart: the same event is not sent again.
    for _ in range(3):
        assert run(db, config).sent == 0
    alertoutbox.deliver(db, config, worker="another poller")
    assert len(mail.messages) == 1
    # The audit log says who was told what, when, over which channel, and no address or secret.
    [record] = sent_records(db)
    assert record["recipients"] == ["lars"] and record["channel"] == "email" and record["event"] == "update_overdue"
    assert audit.verify(db).ok
    text = repr([r.details for r in audit.records(db)])
    assert PASSWORD not in text and "lars@example.org" not in text


def test_a_lead_in_their_own_language(db: Engine, mail: MailServer, monkeypatch) -> None:
    from playbooks.workflow import users

    duty_roster(db)
    users.set_preferences(db, "lars", language="sv", timezone="Europe/Stockholm")
    open_overdue_incident(db, monkeypatch)
    run(db, config_for(mail, monkeypatch))
    message = mail.messages[0][1]
    assert message["Subject"] == (
        "[crisisdesk] Webbuppdateringen är försenad: #1 Brand i Östmark: webbuppdateringen skulle ha kommit "
        "kl. 2026-11-22 08:30 CET"
    )
    body = message.get_content()
    assert "Godkänn en upprepning av det aktuella meddelandet" in body and "Larm 1" in body


def test_a_lead_may_switch_the_default_off(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    alerts.set_preference(db, "lars", "update_overdue", "email", False, by="lars")
    open_overdue_incident(db, monkeypatch)
    run(db, config_for(mail, monkeypatch))
    assert mail.messages == []


def test_a_storm_of_flags_becomes_one_digest(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    flag_storm(db, 20)
    report = alertoutbox.deliver(db, config)
    assert (report.sent, report.deliveries) == (1, 20)
    [(rcpts, message)] = mail.messages
    assert rcpts == ["anna@example.org"] and "20 notifications" in message["Subject"]
    assert all(f"rumour {i}" in message.get_content() for i in range(20))
    records = sent_records(db)
    assert len(records) == 20 and {r["digest_of"] for r in records} == {20}
    # Nobody else wanted flags: the leads heard nothing.
    assert mail.to("lars@example.org") == []


def test_after_a_burst_the_rest_waits_for_a_digest(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    for i in range(3):  # three single flags, minutes apart: three e-mails
        pin_clock(monkeypatch, T0, i)
        flag_storm_one(db, f"single-{i}")
        assert alertoutbox.deliver(db, config).sent == 1
    pin_clock(monkeypatch, T0, 3)
    flag_storm_one(db, "late-1")
    flag_storm_one(db, "late-2")
    report = alertoutbox.deliver(db, config)
    assert (report.sent, report.held) == (0, 2)  # three within five minutes: the rest is held
    pin_clock(monkeypatch, T0, 5.5)  # the window since the first has passed
    report = alertoutbox.deliver(db, config)
    assert (report.sent, report.deliveries) == (1, 2)
    assert len(mail.messages) == 4 and "2 notifications" in mail.messages[-1][1]["Subject"]


def flag_storm_one(engine: Engine, name: str) -> None:
    with write_session(engine) as session:
        alerts.emit(session, alerts.Event(key=f"flag:{name}", event="flag", subject=name, body=name))


def test_retried_with_backoff_until_the_server_comes_back(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    open_overdue_incident(db, monkeypatch)
    mail.stop()
    report = run(db, config)
    assert (report.sent, report.retrying) == (0, 1)
    with write_session(db) as session:
        [row] = session.scalars(select(AlertDelivery)).all()
        assert row.attempts == 1 and "ConnectionRefusedError" in (row.last_error or "")
        first_retry = row.next_attempt_at
    assert (first_retry - parse_instant("2026-11-22T07:31:00Z")).total_seconds() == 30
    assert alertoutbox.deliver(db, config).sent == 0  # not before its time
    pin_clock(monkeypatch, T0, CADENCE + 1.6)
    assert alertoutbox.deliver(db, config).retrying == 1  # second failure: the wait doubles
    with write_session(db) as session:
        row = session.scalars(select(AlertDelivery)).one()
        assert row.attempts == 2 and (row.next_attempt_at - first_retry).total_seconds() == 66
    mail.start()
    pin_clock(monkeypatch, T0, CADENCE + 3)
    report = alertoutbox.deliver(db, config)
    assert report.sent == 1
    assert [rcpts for rcpts, _ in mail.messages] == [["lars@example.org"]]
    assert alertoutbox.deliver(db, config).sent == 0


def test_wrong_smtp_password_is_a_clear_error_and_never_stored(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    monkeypatch.setenv("CRISISDESK_SMTP_PASSWORD", "Wrong-Password-1")
    open_overdue_incident(db, monkeypatch)
    run(db, config)
    with write_session(db) as session:
        row = session.scalars(select(AlertDelivery)).one()
    assert row.status == "pending" and row.last_error == "SMTP authentication as 'crisisdesk' failed (535)"
    assert mail.messages == []


def test_escalation_to_the_next_lead_after_n_minutes(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    open_overdue_incident(db, monkeypatch)  # T0 + 31
    run(db, config)
    assert [r for r, _ in mail.messages] == [["lars@example.org"]]
    pin_clock(monkeypatch, T0, CADENCE + 1 + 9)
    run(db, config)
    assert len(mail.messages) == 1  # nine minutes: not yet
    pin_clock(monkeypatch, T0, CADENCE + 1 + 10)
    run(db, config)
    assert [r for r, _ in mail.messages] == [["lars@example.org"], ["lena@example.org"]]
    assert "ESCALATED" in mail.messages[1][1]["Subject"]
    assert (
        "nobody acknowledged this alert or acted on the incident within 10 minutes" in mail.messages[1][1].get_content()
    )
    # The lead on duty reads times in their own zone (Europe/Stockholm by default).
    assert "2026-11-22 08:30 CET" in mail.messages[0][1]["Subject"]
    # Nobody left to escalate to: nothing more, however long it stays overdue.
    pin_clock(monkeypatch, T0, CADENCE + 1 + 30)
    run(db, config)
    assert len(mail.messages) == 2
    escalated = [r for r in audit.records(db, object_type="alert") if r.action == "alert.escalated"]
    assert [r.details["to"] for r in escalated] == ["lena"]


def test_acknowledging_stops_the_escalation(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    open_overdue_incident(db, monkeypatch)
    run(db, config)
    [alert] = alerts.list_alerts(db, open_only=True)
    pin_clock(monkeypatch, T0, CADENCE + 5)
    alerts.acknowledge(db, alert.id, by="lars")
    assert alerts.list_alerts(db, open_only=True) == []
    pin_clock(monkeypatch, T0, CADENCE + 60)
    run(db, config)
    assert [r for r, _ in mail.messages] == [["lars@example.org"]]
    acks = [r for r in audit.records(db, object_type="alert") if r.action == "alert.acknowledged"]
    assert [(r.actor, r.object_id) for r in acks] == [("lars", str(alert.id))]


def test_a_lead_who_acts_stops_the_escalation(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    incident = open_overdue_incident(db, monkeypatch)
    run(db, config)
    pin_clock(monkeypatch, T0, CADENCE + 4)
    draft = messages.draft(db, incident, "Brand i Östmark. Håll fönstren stängda. Nästa information kl. 09.00.",
                           lang="sv", by="anna")  # fmt: skip
    messages.submit(db, draft, by="anna")
    pin_clock(monkeypatch, T0, CADENCE + 20)
    run(db, config)
    assert mail.to("lena@example.org") == []


def test_webhooks_get_each_event_once_in_the_body_their_url_wants(
    db: Engine, mail: MailServer, hooks: WebhookReceiver, monkeypatch
) -> None:
    monkeypatch.setenv("ROOM_HOOK", hooks.url("/hooks/room-token-123"))
    monkeypatch.setenv("PLAIN_HOOK", hooks.url("/plain/secret-456"))
    config = config_for(mail, monkeypatch, webhooks={"room": {"url_env": "ROOM_HOOK", "format": "slack"},
                                                     "plain": {"url_env": "PLAIN_HOOK"}})  # fmt: skip
    for user in ("anna", "arvid"):  # two people in one room: the room hears it once
        alerts.set_contact(db, user, by=user, webhook="room", config=config)
        alerts.set_preference(db, user, "partner_warning", "webhook", True, by=user)
    alerts.set_contact(db, "lena", by="lena", webhook="plain", config=config)
    alerts.set_preference(db, "lena", "partner_warning", "webhook", True, by="lena")
    with write_session(db) as session:
        assert alerts.emit_partner_warning(session, "mow.DE-1", "Gefahreninformation: Großbrand", "Landkreis X",
                                           version="2026-11-22T07:00:00Z") is not None  # fmt: skip
        assert alerts.emit_partner_warning(session, "mow.DE-1", "again", "X", version="2026-11-22T07:00:00Z") is None
    assert alertoutbox.deliver(db, config).sent == 2
    bodies = dict(hooks.received)
    assert set(bodies) == {"/hooks/room-token-123", "/plain/secret-456"}
    assert "Großbrand" in bodies["/hooks/room-token-123"]["text"]
    assert bodies["/plain/secret-456"]["alerts"][0]["event"] == "partner_warning"
    # An update of the warning is news again.
    with write_session(db) as session:
        alerts.emit_partner_warning(session, "mow.DE-1", "Update: Großbrand", "X", version="2026-11-22T07:30:00Z",
                                    updated=True)  # fmt: skip
    assert alertoutbox.deliver(db, config).sent == 2 and len(hooks.received) == 4
    # The URLs with their tokens are in no table and no audit record.
    assert "token-123" not in repr([r.details for r in audit.records(db)])
    with write_session(db) as session:
        stored = repr([(d.channel, d.dedupe_key, d.last_error) for d in session.scalars(select(AlertDelivery))])
    assert "token-123" not in stored and "secret-456" not in stored


def test_a_webhook_that_fails_is_retried(db: Engine, mail: MailServer, hooks: WebhookReceiver, monkeypatch) -> None:
    monkeypatch.setenv("ROOM_HOOK", hooks.url("/room"))
    config = config_for(mail, monkeypatch, webhooks={"room": {"url_env": "ROOM_HOOK"}})
    alerts.set_contact(db, "anna", by="anna", webhook="room", config=config)
    alerts.set_preference(db, "anna", "flag", "webhook", True, by="anna")
    hooks.status = 503
    flag_storm_one(db, "x")
    assert alertoutbox.deliver(db, config).retrying == 1
    hooks.status = 200
    pin_clock(monkeypatch, T0, 1)
    assert alertoutbox.deliver(db, config).sent == 1 and len(hooks.received) == 1


def test_undeliverable_says_why_and_is_not_retried(db: Engine, monkeypatch) -> None:
    alerts.set_preference(db, "anna", "flag", "email", True, by="anna")  # no address given
    alerts.set_contact(db, "arvid", by="arvid", email="arvid@example.org")
    alerts.set_preference(db, "arvid", "flag", "email", True, by="arvid")
    flag_storm_one(db, "x")
    report = alertoutbox.deliver(db, parse({}, source="var/alerts.yaml"))  # no smtp section
    assert report.failed == 1
    rows = {tuple(d.recipients): d for d, _ in alerts.list_deliveries(db)}
    assert rows[("anna",)].last_error == "anna has no e-mail address for alerts"
    assert rows[("arvid",)].last_error == "e-mail is not configured (no smtp section in var/alerts.yaml)"
    assert {d.status for d in rows.values()} == {"failed"}


def test_a_draft_waiting_too_long_and_a_feed_failing(db: Engine, mail: MailServer, monkeypatch) -> None:
    config = config_for(mail, monkeypatch, timing={"approval_wait_minutes": 15})
    alerts.set_contact(db, "lena", by="lena", email="lena@example.org")
    alerts.set_preference(db, "lena", "approval_waiting", "email", True, by="lena")
    incident = incidents.open_incident(db, title="Vattenläcka", by="lars", cadence=CADENCE)
    draft = messages.draft(db, incident, "Vattenläcka på Storgatan. Drick inte kranvattnet. Ny information kl. 10.",
                           lang="sv", by="anna")  # fmt: skip
    messages.submit(db, draft, by="anna")
    pin_clock(monkeypatch, T0, 14)
    run(db, config)
    assert mail.messages == []
    pin_clock(monkeypatch, T0, 16)
    run(db, config)
    [(rcpts, message)] = mail.messages
    assert rcpts == ["lena@example.org"] and "waiting for approval" in message["Subject"]
    # Approved: the alert is over.
    messages.approve(db, draft, by="lars")
    alerts.evaluate(db, config)
    assert all(a.resolved_at is not None for a in alerts.list_alerts(db) if a.event == "approval_waiting")


def test_the_notifier_outlives_a_bad_configuration(db: Engine, caplog) -> None:
    from playbooks.workflow.alertconfig import AlertConfigError

    def broken() -> AlertConfig:
        raise AlertConfigError("var/alerts.yaml: smtp: host is required")

    notifier = alertoutbox.Notifier(db, loader=broken)
    notifier.after_pass()
    notifier.after_pass()
    lines = [r.getMessage() for r in caplog.records if "alerts are off" in r.getMessage()]
    assert lines == ["alerts are off until the configuration is fixed: var/alerts.yaml: smtp: host is required"]


def test_the_notifier_sends_from_the_poller_hook(db: Engine, mail: MailServer, monkeypatch) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    open_overdue_incident(db, monkeypatch)
    notifier = alertoutbox.Notifier(db, loader=lambda: config)
    notifier.after_pass()
    notifier.wait(30)
    assert [r for r, _ in mail.messages] == [["lars@example.org"]]
    with write_session(db) as session:
        assert session.scalars(select(Alert)).one().event == "update_overdue"


def test_settings_are_checked(db: Engine) -> None:
    with pytest.raises(alerts.AlertError, match="not an e-mail address"):
        alerts.set_contact(db, "anna", by="anna", email="anna at example")
    for bad in ("anna@", "@example.org", "anna@example.org\u202e", "an\u200bna@example.org"):
        with pytest.raises(alerts.AlertError, match="not an e-mail address"):
            alerts.set_contact(db, "anna", by="anna", email=bad)
    with pytest.raises(alerts.AlertError, match="only change their own"):
        alerts.set_contact(db, "lars", by="anna", email="x@example.org")
    with pytest.raises(alerts.AlertError, match="unknown event 'everything'"):
        alerts.set_preference(db, "anna", "everything", "email", True, by="anna")
    with pytest.raises(alerts.AlertError, match="unknown channel 'sms'"):
        alerts.set_preference(db, "anna", "flag", "sms", True, by="anna")
    with pytest.raises(alerts.AlertError, match="no webhook named 'room'"):
        alerts.set_contact(db, "anna", by="anna", webhook="room", config=parse({}))
    with pytest.raises(alerts.AlertError, match="no alert 999"):
        alerts.acknowledge(db, 999, by="anna")
    alerts.set_contact(db, "lars", by="admin", email="lars@example.org", on_duty=True)


def stored_flag(engine: Engine, account_id: str, kind: str, score: float, n: int) -> int:
    from playbooks.workflow.models import Flag
    from sources.models import Post

    stamp = parse_instant(os.environ["CRISISDESK_NOW"])
    with write_session(engine) as session:
        post = Post(account_id=account_id, guid=f"g{n}", title="", text=f"post {n}", published=stamp,
                    published_source="feed", fetched_at=stamp, updated_at=stamp, content_hash=f"{n:064d}")  # fmt: skip
        session.add(post)
        session.flush()
        flag = Flag(dedupe_key=f"{kind}:{n}", kind=kind, rule="R2", score=score, post_id=post.id, evidence={},
                    created_at=stamp, updated_at=stamp)  # fmt: skip
        session.add(flag)
        session.flush()
        return flag.id


def test_flags_above_the_threshold_contradictions_on_official_accounts_and_feeds_failing(
    db: Engine, tmp_path: Path, monkeypatch
) -> None:
    from playbooks.workflow import flags
    from playbooks.workflow.accounts import import_accounts
    from sources import registry
    from sources.models import Feed
    from tests.helpers.registry import account, write_registry

    reg = registry.load(write_registry(tmp_path / "r.yaml", [account("web", "http://127.0.0.1:9/web"),
                                                             account("forum", "http://127.0.0.1:9/f", kind="watch")]))  # fmt: skip
    import_accounts(db, reg, by="admin")
    config = parse({"timing": {"flag_score": 0.6}})
    loud = stored_flag(db, "forum", "rumour", 0.9, 1)
    stored_flag(db, "forum", "rumour", 0.3, 2)  # below the threshold
    official = stored_flag(db, "web", "inconsistent", 0.5, 3)
    stored_flag(db, "forum", "inconsistent", 0.9, 4)  # a watched account: not ours to contradict
    alerts.evaluate(db, config)
    keys = sorted(a.key for a in alerts.list_alerts(db))
    assert keys == [f"contradiction:{official}", f"flag:{loud}"]
    # A feed failing: one alert per episode, over when it recovers.
    with write_session(db) as session:
        feed = session.scalars(select(Feed).where(Feed.account_id == "web")).one()
        feed.consecutive_failures, feed.last_error = 3, "HTTP 503"
        feed.last_error_at = feed.last_fetch_at = parse_instant("2026-11-22T07:00:00Z")
    alerts.evaluate(db, config)
    alerts.evaluate(db, config)
    feed_alerts = [a for a in alerts.list_alerts(db) if a.event == "feed_problem"]
    assert [a.subject for a in feed_alerts] == ["feed web is failing"]
    with write_session(db) as session:
        session.scalars(select(Feed).where(Feed.account_id == "web")).one().consecutive_failures = 0
    # A dismissed flag's alert is over too.
    flags.triage(db, loud, "dismiss", by="anna", reason="satire")
    alerts.evaluate(db, config)
    over = {a.event for a in alerts.list_alerts(db) if a.resolved_at is not None}
    assert {"feed_problem", "flag"} <= over


def test_the_webhook_body_follows_the_url() -> None:
    from playbooks.workflow.alertchannels import Outgoing, webhook_body
    from playbooks.workflow.alertconfig import body_format_for

    assert body_format_for("https://example.webhook.office.com/webhookb2/abc") == "teams"
    assert body_format_for("https://prod-01.westeurope.logic.azure.com/workflows/x/triggers") == "teams"
    assert body_format_for("https://hooks.slack.com/services/T/B/X") == "slack"
    assert body_format_for("https://chat.example.org/hooks/abc123") == "mattermost"
    assert body_format_for("https://ops.example.org/crisisdesk") == "json"
    note = Outgoing("Subject", "line 1\nline 2", [{"id": 1}])
    assert webhook_body("teams", note)["@type"] == "MessageCard"
    assert webhook_body("slack", note) == {"text": "*Subject*\nline 1\nline 2"}
    assert webhook_body("mattermost", note)["username"] == "crisisdesk"
    assert webhook_body("json", note)["alerts"] == [{"id": 1}]


def test_a_webhook_url_must_be_http(monkeypatch) -> None:
    from playbooks.workflow.alertconfig import AlertConfigError

    monkeypatch.setenv("HOOK", "file:///etc/passwd")
    config = parse({"webhooks": {"room": {"url_env": "HOOK"}}})
    with pytest.raises(AlertConfigError, match="is not an http"):
        config.webhooks["room"].resolve()


@pytest.mark.parametrize(
    "url", ["https://[SECRETTOKEN/x", "https://u:SECRETTOKEN@hooks.example.org:99999/x", "https://h.example:0/x"]
)
def test_a_malformed_webhook_url_is_one_line_that_never_quotes_it(monkeypatch, url: str) -> None:
    from playbooks.workflow.alertconfig import AlertConfigError

    # "https://[x" raised urlsplit's ValueError (a traceback from `alerts check`); port 99999 passed the check.
    monkeypatch.setenv("HOOK", url)
    config = parse({"webhooks": {"room": {"url_env": "HOOK"}}})
    with pytest.raises(AlertConfigError) as caught:
        config.webhooks["room"].resolve()
    assert str(caught.value).startswith("webhook room: the URL from $HOOK is not an http(s) URL with a host")
    assert "SECRETTOKEN" not in str(caught.value)


def test_a_secret_file_that_is_not_text_is_one_line(tmp_path) -> None:
    from playbooks.workflow.alertconfig import AlertConfigError

    binary = tmp_path / "hook.url"
    binary.write_bytes(b"https://x.example/\xf1\xff\x00SECRET")
    config = parse({"webhooks": {"room": {"url_file": str(binary)}}})
    with pytest.raises(AlertConfigError, match=f"^webhook room: {binary} is not UTF-8 text$"):
        config.webhooks["room"].resolve()


def test_concurrent_senders_send_each_notification_once(engine: Engine, team, monkeypatch) -> None:
    """Four senders at once (threads, as four pollers would), on SQLite and on PostgreSQL."""
    import threading

    pin_clock(monkeypatch, T0, 0)
    for user in ("anna", "arvid", "lars", "lena"):
        alerts.set_contact(engine, user, by=user, email=f"{user}@example.org")
        alerts.set_preference(engine, user, "partner_warning", "email", True, by=user)
    with write_session(engine) as session:
        alerts.emit_partner_warning(session, "w1", "Storm", "Värmland", version="1")
    sent: list[tuple[str, tuple[str, ...]]] = []
    lock = threading.Lock()

    def record(config: AlertConfig, channel: str, addresses: list[str], note: Any) -> None:
        with lock:
            sent.append((channel, tuple(addresses)))

    config = parse({"smtp": {"host": "127.0.0.1", "sender": "desk@example.org"}})
    threads = [threading.Thread(target=alertoutbox.deliver, args=(engine, config), kwargs={"send": record, "worker": f"p{i}"})
               for i in range(4)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(sent) == [("email", (f"{u}@example.org",)) for u in ("anna", "arvid", "lars", "lena")]
    assert len(sent_records(engine)) == 4


def test_a_room_gets_one_digest_whoever_in_it_wanted_what(
    db: Engine, mail: MailServer, hooks: WebhookReceiver, monkeypatch
) -> None:
    monkeypatch.setenv("ROOM_HOOK", hooks.url("/room"))
    config = config_for(mail, monkeypatch, webhooks={"room": {"url_env": "ROOM_HOOK", "format": "json"}})
    for user, event in (("anna", "flag"), ("arvid", "flag"), ("arvid", "partner_warning")):
        alerts.set_contact(db, user, by=user, webhook="room", config=config)
        alerts.set_preference(db, user, event, "webhook", True, by=user)
    flag_storm(db, 3)
    with write_session(db) as session:
        alerts.emit_partner_warning(session, "w", "Storm", "Värmland", version="1")
    assert alertoutbox.deliver(db, config).sent == 1
    [(path, body)] = hooks.received
    assert path == "/room" and len(body["alerts"]) == 4 and "4 notifications" in body["subject"]
    assert {tuple(r["recipients"]) for r in sent_records(db)} == {("anna", "arvid"), ("arvid",)}


def test_a_sender_killed_before_recording_leaves_the_row_to_be_sent_after_its_claim(
    db: Engine, mail: MailServer, monkeypatch
) -> None:
    duty_roster(db)
    config = config_for(mail, monkeypatch)
    open_overdue_incident(db, monkeypatch)
    alerts.evaluate(db, config)
    # A poller claims the row and dies before sending or recording (kill -9): the claim stays behind.
    claimed = alertoutbox._claim(db, config, "dead poller", alertoutbox.DeliveryReport())
    assert len(claimed) == 1
    assert alertoutbox.deliver(db, config).sent == 0  # another poller leaves a live claim alone
    pin_clock(monkeypatch, T0, CADENCE + 1 + alertoutbox.LEASE.total_seconds() / 60 + 0.1)
    assert alertoutbox.deliver(db, config).sent == 1
    assert [r for r, _ in mail.messages] == [["lars@example.org"]]


def test_every_notification_text_is_in_five_languages_and_falls_back_to_the_stored_text() -> None:
    from playbooks.workflow import alerttexts
    from playbooks.workflow.alertmodels import EVENTS

    langs = {"en", "sv", "fi", "de", "nl"}
    for table in (*alerttexts.TITLES.values(), *alerttexts.LINES.values(), *alerttexts.ACTIONS.values(),
                  alerttexts.ESCALATION, alerttexts.ALERT_WORD):  # fmt: skip
        assert set(table) == langs
    assert set(alerttexts.LINES) == set(EVENTS) == set(alerttexts.ACTIONS)
    details = {"account": "forum", "kind": "rumour", "score": 0.875, "excerpt": "Jag hörde att ..."}
    line, body = alerttexts.render_alert(7, "flag", details, "stored", "stored body", "de", "Europe/Berlin")
    assert line == "Hinweis rumour zu forum (Wert 0.88)" and "Jag hörde att" in body and body.endswith("Alarm 7")
    assert alerttexts.render_alert(7, "flag", {}, "stored", "stored body", "fi", "UTC") == (
        "stored",
        "stored body\n\nHälytys 7",
    )


def test_a_headline_cannot_add_mail_headers(db: Engine, mail: MailServer, monkeypatch) -> None:
    config = config_for(mail, monkeypatch)
    alerts.set_contact(db, "anna", by="anna", email="anna@example.org")
    alerts.set_preference(db, "anna", "partner_warning", "email", True, by="anna")
    with write_session(db) as session:
        alerts.emit_partner_warning(session, "w", "Storm\r\nBcc: evil@example.org\r\n", "X\nY", version="1")
    assert alertoutbox.deliver(db, config).sent == 1
    [(rcpts, message)] = mail.messages
    assert rcpts == ["anna@example.org"] and message["Bcc"] is None
    assert "\n" not in message["Subject"] and "Storm Bcc: evil@example.org" in message["Subject"]


def test_a_server_that_is_down_is_tried_once_per_run(db: Engine, monkeypatch) -> None:
    from playbooks.workflow.alertchannels import SendError

    for user in ("anna", "arvid", "lars"):
        alerts.set_contact(db, user, by=user, email=f"{user}@example.org")
        alerts.set_preference(db, user, "flag", "email", True, by=user)
    flag_storm_one(db, "x")
    tries: list[list[str]] = []

    def down(config: AlertConfig, channel: str, addresses: list[str], note: Any) -> None:
        tries.append(addresses)
        raise SendError("SMTP 127.0.0.1:25: ConnectionRefusedError: [Errno 111] Connection refused")

    report = alertoutbox.deliver(db, parse({"smtp": {"host": "127.0.0.1", "sender": "d@example.org"}}), send=down)
    assert len(tries) == 1 and report.retrying == 3
    assert {d.last_error for d, _ in alerts.list_deliveries(db)} == {
        "SMTP 127.0.0.1:25: ConnectionRefusedError: [Errno 111] Connection refused"
    }


def test_a_partner_warning_that_changed_becomes_an_event_once(db: Engine, mail: MailServer, monkeypatch) -> None:
    """The poller's pass turns what the partner feeds stored (sources.partnerstate) into events: a new
    warning and its Update once each, however many passes see them; a Cancel is left to the monitor."""
    seen: list[dict[str, Any]] = [
        {"identifier": "mow.DE-1", "headline": "Großbrand", "sent": "2026-11-22T07:00:00+00:00", "change": "new",
         "areas": [{"desc": "Landkreis X"}], "active": True},
    ]  # fmt: skip
    monkeypatch.setattr(alerts.partnerstate, "changed_since", lambda *a, **k: list(seen))
    config = config_for(mail, monkeypatch)
    assert alerts.evaluate(db, config) == 1
    assert alerts.evaluate(db, config) == 0
    seen.append({"identifier": "mow.DE-1", "headline": "Update: Großbrand", "sent": "2026-11-22T07:30:00+00:00",
                 "change": "updated", "areas": [], "active": True})  # fmt: skip
    seen.append({"identifier": "mow.DE-1", "headline": "Entwarnung", "sent": "2026-11-22T08:00:00+00:00",
                 "change": "cancelled", "areas": []})  # fmt: skip
    assert alerts.evaluate(db, config) == 1
    events = [a.subject for a in alerts.list_alerts(db) if a.event == "partner_warning"]
    assert sorted(events) == ["new partner warning: Großbrand", "updated partner warning: Update: Großbrand"]
