"""The archive bundle and review.json written as they are read (issue 15): the posts, their versions and the
timeline go from the database, in batches, straight into their zip members, each hashed as it is written;
the manifest and its signature come last, in the format `exports.verify_archive` checks. Memory stays
bounded by a batch, the incident's messages, flags and audit records, its website posts (the scorecard's
lookups), and 8 bytes per post (16 per website post: their times, for the charts of the written reviews).

A file is written next to its target under a temporary name and renamed over it only when whole, so a
failure (a full disk, an unwritable folder) leaves nothing half-written at the target.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db import read_session
from core.tabular import csv_lines
from playbooks.review import exports
from playbooks.review import record as records
from playbooks.workflow import crisisfeed, signing

_FLUSH = 256 * 1024  # bytes gathered before they go to the zip member: few calls, little memory
_BOM = "\ufeff"  # UTF-8 with a byte-order mark, as exports.csv_tables writes: Excel reads å, ä, ö
Write = Callable[[str], None]


class WriteError(exports.ExportError):
    """The export could not be written where it was asked to go (nothing was left there)."""


class _Member:
    """Text going into one zip member, encoded in chunks and hashed on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest = handle, hashlib.sha256()
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        data = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        self.size = 0
        self.digest.update(data)
        self.handle.write(data)


def _dumps(value: Any, depth: int) -> str:
    """`value` as json.dumps(indent=2) writes it `depth` levels deep (JSON strings hold no raw newline)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


def json_document(write: Write, doc: dict[str, Any], streams: Mapping[str, Iterable[dict[str, Any]]]) -> None:
    """`doc` as exports.to_json writes it, byte for byte, with the lists named in `streams` taken from
    them item by item instead of from `doc`."""
    keys = [key for key in doc if key != exports.POST_TIMES]
    write("{")
    for n, key in enumerate(keys):
        write(("\n  " if n == 0 else ",\n  ") + json.dumps(key, ensure_ascii=False) + ": ")
        if key not in streams:
            write(_dumps(doc[key], 1))
            continue
        empty = True
        for item in streams[key]:
            write(("[\n    " if empty else ",\n    ") + _dumps(item, 2))
            empty = False
        write("[]" if empty else "\n  ]")
    write("\n}")


def csv_table(write: Write, rows: Iterable[dict[str, Any]]) -> None:
    """One table as exports.csv_tables writes it (columns from the first row), one row at a time."""
    items = iter(rows)
    first = next(items, None)
    columns = list(first) if first is not None else ["(empty)"]
    write(_BOM)
    for line in csv_lines(chain([first], items) if first is not None else [], columns):
        write(line)


def jsonl(write: Write, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        write(json.dumps(row, ensure_ascii=False) + "\n")


def _streams(session: Session, record: records.Record) -> dict[str, Iterator[dict[str, Any]]]:
    """Fresh iterators over the long lists of review.json: each member that needs one reads it anew."""
    return {"timeline": records.timeline(session, record), "posts": records.posts(session, record),
            "post_versions": records.post_versions(session, record)}  # fmt: skip


def _tables(
    session: Session, record: records.Record, doc: dict[str, Any]
) -> dict[str, bytes | Callable[[Write], None]]:
    """The CSV tables in exports.csv_tables' order: the short ones made at once, posts and timeline streamed."""
    tables: dict[str, bytes | Callable[[Write], None]] = dict(exports.csv_tables({**doc, "timeline": [], "posts": []}))
    tables["timeline.csv"] = lambda w: csv_table(w, records.timeline(session, record))
    tables["posts.csv"] = lambda w: csv_table(w, records.posts(session, record))
    return tables


def _filler(table: bytes | Callable[[Write], None]) -> Callable[[IO[bytes]], None]:
    def fill(handle: IO[bytes]) -> None:
        if isinstance(table, bytes):
            handle.write(table)
            return
        member = _Member(handle)
        table(member.write)
        member.flush()

    return fill


@contextlib.contextmanager
def csv_tables(engine: Engine, incident_id: int) -> Iterator[dict[str, Callable[[IO[bytes]], None]]]:
    """Each CSV table as a function that writes it to a file: for `crisisdesk export --format csv`."""
    with read_session(engine) as session:
        records.snapshot(session)
        record = records.load(session, incident_id)
        doc = exports.frame(engine, session, record)
        yield {name: _filler(table) for name, table in _tables(session, record, doc).items()}


