"""Command-line faces of the alerts to people (issue 14, items 6-9): what was raised and sent, acknowledging,
each user's contact and choices, checking the channel configuration, and one evaluate-and-send pass."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from core.tabular import render
from crisisdesk.cli_args import acting_user, count, engine_of, ident
from crisisdesk.database import CliError
from playbooks.workflow import alertconfig, alertoutbox, alerts
from playbooks.workflow.alertmodels import EVENTS


def register(commands: argparse._SubParsersAction, common: Callable[..., None], formats: Callable[..., None],
             done: Callable[..., None], sub: Callable[..., Any]) -> None:  # fmt: skip
    a = sub(commands.add_parser("alerts", help="alerts to people: e-mail and webhooks, escalation"), "action")
    p = a.add_parser("list", help="the alerts raised, newest first")
    p.add_argument("--open", action="store_true", help="only those neither acknowledged nor over")
    p.add_argument("--limit", type=count, default=200, metavar="N")
    done(p, cmd_list, listing=True)
    p = a.add_parser("sent", help="the notifications: sent, waiting, failed")
    p.add_argument("--limit", type=count, default=500, metavar="N")
    done(p, cmd_sent, listing=True)
    p = a.add_parser("ack", help="acknowledge an alert (stops its escalation)")
    p.add_argument("id", type=ident)
    done(p, cmd_ack, acting=True)
    p = a.add_parser("contact", help="how a user is reached, and whether a lead is on duty")
    p.add_argument("user")
    p.add_argument("--email", metavar="ADDRESS")
    p.add_argument("--webhook", metavar="NAME", help="a webhook named in the alerts configuration")
    p.add_argument("--on-duty", choices=("yes", "no"))
    p.add_argument("--rank", type=count, metavar="N", help="place in the escalation order (1 first)")
    p.add_argument("--clear", action="append", default=[], choices=("email", "webhook", "rank"))
    done(p, cmd_contact, acting=True)
    p = a.add_parser("subscribe", help="which event reaches a user over which channel")
    p.add_argument("user")
    p.add_argument("event", choices=EVENTS)
    p.add_argument("channel", choices=alerts.CHANNELS)
    p.add_argument("--off", action="store_true", help="switch it off (also a lead's on-duty default)")
    done(p, cmd_subscribe, acting=True)
    p = a.add_parser("check", help="read the alerts configuration and its secrets; say what is wrong")
    p.set_defaults(handler=cmd_check)
    p = a.add_parser("send", help="one pass: raise what is due, escalate, send the outbox")
    done(p, cmd_send)


@contextmanager
def _clear_errors() -> Iterator[None]:
    try:
        yield
    except (alerts.AlertError, alertconfig.AlertConfigError) as exc:
        raise CliError(str(exc), 2) from exc


def cmd_list(args: argparse.Namespace) -> int:
    rows = [
        {"id": a.id, "event": a.event, "incident": a.incident_id, "subject": a.subject,
         "created_at": a.created_at.isoformat(), "acknowledged_by": a.acknowledged_by,
         "acknowledged_at": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
         "resolved_at": a.resolved_at.isoformat() if a.resolved_at else None, "escalation_level": a.escalation_level}
        for a in alerts.list_alerts(engine_of(args), open_only=args.open, limit=args.limit)
    ]  # fmt: skip
    print(render(rows, args.format, ["id", "event", "incident", "created_at", "acknowledged_by", "subject"]))
    return 0


def cmd_sent(args: argparse.Namespace) -> int:
    rows = [
        {"id": d.id, "alert": a.id, "event": a.event, "channel": d.channel, "recipients": d.recipients,
         "status": d.status, "attempts": d.attempts, "sent_at": d.sent_at.isoformat() if d.sent_at else None,
         "next_attempt_at": d.next_attempt_at.isoformat() if d.status == "pending" else None,
         "escalation_level": d.escalation_level, "last_error": d.last_error}
        for d, a in alerts.list_deliveries(engine_of(args), limit=args.limit)
    ]  # fmt: skip
    print(
        render(rows, args.format, ["id", "alert", "event", "channel", "recipients", "status", "sent_at", "last_error"])
    )
    return 0


def cmd_ack(args: argparse.Namespace) -> int:
    with _clear_errors():
        alert = alerts.acknowledge(engine_of(args), args.id, by=acting_user(args))
    print(f"alert {alert.id} acknowledged by {alert.acknowledged_by}")
    return 0


def cmd_contact(args: argparse.Namespace) -> int:
    with _clear_errors():
        on_duty = None if args.on_duty is None else args.on_duty == "yes"
        alerts.set_contact(engine_of(args), args.user, by=acting_user(args), email=args.email, webhook=args.webhook,
                           on_duty=on_duty, rank=args.rank, clear=tuple(args.clear))  # fmt: skip
    print(f"alert contact of {args.user} saved")
    return 0


def cmd_subscribe(args: argparse.Namespace) -> int:
    with _clear_errors():
        alerts.set_preference(engine_of(args), args.user, args.event, args.channel, not args.off, by=acting_user(args))
    print(f"{args.event} over {args.channel} for {args.user}: {'off' if args.off else 'on'}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with _clear_errors():
        config = alertconfig.load()
        problems = []
        if config.smtp and config.smtp.password:
            try:
                config.smtp.password.read("smtp password")
            except alertconfig.AlertConfigError as exc:
                problems.append(str(exc))
        if config.smtp and (problem := config.smtp.ca_problem()):
            problems.append(problem)
        for hook in config.webhooks.values():
            try:
                hook.resolve()
            except alertconfig.AlertConfigError as exc:
                problems.append(str(exc))
    smtp = f"{config.smtp.host}:{config.smtp.port} ({config.smtp.security})" if config.smtp else "not configured"
    print(f"alerts configuration: {config.source}")
    print(f"e-mail: {smtp}")
    print(f"webhooks: {', '.join(sorted(config.webhooks)) or 'none'}")
    if problems:
        raise CliError("; ".join(problems), 2)
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    engine = engine_of(args)
    with _clear_errors():
        config = alertconfig.load()
    raised = alerts.evaluate(engine, config)
    report = alertoutbox.deliver(engine, config)
    print(f"{raised} new alerts; {report.sent} notifications sent covering {report.deliveries}, "
          f"{report.retrying} to retry, {report.held} held for a digest, {report.failed} failed")  # fmt: skip
    return 0
