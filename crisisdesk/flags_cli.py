"""Command-line faces of the checks: the flags found, their triage (R6), and posts checked as pasted."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable
from typing import Any

from core.tabular import render
from crisisdesk.cli_args import acting_user, count, engine_of, ident
from crisisdesk.database import CliError
from playbooks.workflow import flags, incidents, pasted
from playbooks.workflow.models import FLAG_KINDS


def register(commands: argparse._SubParsersAction, common: Callable[..., None], formats: Callable[..., None],
             done: Callable[..., None], sub: Callable[..., Any]) -> None:  # fmt: skip
    p = commands.add_parser("flags", help="what the checks found")
    p.add_argument("--incident", type=ident)
    p.add_argument("--kind", choices=FLAG_KINDS)
    p.add_argument("--status", choices=("open", "all"), default="open")
    p.add_argument("--limit", type=count, metavar="N")
    common(p)
    formats(p)
    p.set_defaults(handler=cmd_flags)

    f = sub(commands.add_parser("flag", help="triage a flag (R6)"), "action")
    for action, helptext in (("assign", "assign to a user (--to, default yourself)"),
                             ("escalate", "escalate to the responsible person"),
                             ("dismiss", "dismiss with a reason"),
                             ("resolve", "resolve; a rumour points to the approved message that answers it")):  # fmt: skip
        p = f.add_parser(action, help=helptext)
        p.add_argument("id", type=ident)
        p.add_argument("--to", metavar="USER")
        p.add_argument("--reason", metavar="TEXT")
        p.add_argument("--message", type=ident, metavar="MSG_ID")
        done(p, cmd_flag, acting=True, step=action)

    p = commands.add_parser("check", help="check posts that are not in the database (JSON lines in, JSON lines out)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--incident", type=ident, metavar="ID", help="compare with this incident's approved messages")
    p.add_argument("--format", choices=("json",), default="json")
    done(p, cmd_check)


def cmd_flags(args: argparse.Namespace) -> int:
    engine = engine_of(args)
    if args.incident is not None:
        incidents.get(engine, args.incident)  # a mistyped id is "no incident 99", not "(none)"
    views = flags.list_flags(engine, incident=args.incident, kind=args.kind, status=args.status, limit=args.limit)
    rows = [v.as_dict() for v in views]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        row["post_text"] = (row["post"]["title"] + " " + row["post"]["text"]).strip()
        row["published"] = row["post"]["published"]
        row["why"] = _why(row)
    print(
        render(
            rows,
            args.format,
            ["id", "kind", "rule", "score", "status", "incident", "account", "published", "why", "post_text"],
        )
    )
    return 0


def _why(row: dict[str, Any]) -> str:
    evidence = row["evidence"]
    if "cues" in evidence:
        return "; ".join(evidence["cues"])
    if "conflicts" in evidence:
        return "; ".join(f"{c['post_text']} ≠ approved {c['approved_text']}" for c in evidence["conflicts"])
    if "shared_words" in evidence:
        return f"closest approved message {evidence['closest_message']} shares {evidence['shared_words']:.0%}"
    if "waited_minutes" in evidence:
        return f"not on the website after {evidence['waited_minutes']} min (grace {evidence['grace_minutes']})"
    return str(evidence.get("why", ""))


def cmd_flag(args: argparse.Namespace) -> int:
    flag = flags.triage(engine_of(args), args.id, args.step, by=acting_user(args), to=args.to, reason=args.reason,
                        message=args.message)  # fmt: skip
    print(
        f"flag {flag.id} {flag.status}"
        + (f" to {flag.assigned_to}" if flag.assigned_to and args.step == "assign" else "")
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    where = pasted.Context([])
    if args.incident is not None:
        try:
            where = pasted.context(engine_of(args), args.incident)
        except pasted.PastedError as exc:
            raise CliError(str(exc), code=2) from exc
    try:
        stream = _stdin_bytes() if args.file == "-" else open(args.file, "rb")
    except OSError as exc:
        raise CliError(f"{args.file}: {exc.strerror or exc}", 2) from exc
    bad = 0
    with stream:
        number = 0
        while True:
            try:
                raw = stream.readline(_CHECK_LINE_MAX + 1)
            except OSError as exc:  # a directory, a device that cannot be read
                raise CliError(f"{args.file}: {exc.strerror or exc}", 2) from exc
            if not raw:
                break
            number += 1
            problem, out = _check_line(raw, number, where)
            if len(raw) > _CHECK_LINE_MAX and not raw.endswith(b"\n"):
                skipped = len(raw)
                while (rest := stream.readline(_CHECK_LINE_MAX)) and not rest.endswith(b"\n"):
                    skipped += len(rest)  # skip the rest of an oversized line; the next line is scored
                    if skipped > _CHECK_SKIP_MAX:  # /dev/zero, a binary file: no line will ever end
                        raise CliError(
                            f"{args.file}: line {number} runs past {_CHECK_SKIP_MAX // (1024 * 1024)} MiB without "
                            "a line break: not JSON lines; stopped reading",
                            2,
                        )
            if problem:
                bad += 1
                print(f"crisisdesk: error: {args.file}: line {number}: {problem}", file=sys.stderr)
            elif out is not None:
                try:
                    text = json.dumps(out, ensure_ascii=False, allow_nan=False, default=str)
                except ValueError:  # a value JSON cannot carry (an infinite number): never print invalid JSON
                    bad += 1
                    print(f"crisisdesk: error: {args.file}: line {number}: a value that is not finite", file=sys.stderr)
                    continue
                sys.stdout.write(text + "\n")
    return 2 if bad else 0


_CHECK_LINE_MAX = 1024 * 1024  # a pasted post is text, not a megabyte of JSON
_CHECK_SKIP_MAX = 64 * _CHECK_LINE_MAX  # one "line" this long is no post that was cut, but no text at all


def _stdin_bytes() -> Any:
    """Standard input as bytes, each line decoded on its own (a replaced stdin may have no byte buffer)."""
    if hasattr(sys.stdin, "buffer"):
        return sys.stdin.buffer
    return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value (ids and numbers must be finite)")


def _check_line(raw: bytes, number: int, where: Any) -> tuple[str | None, dict[str, Any] | None]:
    """One JSON line scored, or why not: a bad line never stops the lines after it."""
    if len(raw) > _CHECK_LINE_MAX:
        return f"longer than {_CHECK_LINE_MAX} bytes", None
    if number == 1:  # a file saved by Notepad or Excel starts with a byte-order mark: its first post was lost
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 (byte {exc.start + 1}); save the file as UTF-8", None
    if not line.strip():
        return None, None
    try:
        item = json.loads(line, parse_constant=_no_constant)
    except RecursionError:
        return "JSON nested too deeply", None
    except ValueError as exc:
        return f"not JSON: {str(exc)[:200]}", None
    if not isinstance(item, dict):
        return "not a JSON object", None
    ident = item.get("id", number)
    if not isinstance(ident, str | int) or isinstance(ident, bool):
        return "'id' must be a string or a whole number", None
    try:
        out = pasted.check(item, where)
    except (ValueError, pasted.PastedError) as exc:
        return str(exc), None
    except RecursionError:
        return "JSON nested too deeply", None
    out["id"] = ident
    return None, out