def zip_of(tables: dict[str, Callable[[IO[bytes]], None]], out: IO[bytes]) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, fill in tables.items():
            with archive.open(name, "w", force_zip64=True) as handle:
                fill(handle)


def written_review(engine: Engine, incident_id: int) -> dict[str, Any]:
    """What the Markdown and PDF reviews are made from, without every post (exports.summary)."""
    with read_session(engine) as session:
        records.snapshot(session)
        return exports.summary(engine, session, records.load(session, incident_id))


def write(engine: Engine, incident_id: int, out: IO[bytes], lang: str = "en", *, with_pdf: bool = True,
          zone: str = "Europe/Stockholm") -> None:  # fmt: skip
    """The archive bundle (R14) into `out`: every export, the crisis feed, the audit records, a signed
    manifest. The same members and manifest as ever; only the order of reading changed."""
    key = signing.load()
    with read_session(engine) as session:
        records.snapshot(session)
        record = records.load(session, incident_id)
        doc = exports.summary(engine, session, record)
        small: dict[str, bytes] = {
            "review.md": exports.to_markdown(doc, lang, zone).encode("utf-8"),
            "review.html": exports.to_html(doc, lang).encode("utf-8"),
            "feed/crisis-feed.atom": crisisfeed.atom(engine, incident_id),
            "audit/records.json": json.dumps(doc["audit"], ensure_ascii=False, indent=2).encode("utf-8"),
        }
        with contextlib.suppress(ValueError):  # an incident without a public alert has no CAP file
            small["feed/alert.cap.xml"] = crisisfeed.cap(engine, incident_id)
        if with_pdf:
            small["review.pdf"] = exports.to_pdf(doc, lang, zone)
        streamed: dict[str, Callable[[Write], None]] = {
            "review.json": lambda w: json_document(w, doc, _streams(session, record)),
            "posts/entries.jsonl": lambda w: jsonl(w, records.posts(session, record)),
            "posts/versions.jsonl": lambda w: jsonl(w, records.post_versions(session, record)),
        }
        for name, table in _tables(session, record, doc).items():
            if isinstance(table, bytes):
                small[f"csv/{name}"] = table
            else:
                streamed[f"csv/{name}"] = table
        hashes: dict[str, str] = {}
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted([*small, *streamed]):
                if name in small:
                    archive.writestr(name, small[name])
                    hashes[name] = hashlib.sha256(small[name]).hexdigest()
                    continue
                # zip64 from the start: the size of a streamed member is not known until it is written.
                with archive.open(name, "w", force_zip64=True) as handle:
                    member = _Member(handle)
                    streamed[name](member.write)
                    member.flush()
                hashes[name] = member.digest.hexdigest()
            manifest = {
                "incident": incident_id, "generated_at": doc["generated_at"], "audit_head": doc["audit"]["chain_head"],
                "audit_chain_ok": doc["audit"]["chain_ok"], "audit_checkpoint": doc["audit"]["checkpoint"],
                "key_id": key.key_id, "public_key": key.public_b64, "files": dict(sorted(hashes.items())),
            }  # fmt: skip
            manifest_bytes = json.dumps(manifest, indent=2).encode("utf-8")
            archive.writestr(exports.MANIFEST, manifest_bytes)
            archive.writestr(exports.SIGNATURE, key.sign(exports.MANIFEST_CONTEXT + manifest_bytes) + "\n")


def bundle(engine: Engine, incident_id: int, lang: str = "en", *, with_pdf: bool = True,
           zone: str = "Europe/Stockholm") -> bytes:  # fmt: skip
    """The archive bundle as bytes, for a download of a small incident (`write` to a file for any size)."""
    buffer = io.BytesIO()
    write(engine, incident_id, buffer, lang, with_pdf=with_pdf, zone=zone)
    return buffer.getvalue()


def write_json(engine: Engine, incident_id: int, out: IO[bytes]) -> None:
    """review.json alone, streamed: the same bytes as exports.to_json(exports.document(...))."""
    with read_session(engine) as session:
        records.snapshot(session)
        record = records.load(session, incident_id)
        doc = exports.frame(engine, session, record)
        member = _Member(out)
        json_document(member.write, doc, _streams(session, record))
        member.flush()


def to_file(path: Path, fill: Callable[[IO[bytes]], None]) -> None:
    """Run `fill` on a temporary file beside `path`, then put it in place whole (or leave nothing)."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}; nothing was written there") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
