"""Command-line faces of the workflow: users, incident, message, due, feed, audit."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from core.db import write_session
from core.tabular import render
from crisisdesk.database import CliError, open_db
from playbooks.review import exports, retention, scorecard
from playbooks.workflow import audit, cadence, crisisfeed, flags, incidents, messages, pasted, users
from playbooks.workflow.inputs import language_problem
from playbooks.workflow.models import FLAG_KINDS, ROLES
from playbooks.workflow.roles import require
from sources.language import LANGUAGES

_DONE = {"submit": "submitted", "approve": "approved", "publish": "published"}


class InputError(ValueError):
    """Bad input for a workflow command (exit 2)."""


def acting_user(args: argparse.Namespace) -> str:
    user = getattr(args, "by", None) or os.environ.get("CRISISDESK_USER")
    if not user:
        raise InputError("who is acting? give --by USER (or set CRISISDESK_USER)")
    return str(user)


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
        "--cadence", type=int, metavar="MINUTES", help="minutes between website updates (overrides the playbook)"
    )
    p.add_argument("--exercise", action="store_true", help="an exercise: the CAP feed says status Exercise")
    done(p, cmd_incident_open, acting=True)
    p = i.add_parser("phase", help="set the phase: acute or recovery")
    p.add_argument("id", type=_ident)
    p.add_argument("phase", choices=("acute", "recovery"))
    done(p, cmd_incident_phase, acting=True)
    p = i.add_parser("close", help="close an incident")
    p.add_argument("id", type=_ident)
    done(p, cmd_incident_close, acting=True)
    p = i.add_parser("list", help="list incidents")
    done(p, cmd_incident_list, listing=True)

    m = sub(commands.add_parser("message", help="the routing workflow, as a named user"), "action")
    p = m.add_parser("draft", help="draft a message; prints its id")
    p.add_argument("--incident", type=_ident, required=True)
    p.add_argument("--text", required=True)
    p.add_argument("--lang", metavar="CODE", type=_language, help=f"one of {', '.join(LANGUAGES)} (default: detected)")
    done(p, cmd_message_draft, acting=True)
    for action, helptext in (("submit", "submit a draft for approval"), ("approve", "approve (a lead, not the author)"),
                             ("publish", "publish an approved message on the official crisis feed")):  # fmt: skip
        p = m.add_parser(action, help=helptext)
        p.add_argument("id", type=_ident)
        done(p, cmd_message_step, acting=True, step=action)
    p = m.add_parser("reject", help="reject with a reason")
    p.add_argument("id", type=_ident)
    p.add_argument("--reason", required=True)
    done(p, cmd_message_reject, acting=True)
    for action, helptext in (("revise", "a new version that needs a new approval"),
                             ("correct", "a correction of a published message (R8)")):  # fmt: skip
        p = m.add_parser(action, help=helptext)
        p.add_argument("id", type=_ident)
        p.add_argument("--text", required=True)
        done(p, cmd_message_successor, acting=True, step=action)
    p = m.add_parser("repeat", help="submit the current message again for approval (R3)")
    p.add_argument("--incident", type=_ident, required=True)
    p.add_argument("--lang", metavar="CODE", type=_language, help=f"one of {', '.join(LANGUAGES)}")
    done(p, cmd_message_repeat, acting=True)
    p = m.add_parser("show", help="one message with its pre-approval checks")
    p.add_argument("id", type=_ident)
    done(p, cmd_message_show, listing=True)
    p = m.add_parser("list", help="the messages of an incident")
    p.add_argument("--incident", type=_ident, required=True)
    done(p, cmd_message_list, listing=True)

    p = commands.add_parser("due", help="cadence: when the next website update is due (R3)")
    p.add_argument("--incident", type=_ident)
    done(p, cmd_due, listing=True)

    p = commands.add_parser("feed", help="the official crisis feed of an incident")
    p.add_argument("incident", type=_ident)
    p.add_argument("--format", choices=("atom", "cap"), default="atom")
    done(p, cmd_feed)

    p = commands.add_parser("flags", help="what the checks found")
    p.add_argument("--incident", type=_ident)
    p.add_argument("--kind", choices=FLAG_KINDS)
    p.add_argument("--status", choices=("open", "all"), default="open")
    p.add_argument("--limit", type=_count, metavar="N")
    common(p)
    formats(p)
    p.set_defaults(handler=cmd_flags)

    f = sub(commands.add_parser("flag", help="triage a flag (R6)"), "action")
    for action, helptext in (("assign", "assign to a user (--to, default yourself)"),
                             ("escalate", "escalate to the responsible person"),
                             ("dismiss", "dismiss with a reason"),
                             ("resolve", "resolve; a rumour points to the approved message that answers it")):  # fmt: skip
        p = f.add_parser(action, help=helptext)
        p.add_argument("id", type=_ident)
        p.add_argument("--to", metavar="USER")
        p.add_argument("--reason", metavar="TEXT")
        p.add_argument("--message", type=_ident, metavar="MSG_ID")
        done(p, cmd_flag, acting=True, step=action)

    p = commands.add_parser("check", help="check posts that are not in the database (JSON lines in, JSON lines out)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--incident", type=_ident, metavar="ID", help="compare with this incident's approved messages")
    p.add_argument("--format", choices=("json",), default="json")
    done(p, cmd_check)

    p = commands.add_parser("export", help="the post-incident review: json, csv, md, pdf or the zip archive bundle")
    p.add_argument("incident", type=_ident)
    p.add_argument("--format", choices=("json", "csv", "md", "pdf", "zip"), required=True)
    p.add_argument("--out", type=_out_path, required=True, metavar="PATH", help="file (csv: a folder, or a .zip)")
    p.add_argument("--lang", choices=("en", "sv", "fi", "de", "nl"), default="en")
    done(p, cmd_export)

    r = sub(commands.add_parser("archive", help="archive bundles (R14)"), "action")
    p = r.add_parser("verify", help="check a bundle against its manifest")
    p.add_argument("file", type=Path, metavar="FILE.zip")
    p.set_defaults(handler=cmd_archive_verify)

    r = sub(commands.add_parser("retention", help="prune personal data past retention (R17)"), "action")
    p = r.add_parser("apply", help="remove authors and texts of watched posts older than the period")
    p.add_argument("--months", type=int, default=retention.DEFAULT_MONTHS)
    p.add_argument("--dry-run", action="store_true", help="count, change nothing")
    p.add_argument("--by", metavar="USER", help="the acting admin (default: $CRISISDESK_USER; needed once users exist)")
    common(p)
    p.set_defaults(handler=cmd_retention)

    a = sub(commands.add_parser("audit", help="the audit chain (R15)"), "action")
    p = a.add_parser("verify", help="check the chain against its signed checkpoints; prints its head hash")
    done(p, cmd_audit_verify)
    p = a.add_parser("checkpoint", help="sign the current head (once, on a database from before checkpoints)")
    done(p, cmd_audit_checkpoint, acting=True)


_MAX_ID = 2**31 - 1  # ids are INTEGER columns: beyond this no row can exist, and drivers overflow


def _ident(text: str) -> int:
    """A row id: a whole number from 1 to 2^31-1 (10^20 is bad input, not an overflow traceback)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if not 1 <= value <= _MAX_ID:
        raise argparse.ArgumentTypeError(f"{text[:40]} is not an id (1 to {_MAX_ID})")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{text[:40]} must be from 1 to 1000000")
    return value


