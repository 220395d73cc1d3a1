"""Command-line faces of the review: exports, archive bundles (R14), retention (R17), the audit chain (R15)."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from core.db import write_session
from crisisdesk.cli_args import InputError, acting_user, engine_of, ident, out_path, whole_number
from crisisdesk.database import CliError
from playbooks.review import bundlewriter, exports, retention, scorecard
from playbooks.workflow import audit
from playbooks.workflow.roles import require


def register(commands: argparse._SubParsersAction, common: Callable[..., None], done: Callable[..., None],
             sub: Callable[..., Any]) -> None:  # fmt: skip
    p = commands.add_parser("export", help="the post-incident review: json, csv, md, pdf or the zip archive bundle")
    p.add_argument("incident", type=ident)
    p.add_argument("--format", choices=("json", "csv", "md", "pdf", "zip"), required=True)
    p.add_argument("--out", type=out_path, required=True, metavar="PATH", help="file (csv: a folder, or a .zip)")
    p.add_argument("--lang", choices=("en", "sv", "fi", "de", "nl"), default="en")
    done(p, cmd_export)

    r = sub(commands.add_parser("archive", help="archive bundles (R14)"), "action")
    p = r.add_parser("verify", help="check a bundle against its manifest")
    p.add_argument("file", type=Path, metavar="FILE.zip")
    p.set_defaults(handler=cmd_archive_verify)

    r = sub(commands.add_parser("retention", help="prune personal data past retention (R17)"), "action")
    p = r.add_parser("apply", help="remove authors and texts of watched posts older than the period")
    p.add_argument("--months", type=whole_number, default=retention.DEFAULT_MONTHS)
    p.add_argument("--dry-run", action="store_true", help="count, change nothing")
    p.add_argument("--by", metavar="USER", help="the acting admin (default: $CRISISDESK_USER; needed once users exist)")
    common(p)
    p.set_defaults(handler=cmd_retention)

    a = sub(commands.add_parser("audit", help="the audit chain (R15)"), "action")
    p = a.add_parser("verify", help="check the chain against its signed checkpoints; prints its head hash")
    done(p, cmd_audit_verify)
    p = a.add_parser("checkpoint", help="sign the current head (once, on a database from before checkpoints)")
    done(p, cmd_audit_checkpoint, acting=True)


def cmd_export(args: argparse.Namespace) -> int:
    engine = engine_of(args)
    try:
        if args.format == "zip":  # streamed to the file: a bundle of a million posts in bounded memory
            _stream(args.out, lambda out: bundlewriter.write(engine, args.incident, out, args.lang, with_pdf=True))
        elif args.format == "json":
            _stream(args.out, lambda out: bundlewriter.write_json(engine, args.incident, out))
        elif args.format == "md":
            _write(
                args.out, exports.to_markdown(bundlewriter.written_review(engine, args.incident), args.lang).encode()
            )
        elif args.format == "pdf":
            _write(args.out, exports.to_pdf(bundlewriter.written_review(engine, args.incident), args.lang))
        else:
            with bundlewriter.csv_tables(engine, args.incident) as tables:
                if args.out.suffix == ".zip":
                    _stream(args.out, lambda out: bundlewriter.zip_of(tables, out))
                else:
                    _folder(args.out)
                    for name, fill in tables.items():
                        _stream(args.out / name, fill)
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
    if stat.S_ISREG(mode):  # what a CSV export finds where its folder should be
        return "a regular file"
    return "not a regular file"


def _mode_of(path: Path, *, follow: bool = False, error: type[Exception] = CliError) -> int | None:
    """What is at `path` now (its mode; links followed only with `follow`), or None when nothing is."""
    try:
        return (path.stat() if follow else path.lstat()).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise error(f"{'' if follow else '--out '}{path}: {exc.strerror or exc}") from exc


def _folder(path: Path) -> None:
    """The folder a CSV export goes into: created if absent, refused if something else is there."""
    mode = _mode_of(path)
    if mode is not None and not stat.S_ISDIR(mode):
        raise InputError(
            f"--out {path}: {_what_is(mode)}, not a folder (CSV writes a folder of tables, or a zip when PATH "
            f"ends in .zip); nothing written"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--out {path}: cannot create the folder: {exc.strerror or exc}") from exc


def _regular_or_absent(path: Path) -> None:
    mode = _mode_of(path)
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(f"--out {path}: {_what_is(mode)}; the export replaces only a regular file; nothing written")


def _stream(path: Path, fill: Callable[[IO[bytes]], None]) -> None:
    """Like _write, with the bytes written by `fill` as they are made instead of held first."""
    _regular_or_absent(path)
    try:
        bundlewriter.to_file(path, fill)
    except bundlewriter.WriteError as exc:
        raise CliError(f"--out {exc}") from exc


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all, replacing only a regular file (never a link, folder or device)."""

    def fill(out: IO[bytes]) -> None:
        out.write(data)

    _stream(path, fill)


def cmd_archive_verify(args: argparse.Namespace) -> int:
    mode = _mode_of(args.file, follow=True, error=InputError)
    if mode is None:
        raise InputError(f"{args.file}: no such file")
    if not stat.S_ISREG(mode):  # zipfile seeks to the end: /dev/zero or a pipe hung the command for ever
        raise InputError(f"{args.file}: {_what_is(mode)}, not a zip file")
    problems = exports.verify_archive(args.file)
    if problems:
        for problem in problems:
            print(f"archive {args.file}: {problem}", file=sys.stderr)
        return 1
    print(f"archive {args.file} verified: every file matches its manifest")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    try:
        report = retention.apply(engine_of(args), months=args.months, dry_run=args.dry_run,
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
    result = audit.verify(engine_of(args))
    if result.ok:
        signed = (f", signed checkpoint seq {result.checkpoint['seq']} (key {result.checkpoint['key_id']})"
                  if result.checkpoint else "")  # fmt: skip
        print(f"audit chain ok: {result.records} records, head {result.head}{signed}")
        return 0
    for problem in result.problems:  # "broken at the checkpoints cannot be checked: …" read as a break
        print(f"audit chain: {problem}", file=sys.stderr)
    if all(p.startswith(audit.KEY_MISSING) for p in result.problems):  # no key is no evidence of a break
        print(f"audit chain NOT CHECKED against its signed checkpoints: its {result.records} records link up, "
              "but checking their signatures needs the desk's key", file=sys.stderr)  # fmt: skip
        return 1
    print(f"audit chain BROKEN: {len(result.problems)} problem(s) in {result.records} records", file=sys.stderr)
    return 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    engine, user = engine_of(args), acting_user(args)
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
