"""Command-line faces of the workflow: users, incident, message, due, feed; the checks' and the review's
commands are registered from flags_cli and review_cli."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from core.tabular import render
from crisisdesk import alerts_cli, flags_cli, review_cli
from crisisdesk.cli_args import InputError, acting_user, engine_of, ident, language_code, warn, whole_number
from playbooks.workflow import cadence, crisisfeed, incidents, messages, users
from playbooks.workflow.models import ROLES
from sources.language import LANGUAGES

_DONE = {"submit": "submitted", "approve": "approved", "publish": "published"}


def register(commands: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None],
             formats: Callable[..., None], parser_class: type) -> None:  # fmt: skip
    def by(p: argparse.ArgumentParser) -> None:
        p.add_argument("--by", metavar="USER", help="the acting user (default: $CRISISDESK_USER)")

    def done(p: argparse.ArgumentParser, handler: Callable[[argparse.Namespace], int], *, acting: bool = False,
             listing: bool = False, **defaults: Any) -> None:  # fmt: skip
        if acting:
            by(p)
        common(p)
        if listing:
            formats(p, ("table", "json"))
        p.set_defaults(handler=handler, **defaults)

    def sub(parent: argparse.ArgumentParser, dest: str) -> Any:
        return parent.add_subparsers(dest=dest, required=True, metavar="ACTION", parser_class=parser_class)

    u = sub(commands.add_parser("users", help="people and roles (R18)"), "action")
    p = u.add_parser("add", help="add a user")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    done(p, cmd_users_add, acting=True)
    p = u.add_parser("list", help="list users")
    done(p, cmd_users_list, listing=True)
    p = u.add_parser("set-role", help="change a user's role")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    done(p, cmd_users_set_role, acting=True)
    p = u.add_parser("disable", help="disable a user (kept on record)")
    p.add_argument("name")
    done(p, cmd_users_disable, acting=True)

    i = sub(commands.add_parser("incident", help="incidents and their playbook"), "action")
    p = i.add_parser("open", help="open an incident; prints its id")
    p.add_argument("--title", required=True)
    p.add_argument("--playbook", default="default")
    p.add_argument("--keyword", action="append", default=[], metavar="WORD")
    p.add_argument(
        "--cadence",
        type=whole_number,
        metavar="MINUTES",
        help="minutes between website updates (overrides the playbook)",
    )
    p.add_argument("--exercise", action="store_true", help="an exercise: the CAP feed says status Exercise")
    done(p, cmd_incident_open, acting=True)
    p = i.add_parser("phase", help="set the phase: acute or recovery")
    p.add_argument("id", type=ident)
    p.add_argument("phase", choices=("acute", "recovery"))
    done(p, cmd_incident_phase, acting=True)
    p = i.add_parser("close", help="close an incident")
    p.add_argument("id", type=ident)
    done(p, cmd_incident_close, acting=True)
    p = i.add_parser("list", help="list incidents")
    done(p, cmd_incident_list, listing=True)

    m = sub(commands.add_parser("message", help="the routing workflow, as a named user"), "action")
    p = m.add_parser("draft", help="draft a message; prints its id")
    p.add_argument("--incident", type=ident, required=True)
    p.add_argument("--text", required=True)
    p.add_argument(
        "--lang", metavar="CODE", type=language_code, help=f"one of {', '.join(LANGUAGES)} (default: detected)"
    )
    done(p, cmd_message_draft, acting=True)
    for action, helptext in (("submit", "submit a draft for approval"), ("approve", "approve (a lead, not the author)"),
                             ("publish", "publish an approved message on the official crisis feed")):  # fmt: skip
        p = m.add_parser(action, help=helptext)
        p.add_argument("id", type=ident)
        done(p, cmd_message_step, acting=True, step=action)
    p = m.add_parser("reject", help="reject with a reason")
    p.add_argument("id", type=ident)
    p.add_argument("--reason", required=True)
    done(p, cmd_message_reject, acting=True)
    for action, helptext in (("revise", "a new version that needs a new approval"),
                             ("correct", "a correction of a published message (R8)")):  # fmt: skip
        p = m.add_parser(action, help=helptext)
        p.add_argument("id", type=ident)
        p.add_argument("--text", required=True)
        done(p, cmd_message_successor, acting=True, step=action)
    p = m.add_parser("repeat", help="submit the current message again for approval (R3)")
    p.add_argument("--incident", type=ident, required=True)
    p.add_argument("--lang", metavar="CODE", type=language_code, help=f"one of {', '.join(LANGUAGES)}")
    done(p, cmd_message_repeat, acting=True)
    p = m.add_parser("show", help="one message with its pre-approval checks")
    p.add_argument("id", type=ident)
    done(p, cmd_message_show, listing=True)
    p = m.add_parser("list", help="the messages of an incident")
    p.add_argument("--incident", type=ident, required=True)
    done(p, cmd_message_list, listing=True)

    p = commands.add_parser("due", help="cadence: when the next website update is due (R3)")
    p.add_argument("--incident", type=ident)
    done(p, cmd_due, listing=True)

    p = commands.add_parser("feed", help="the official crisis feed of an incident")
    p.add_argument("incident", type=ident)
    p.add_argument("--format", choices=("atom", "cap"), default="atom")
    done(p, cmd_feed)

    flags_cli.register(commands, common, formats, done, sub)
    review_cli.register(commands, common, done, sub)
    alerts_cli.register(commands, common, formats, done, sub)


def cmd_users_add(args: argparse.Namespace) -> int:
    password = None
    if args.password_stdin:
        raw = sys.stdin.buffer.readline() if hasattr(sys.stdin, "buffer") else sys.stdin.readline().encode()
        try:
            password = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise InputError("the password on stdin is not valid UTF-8") from None
    users.add(
        engine_of(args, create=True),
        args.name,
        args.role,
        password=password,
        by=args.by or os.environ.get("CRISISDESK_USER"),
    )
    print(f"user {args.name} added as {args.role}")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    rows = [{"name": u.name, "role": u.role, "disabled": u.disabled, "password": bool(u.password_hash)}
            for u in users.list_users(engine_of(args))]  # fmt: skip
    print(render(rows, args.format, ["name", "role", "disabled", "password"]))
    return 0


def cmd_users_set_role(args: argparse.Namespace) -> int:
    users.set_role(engine_of(args), args.name, args.role, by=acting_user(args))
    print(f"user {args.name} is now {args.role}")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    users.disable(engine_of(args), args.name, by=acting_user(args))
    print(f"user {args.name} disabled")
    return 0


def cmd_incident_open(args: argparse.Namespace) -> int:
    incident_id = incidents.open_incident(
        engine_of(args, create=True), title=args.title, by=acting_user(args), playbook_name=args.playbook,
        keywords=args.keyword, cadence=args.cadence, exercise=args.exercise,
    )  # fmt: skip
    print(incident_id)
    return 0


def cmd_incident_phase(args: argparse.Namespace) -> int:
    incidents.set_phase(engine_of(args), args.id, args.phase, by=acting_user(args))
    print(f"incident {args.id} is in the {args.phase} phase")
    return 0


def cmd_incident_close(args: argparse.Namespace) -> int:
    warn(incidents.close_incident(engine_of(args), args.id, by=acting_user(args)))
    print(f"incident {args.id} closed")
    return 0


def cmd_incident_list(args: argparse.Namespace) -> int:
    rows = [
        {
            "id": v.incident.id,
            "title": v.incident.title,
            "playbook": v.playbook.name,
            "phase": v.incident.phase,
            "cadence_minutes": v.cadence_minutes,
            "keywords": v.incident.keywords,
            "exercise": v.incident.exercise,
            "opened_at": v.incident.opened_at.isoformat(),
            "opened_by": v.incident.opened_by,
            "closed_at": v.incident.closed_at.isoformat() if v.incident.closed_at else None,
        }
        for v in incidents.list_incidents(engine_of(args))
    ]
    print(render(rows, args.format, ["id", "title", "playbook", "phase", "cadence_minutes", "opened_at", "closed_at"]))
    return 0


def cmd_message_draft(args: argparse.Namespace) -> int:
    print(messages.draft(engine_of(args), args.incident, args.text, by=acting_user(args), lang=args.lang))
    return 0


def cmd_message_step(args: argparse.Namespace) -> int:
    engine, user = engine_of(args), acting_user(args)
    if args.step == "submit":
        warn(messages.submit(engine, args.id, by=user).warnings)
    elif args.step == "approve":
        messages.approve(engine, args.id, by=user)
    else:
        # Published is published: trouble writing the public files afterwards is a warning (exit 0).
        warn(messages.publish(engine, args.id, by=user).warnings)
    print(f"message {args.id} {_DONE[args.step]}")
    return 0


def cmd_message_reject(args: argparse.Namespace) -> int:
    messages.reject(engine_of(args), args.id, by=acting_user(args), reason=args.reason)
    print(f"message {args.id} rejected")
    return 0


def cmd_message_successor(args: argparse.Namespace) -> int:
    act = messages.revise if args.step == "revise" else messages.correct
    print(act(engine_of(args), args.id, args.text, by=acting_user(args)))
    return 0


def cmd_message_repeat(args: argparse.Namespace) -> int:
    print(messages.repeat(engine_of(args), args.incident, by=acting_user(args), lang=args.lang))
    return 0


def _message_row(m: Any) -> dict[str, Any]:
    return {
        "id": m.id, "incident": m.incident_id, "kind": m.kind, "state": m.state, "language": m.language,
        "text": m.text, "text_hash": m.text_hash, "author": m.author, "created_at": m.created_at.isoformat(),
        "replaces": m.replaces_id, "superseded_by": m.superseded_by_id, "rejected_reason": m.rejected_reason,
        "published_at": m.published_at.isoformat() if m.published_at else None, "checks": m.checks,
    }  # fmt: skip


def cmd_message_show(args: argparse.Namespace) -> int:
    engine = engine_of(args)
    message = messages.get(engine, args.id)
    row = _message_row(message)
    row["checks"] = messages.precheck(engine, args.id).as_dict()
    approval = messages.approval_of(engine, args.id)
    row["approved_by"] = approval.approver if approval else None
    if args.format == "json":
        print(json.dumps(row, ensure_ascii=False, indent=2))
    else:
        print(render([row], "table", ["id", "state", "kind", "language", "author", "approved_by", "text"]))
        for warning in row["checks"]["warnings"] or ["no warnings"]:
            print(f"check: {warning}")
    return 0


def cmd_message_list(args: argparse.Namespace) -> int:
    engine = engine_of(args)
    incidents.get(engine, args.incident)  # a mistyped id is "no incident 99", not an empty list
    rows = [_message_row(m) for m in messages.list_messages(engine, args.incident)]
    print(render(rows, args.format, ["id", "kind", "state", "language", "author", "replaces", "published_at", "text"]))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    rows = [d.as_dict() for d in cadence.due(engine_of(args), args.incident)]
    print(
        render(
            rows,
            args.format,
            [
                "incident",
                "title",
                "phase",
                "cadence_minutes",
                "last_website_update",
                "next_due",
                "status",
                "repeat_candidate",
            ],
        )
    )
    return 0


def cmd_feed(args: argparse.Namespace) -> int:
    engine = engine_of(args)
    incidents.get(engine, args.incident)  # an unknown incident is bad input (exit 2)
    render_feed = crisisfeed.atom if args.format == "atom" else crisisfeed.cap
    try:
        data = render_feed(engine, args.incident)
    except ValueError as exc:  # CAP before anything is published: there is no alert yet
        print(f"crisisdesk: error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(data.decode("utf-8") + "\n")
    return 0