def _out_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path")
    if "\x00" in text:
        raise argparse.ArgumentTypeError("a path with a NUL character")
    return Path(text)


def _language(code: str) -> str:
    if problem := language_problem(code):
        raise argparse.ArgumentTypeError(problem)
    return code


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _engine(args: argparse.Namespace) -> Engine:
    return open_db(args)


def cmd_users_add(args: argparse.Namespace) -> int:
    password = None
    if args.password_stdin:
        raw = sys.stdin.buffer.readline() if hasattr(sys.stdin, "buffer") else sys.stdin.readline().encode()
        try:
            password = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise InputError("the password on stdin is not valid UTF-8") from None
    users.add(_engine(args), args.name, args.role, password=password, by=args.by or os.environ.get("CRISISDESK_USER"))
    print(f"user {args.name} added as {args.role}")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    rows = [{"name": u.name, "role": u.role, "disabled": u.disabled, "password": bool(u.password_hash)}
            for u in users.list_users(_engine(args))]  # fmt: skip
    print(render(rows, args.format, ["name", "role", "disabled", "password"]))
    return 0


def cmd_users_set_role(args: argparse.Namespace) -> int:
    users.set_role(_engine(args), args.name, args.role, by=acting_user(args))
    print(f"user {args.name} is now {args.role}")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    users.disable(_engine(args), args.name, by=acting_user(args))
    print(f"user {args.name} disabled")
    return 0


