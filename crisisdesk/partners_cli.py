"""`crisisdesk partners`: the partner warnings in force for the area, or what changed since a time (issue 14).

The same functions the live monitor's partner panel and the alerts read (`sources.partnerstate`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from core.clock import ClockError, parse_instant
from core.tabular import render
from crisisdesk.database import CliError, open_db
from sources.partnerstate import changed_since, partner_state

COLUMNS = ["identifier", "category", "severity", "headline", "sender_name", "sent", "expires", "msg_type", "account"]


def register(commands: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None],
             formats: Callable[..., None]) -> None:  # fmt: skip
    p = commands.add_parser("partners", help="partner warnings in force for the area, or changed since a time")
    common(p)
    p.add_argument("--since", metavar="ISO", help="new, updated or cancelled warnings since (ISO 8601 with offset)")
    p.add_argument("--tests", action="store_true", help="also the test, exercise and system messages")
    formats(p)
    p.set_defaults(handler=cmd_partners)


def cmd_partners(args: argparse.Namespace) -> int:
    engine = open_db(args)
    rows: list[dict[str, Any]]
    if args.since:
        try:
            since = parse_instant(args.since, what="--since")
        except ClockError as exc:
            raise CliError(str(exc), 2) from exc
        rows = changed_since(engine, since, include_tests=args.tests)
        columns = ["change", "active", *COLUMNS]
    else:
        state = partner_state(engine)
        shown = [*state.active, *(state.tests if args.tests else [])]
        rows = [w.as_dict() for w in shown]
        columns = COLUMNS
    print(render(rows, args.format, columns))
    return 0
