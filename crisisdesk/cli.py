"""`crisisdesk …`: parse the command line, call the library, print. No rule lives here.

Exit codes: 0 ok, 1 failure, 2 bad usage or bad input, always with one clear line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import yaml
from sqlalchemy.exc import SQLAlchemyError

from core.clock import ClockError, now, parse_instant
from core.tabular import FORMATS, render
from crisisdesk import partners_cli, workflow_cli
from crisisdesk.cli_args import InputError, decimal_number, whole_in
from crisisdesk.database import CliError, engine_for, open_db, shown_url, upgrade
from crisisdesk.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    SECONDS_PER_MINUTE,
    ScenarioServer,
    load_scenario,
    prepare,
    registry_text,
    scenario_warnings,
)
from crisisdesk.quietlog import quiet_poller_log
from crisisdesk.services import run_services
from playbooks.playbook import PlaybookError
from playbooks.review.exports import ExportError
from playbooks.workflow import alertoutbox, flags
from playbooks.workflow import partners as partner_flags
from playbooks.workflow.accounts import import_accounts
from playbooks.workflow.incidents import IncidentError
from playbooks.workflow.messages import WorkflowError
from playbooks.workflow.roles import PermissionDenied
from playbooks.workflow.signing import SigningError
from playbooks.workflow.users import UserError, list_users
from sources import registry
from sources.fetch import FetchSettings
from sources.health import feed_health
from sources.poller import Poller
from sources.posts import list_posts, post_as_dict

_FETCH = FetchSettings()  # the defaults the poll options show


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("crisisdesk").strip()
        raise CliError(f"{command + ': ' if command else ''}{message} (see --help)", 2)


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", help="database URL (default: $CRISISDESK_DATABASE_URL or data/crisisdesk.db)"
    )


def _serve_options(parser: argparse.ArgumentParser) -> None:
    _db_option(parser)
    parser.add_argument("--port", type=whole_in(1, 65535), default=8501, help="dashboard port (default 8501)")
    parser.add_argument("--address", type=_local_address, default="127.0.0.1",
                        help="dashboard address (default 127.0.0.1)")  # fmt: skip


def _format_option(parser: argparse.ArgumentParser, choices: Sequence[str] = FORMATS) -> None:
    parser.add_argument("--format", choices=choices, default="table", help="output format (default: table)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="crisisdesk", description="Crisis-communication coordination desk.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    p = commands.add_parser("init", help="create or upgrade the database schema")
    _db_option(p)
    p.set_defaults(handler=cmd_init)

    accounts = commands.add_parser("accounts", help="the account registry (R11, R12)")
    acc = accounts.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=_Parser)
    p = acc.add_parser("import", help="create or update accounts from a registry YAML file")
    p.add_argument("file", type=Path, metavar="FILE.yaml")
    p.add_argument("--by", metavar="USER", help="the acting admin (needed once users exist)")
    _db_option(p)
    p.set_defaults(handler=cmd_accounts_import)
    p = acc.add_parser("list", help="list registered accounts")
    _db_option(p)
    _format_option(p, ("table", "json"))
    p.set_defaults(handler=cmd_accounts_list)

    p = commands.add_parser("up", help="start the poller and the dashboard")
    _serve_options(p)
    p.add_argument("--only", choices=("poller", "dashboard"),
                   help="start just one of them (several of each may share one PostgreSQL: docs/deploy.md)")  # fmt: skip
    p.set_defaults(handler=cmd_up)

    p = commands.add_parser("demo", help="a live simulated incident: scenario feed server, poller, dashboard")
    _serve_options(p)
    p.add_argument("--speed", type=_positive_float, default=SECONDS_PER_MINUTE, metavar="S",
                   help=f"real seconds per scenario minute (default {SECONDS_PER_MINUTE:g}: about 10 minutes in all)")  # fmt: skip
    p.set_defaults(handler=cmd_demo)

    p = commands.add_parser("poll", help="fetch due feeds and store new posts")
    _db_option(p)
    p.add_argument("--once", action="store_true", help="one pass over the due feeds, then exit")
    p.add_argument("--all", action="store_true", help="fetch every feed on every pass, due or not")
    p.add_argument("--interval", type=_seconds(0.01, 3600), default=5.0, metavar="S",
                   help="seconds between passes looking for due feeds (default 5)")  # fmt: skip
    p.add_argument("--deadline", type=_seconds(0.1, 3600), default=_FETCH.deadline_s, metavar="S",
                   help=f"wall-clock deadline per fetch (default {_FETCH.deadline_s:g})")  # fmt: skip
    p.add_argument("--concurrency", type=whole_in(1, 1000), default=_FETCH.concurrency, metavar="N",
                   help=f"feeds fetched at once (default {_FETCH.concurrency})")  # fmt: skip
    p.add_argument("--claim", type=whole_in(1, 100_000), metavar="N",
                   help="claim at most N due feeds per pass, leaving the rest to other pollers of the same "
                        "PostgreSQL database (default: all that are due)")  # fmt: skip
    p.add_argument("--verbose", action="store_true", help="a log line for every pass (default: one a minute)")
    p.set_defaults(handler=cmd_poll)

    p = commands.add_parser("posts", help="what was stored")
    _db_option(p)
    p.add_argument("--account", metavar="ID")
    p.add_argument("--since", metavar="ISO", help="published at or after (ISO 8601 with offset)")
    p.add_argument("--limit", type=whole_in(1, 1_000_000), metavar="N")
    _format_option(p)
    p.set_defaults(handler=cmd_posts)

    workflow_cli.register(commands, _db_option, _format_option, _Parser)

    p = commands.add_parser("health", help="feed health per account (R13)")
    _db_option(p)
    _format_option(p, ("table", "json"))
    p.set_defaults(handler=cmd_health)
    partners_cli.register(commands, _db_option, _format_option)
    return parser


def _positive_float(text: str) -> float:
    value = decimal_number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def _local_address(text: str) -> str:
    """An address this machine can listen on: else the dashboard printed Streamlit's traceback and died."""
    try:
        family, kind, _proto, _name, where = socket.getaddrinfo(text, 0, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.bind(where)  # port 0: whether the address is ours, whatever is on the dashboard's port
    except (OSError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise argparse.ArgumentTypeError(f"{text[:100]!r} is not an address of this machine ({reason})") from None
    return text


def _seconds(low: float, high: float) -> Callable[[str], float]:
    """A number of seconds from `low` to `high`: nan, inf and 1e300 are refused, not slept on."""

    def parse(text: str) -> float:
        value = _positive_float(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} must be from {low:g} to {high:g} seconds")
        return value

    return parse


def cmd_init(args: argparse.Namespace) -> int:
    engine = engine_for(args, create=True)
    revision = upgrade(engine)
    print(f"schema at revision {revision} in {engine.url.render_as_string()}")
    return 0


def cmd_accounts_import(args: argparse.Namespace) -> int:
    try:
        reg = registry.load(args.file)
    except registry.RegistryError as exc:
        raise CliError(str(exc), 2) from exc
    report = import_accounts(open_db(args, create=True), reg, by=args.by or os.environ.get("CRISISDESK_USER"))
    print(
        f"imported {len(reg.accounts)} accounts of {reg.organisation}: "
        f"{len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged"
    )
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_accounts_list(args: argparse.Namespace) -> int:
    engine = open_db(args)
    accounts = registry.list_accounts(engine)
    warnings = {w.split("'")[1]: w for w in registry.warnings_for(accounts)}
    rows = [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "platform": a.platform,
            "feed": a.feed.url,
            "homepage": a.homepage,
            "owner": a.owner,
            "administrators": a.administrators,
            "languages": a.languages,
            "interval": a.feed.interval_s,
            "warning": warnings.get(a.id),
        }
        for a in accounts
    ]
    print(
        render(
            rows,
            args.format,
            ["id", "kind", "platform", "name", "owner", "administrators", "feed", "warning"],
        )
    )
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    engine = open_db(args, create=True)
    notifier = alertoutbox.Notifier(engine)

    def after_pass() -> None:
        try:
            partner_flags.poller_after_pass(engine)
        finally:  # alerts to people (issue 14): after the checks, sent outside the transactions
            notifier.after_pass()

    poller = Poller(
        engine,
        settings=FetchSettings(deadline_s=args.deadline, concurrency=args.concurrency),
        after_store=partner_flags.poller_after_store,
        after_pass=after_pass,
        claim_limit=args.claim,
    )
    if args.once:
        try:
            report = asyncio.run(poller.run_once(include_all=args.all))
        except SQLAlchemyError:
            raise  # the database itself: one line, exit 1, like every command
        except Exception as exc:  # a fault of the poller itself, not of a feed (those are in the report)
            logging.getLogger("crisisdesk.poller").debug("poll pass failed", exc_info=True)
            raise CliError(f"poll: the pass failed: {type(exc).__name__}: {str(exc)[:200]}") from exc
        notifier.wait(60)  # what this pass sends goes before the process ends
        print(
            f"polled {report.feeds} feeds: {report.new_posts} new posts, {report.changed_posts} changed, "
            f"{report.not_modified + report.same_body} unchanged, {len(report.failures)} failing"
        )
        for account, error in sorted(report.failures.items()):
            print(f"feed {account}: {error}", file=sys.stderr)
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not args.verbose:
        quiet_poller_log()
    asyncio.run(_poll_forever(poller, args.interval, include_all=args.all))
    return 0


async def _poll_forever(poller: Poller, tick_s: float, *, include_all: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await poller.run_forever(tick_s, stop=stop, include_all=include_all)


def cmd_up(args: argparse.Namespace) -> int:
    engine = open_db(args, create=True)
    url = engine.url.render_as_string(hide_password=False)
    if args.only == "poller":
        print("crisisdesk: poller (Ctrl-C stops it)")
    else:
        stops = "the dashboard" if args.only else "poller and dashboard"
        print(f"crisisdesk: dashboard on http://{args.address}:{args.port}/ (Ctrl-C stops {stops})")
    return run_services(url, port=args.port, address=args.address, only=args.only)


def cmd_demo(args: argparse.Namespace) -> int:
    engine = open_db(args, create=True)
    present = {user.name for user in list_users(engine)}
    if present and not set(DEMO_USERS) <= present:
        # A desk's own database: the demo replaced its organisation and added its accounts, then failed
        # for want of the demo's users.
        raise CliError(
            f"demo: the database {shown_url(args.db)} has users of its own, not the demo's: nothing changed; "
            f"run the demo on a database of its own (--db sqlite:///data/demo.db)",
            2,
        )
    document, posts = load_scenario()
    server = ScenarioServer(posts, seconds_per_minute=args.speed, warnings=scenario_warnings(document))
    try:
        reg = registry.parse(yaml.safe_load(registry_text(server.base)), source="data/demo/accounts.yaml")
        registry.import_registry(engine, reg)
        incident = prepare(engine, document, posts)
        server.start()
        print(
            f"crisisdesk demo: incident {incident} open (an exercise); sign in as anna (analyst), lars or lena "
            f"(leads), rita (reviewer), admin — password {DEMO_PASSWORD}"
        )
        ends = server.ends_at().astimezone().strftime("%H:%M")
        print(f"crisisdesk demo: scenario feeds on {server.base}, {len(posts)} posts and "
              f"{len(server.warnings)} partner warnings over "
              f"{posts[-1].at_min * args.speed / 60:.1f} min, until {ends}; the desk offers a replay after")  # fmt: skip
        print(f"crisisdesk demo: open http://{args.address}:{args.port}/ (Ctrl-C stops; the logins are on the "
              f"sign-in page)")  # fmt: skip
        url = engine.url.render_as_string(hide_password=False)
        # The dashboard shows the scenario's end, a replay and the logins only in demo mode: given this address.
        return run_services(url, port=args.port, address=args.address, poll_interval=1.0,
                            env={"CRISISDESK_DEMO_URL": server.base})  # fmt: skip
    finally:
        server.stop()


def cmd_posts(args: argparse.Namespace) -> int:
    since = None
    if args.since:
        try:
            since = parse_instant(args.since, what="--since")
        except ClockError as exc:
            raise CliError(str(exc), 2) from exc
    engine = open_db(args)
    if args.account is not None and args.account not in registry.account_kinds(engine):
        # A mistyped id printed "(none)", exit 0: as if the account had posted nothing.
        raise CliError(f"--account {args.account!r}: no such account (crisisdesk accounts list shows them)", 2)
    posts = list_posts(engine, account=args.account, since=since, limit=args.limit)
    rows = [post_as_dict(p) for p in posts]
    print(render(rows, args.format, ["account", "published", "language", "title", "text", "link", "guid"]))
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    rows = [h.as_dict() for h in feed_health(open_db(args))]
    columns = [
        "account",
        "kind",
        "status",
        "last_success",
        "consecutive_failures",
        "next_fetch",
        "last_error",
    ]
    print(render(rows, args.format, columns))
    return 0


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Bytes on the command line that are not UTF-8 arrive as lone surrogates: one line, exit 2, for any option."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    option = (
                        name if name in ("file", "name", "id", "role", "incident") else "--" + name.replace("_", "-")
                    )
                    raise CliError(f"{option}: not valid UTF-8 (the terminal or script sent other bytes)", 2) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = None
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # argparse reports these from the top parser: "crisisdesk: error: unrecognized arguments"
            command = " ".join(w for w in (args.command, getattr(args, "action", None)) if isinstance(w, str))
            shown = " ".join(e if len(e) <= 100 else e[:99] + "…" for e in extra)
            raise CliError(f"{command}: unrecognized arguments: {shown} (see --help)", 2)
        _refuse_undecodable(args)
        now()  # a malformed CRISISDESK_NOW is bad input for every command
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except CliError as exc:
        print(f"crisisdesk: error: {exc}", file=sys.stderr)
        return exc.code
    except (InputError, UserError, IncidentError, PlaybookError) as exc:
        print(f"crisisdesk: error: {exc}", file=sys.stderr)
        return 2
    except (ExportError, SigningError) as exc:
        print(f"crisisdesk: error: {exc}", file=sys.stderr)
        return 1
    except (PermissionDenied, WorkflowError, flags.TriageError) as exc:
        print(f"crisisdesk: error: {exc}", file=sys.stderr)
        return 1
    except ClockError as exc:
        print(f"crisisdesk: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except SQLAlchemyError as exc:  # "database: … database is locked" did not say which database
        print(f"crisisdesk: error: database {shown_url(getattr(args, 'db', None))}: {str(exc).splitlines()[0][:300]}",
              file=sys.stderr)  # fmt: skip
        return 1