def cmd_incident_open(args: argparse.Namespace) -> int:
    incident_id = incidents.open_incident(
        _engine(args), title=args.title, by=acting_user(args), playbook_name=args.playbook,
        keywords=args.keyword, cadence=args.cadence, exercise=args.exercise,
    )  # fmt: skip
    print(incident_id)
    return 0


def cmd_incident_phase(args: argparse.Namespace) -> int:
    incidents.set_phase(_engine(args), args.id, args.phase, by=acting_user(args))
    print(f"incident {args.id} is in the {args.phase} phase")
    return 0


def cmd_incident_close(args: argparse.Namespace) -> int:
    _warn(incidents.close_incident(_engine(args), args.id, by=acting_user(args)))
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
        for v in incidents.list_incidents(_engine(args))
    ]
    print(render(rows, args.format, ["id", "title", "playbook", "phase", "cadence_minutes", "opened_at", "closed_at"]))
    return 0


def cmd_message_draft(args: argparse.Namespace) -> int:
    print(messages.draft(_engine(args), args.incident, args.text, by=acting_user(args), lang=args.lang))
    return 0


def cmd_message_step(args: argparse.Namespace) -> int:
    engine, user = _engine(args), acting_user(args)
    if args.step == "submit":
        _warn(messages.submit(engine, args.id, by=user).warnings)
    elif args.step == "approve":
        messages.approve(engine, args.id, by=user)
    else:
        # Published is published: trouble writing the public files afterwards is a warning (exit 0).
        _warn(messages.publish(engine, args.id, by=user).warnings)
    print(f"message {args.id} {_DONE[args.step]}")
    return 0


def cmd_message_reject(args: argparse.Namespace) -> int:
    messages.reject(_engine(args), args.id, by=acting_user(args), reason=args.reason)
    print(f"message {args.id} rejected")
    return 0


def cmd_message_successor(args: argparse.Namespace) -> int:
    act = messages.revise if args.step == "revise" else messages.correct
    print(act(_engine(args), args.id, args.text, by=acting_user(args)))
    return 0


def cmd_message_repeat(args: argparse.Namespace) -> int:
    print(messages.repeat(_engine(args), args.incident, by=acting_user(args), lang=args.lang))
    return 0


def _message_row(m: Any) -> dict[str, Any]:
    return {
        "id": m.id, "incident": m.incident_id, "kind": m.kind, "state": m.state, "language": m.language,
        "text": m.text, "text_hash": m.text_hash, "author": m.author, "created_at": m.created_at.isoformat(),
        "replaces": m.replaces_id, "superseded_by": m.superseded_by_id, "rejected_reason": m.rejected_reason,
        "published_at": m.published_at.isoformat() if m.published_at else None, "checks": m.checks,
    }  # fmt: skip


def cmd_message_show(args: argparse.Namespace) -> int:
    engine = _engine(args)
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
    rows = [_message_row(m) for m in messages.list_messages(_engine(args), args.incident)]
    print(render(rows, args.format, ["id", "kind", "state", "language", "author", "replaces", "published_at", "text"]))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    rows = [d.as_dict() for d in cadence.due(_engine(args), args.incident)]
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
    engine = _engine(args)
    incidents.get(engine, args.incident)  # an unknown incident is bad input (exit 2)
    render_feed = crisisfeed.atom if args.format == "atom" else crisisfeed.cap
    try:
        data = render_feed(engine, args.incident)
    except ValueError as exc:  # CAP before anything is published: there is no alert yet
        print(f"crisisdesk: error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(data.decode("utf-8") + "\n")
    return 0


def cmd_flags(args: argparse.Namespace) -> int:
    views = flags.list_flags(
        _engine(args), incident=args.incident, kind=args.kind, status=args.status, limit=args.limit
    )
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
    flag = flags.triage(_engine(args), args.id, args.step, by=acting_user(args), to=args.to, reason=args.reason,
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
            where = pasted.context(_engine(args), args.incident)
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
                while (rest := stream.readline(_CHECK_LINE_MAX)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of an oversized line; the next line is scored
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


def cmd_export(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        if args.format == "zip":
            data = exports.bundle(engine, args.incident, args.lang, with_pdf=True)
            _write(args.out, data)
        else:
            doc = exports.document(engine, args.incident)
            if args.format == "json":
                _write(args.out, exports.to_json(doc))
            elif args.format == "md":
                _write(args.out, exports.to_markdown(doc, args.lang).encode("utf-8"))
            elif args.format == "pdf":
                _write(args.out, exports.to_pdf(doc, args.lang))
            else:
                tables = exports.csv_tables(doc)
                if args.out.suffix == ".zip":
                    buffer = io.BytesIO()
                    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                        for name, data in tables.items():
                            archive.writestr(name, data)
                    _write(args.out, buffer.getvalue())
                else:
                    _folder(args.out)
                    for name, data in tables.items():
                        _write(args.out / name, data)
    except scorecard.ReviewError as exc:
        raise InputError(str(exc)) from exc
    print(f"wrote {args.format} review of incident {args.incident} to {args.out}")
    return 0


def _what_is(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _folder(path: Path) -> None:
    """The folder a CSV export goes into: created if absent, refused if something else is there."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise CliError(f"--out {path}: {exc.strerror or exc}") from exc
    if mode is not None and not stat.S_ISDIR(mode):
        raise InputError(f"--out {path}: {_what_is(mode)}, not a folder; nothing written")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--out {path}: cannot create the folder: {exc.strerror or exc}") from exc


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, replacing only a regular file (never a link, folder or device).

    The bytes go to a temporary file of our own in the same folder (O_EXCL), flushed to disk, then
    renamed over the path; on any failure the temporary file is removed, so nothing half-written stays.
    """
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise CliError(f"--out {path}: {exc.strerror or exc}") from exc
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(f"--out {path}: {_what_is(mode)}; the export replaces only a regular file; nothing written")
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise CliError(f"--out {path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def cmd_archive_verify(args: argparse.Namespace) -> int:
    if not args.file.exists():
        raise InputError(f"{args.file}: no such file")
    problems = exports.verify_archive(args.file)
    if problems:
        for problem in problems:
            print(f"archive {args.file}: {problem}", file=sys.stderr)
        return 1
    print(f"archive {args.file} verified: every file matches its manifest")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    try:
        report = retention.apply(_engine(args), months=args.months, dry_run=args.dry_run,
                                 by=args.by or os.environ.get("CRISISDESK_USER"))  # fmt: skip
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    verb = "would prune" if report.dry_run else "pruned"
    print(
        f"{verb} {report.posts} watched posts (and {report.versions} earlier versions, and what {report.flags} flags "
        f"quoted of them) published before {report.cutoff}"
    )
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    result = audit.verify(_engine(args))
    if result.ok:
        signed = (f", signed checkpoint seq {result.checkpoint['seq']} (key {result.checkpoint['key_id']})"
                  if result.checkpoint else "")  # fmt: skip
        print(f"audit chain ok: {result.records} records, head {result.head}{signed}")
        return 0
    for problem in result.problems:
        print(f"audit chain broken at {problem}", file=sys.stderr)
    print(f"audit chain BROKEN: {len(result.problems)} problem(s) in {result.records} records", file=sys.stderr)
    return 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    engine, user = _engine(args), acting_user(args)
    with write_session(engine) as session:
        require(session, user, "users.manage")
    result = audit.verify(engine)
    broken = [p for p in result.problems if not p.startswith(("no signed checkpoint", "records seq"))]
    if broken:  # sign only a chain that is whole: a checkpoint vouches for everything before it
        raise CliError(f"the chain is broken, nothing signed: {broken[0]}", 1)
    if result.checkpoint and result.checkpoint["seq"] == result.records and result.ok:
        print(f"head seq {result.checkpoint['seq']} is signed already")
        return 0
    checkpoint = audit.checkpoint_now(engine)
    if checkpoint is None:
        print("the audit chain is empty: nothing to sign")
        return 0
    print(f"signed checkpoint seq {checkpoint['seq']}, head {checkpoint['head']} (key {checkpoint['key_id']})")
    return 0
