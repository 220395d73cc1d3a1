"""Exports of the post-incident review (R14): JSON, CSV, Markdown, PDF and the archive bundle.

The bundle carries a manifest of SHA-256 hashes of every file, signed with the desk's Ed25519 key
(`manifest.sig`), so `verify_archive` can tell whether a byte changed since it was written, and a
manifest recomputed over edited files is refused. Every export carries the audit chain's signed head.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session
from core.tabular import to_csv
from playbooks.review import pdf, scorecard, words
from playbooks.review import record as records
from playbooks.review.words import HEADINGS
from playbooks.workflow import audit, signing

SCHEMA_VERSION = 1
# Above this many posts the HTML review's chart is binned on the server rather than in the browser.
HTML_POST_POINTS = 50_000


class ExportError(ValueError):
    pass


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


POST_TIMES = records.POST_TIMES


def frame(engine: Engine, session: Session, record: records.Record) -> dict[str, Any]:
    """The document without its three long lists (timeline, posts, post_versions), in the schema's order."""
    incident = record.incident
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": now().isoformat(),
        "incident": {"id": incident.id, "title": incident.title, "playbook": incident.playbook, "phase": incident.phase,
                     "keywords": incident.keywords, "exercise": incident.exercise, "opened_at": _iso(incident.opened_at),
                     "opened_by": incident.opened_by, "closed_at": _iso(incident.closed_at), "closed_by": incident.closed_by},
        "scorecard": scorecard.of_session(session, record).items,
        "timeline": [],
        "messages": [{"id": m.id, "kind": m.kind, "state": m.state, "language": m.language, "text": m.text,
                      "text_hash": m.text_hash, "author": m.author, "created_at": _iso(m.created_at),
                      "submitted_at": _iso(m.submitted_at), "approved_by": record.approvals[m.id].approver if m.id in record.approvals else None,
                      "approved_at": _iso(record.approvals[m.id].approved_at) if m.id in record.approvals else None,
                      "published_at": _iso(m.published_at), "replaces": m.replaces_id, "superseded_by": m.superseded_by_id,
                      "rejected_reason": m.rejected_reason} for m in record.messages],
        "flags": [{"id": f.id, "kind": f.kind, "rule": f.rule, "score": f.score, "status": f.status, "post_id": f.post_id,
                   "message": f.message_id, "evidence": f.evidence, "created_at": _iso(f.created_at),
                   "assigned_to": f.assigned_to, "first_triage_at": _iso(f.first_triage_at), "answer_message": f.answer_message_id,
                   "reason": f.reason} for f in record.flags],
        "posts": [],
        "post_versions": [],
        "audit": scorecard.audit_section(engine, incident.id, record),
    }  # fmt: skip


def document(engine: Engine, incident_id: int) -> dict[str, Any]:
    """Everything about the incident, machine-readable (schema: docs/review.schema.json), in memory: for a
    large incident write the bundle or review.json with playbooks.review.bundlewriter, which streams."""
    with read_session(engine) as session:
        records.snapshot(session)
        record = records.load(session, incident_id)
        doc = frame(engine, session, record)
        doc["timeline"] = list(records.timeline(session, record))
        doc["posts"] = list(records.posts(session, record))
        doc["post_versions"] = list(records.post_versions(session, record))
    return doc


def post_count(engine: Engine, incident_id: int) -> int:
    """How many posts the review of the incident covers: whether it is small enough to make in memory."""
    with read_session(engine) as session:
        return records.post_count(session, records.load(session, incident_id))


def summary(engine: Engine, session: Session, record: records.Record) -> dict[str, Any]:
    """The document as the written reviews (Markdown, HTML, PDF) need it, without every post: the timeline
    without its posts, only the flagged posts, and the posts' times under POST_TIMES (8 bytes a post)."""
    doc = frame(engine, session, record)
    doc["timeline"] = [{**e, "at": e["at"].isoformat()} for e in records.other_events(record)]
    doc["posts"] = records.flagged_posts(session, record)
    doc[POST_TIMES] = records.post_times(session, record)
    return doc


def to_json(doc: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in doc.items() if k != POST_TIMES}, ensure_ascii=False, indent=2).encode("utf-8")


def csv_tables(doc: dict[str, Any]) -> dict[str, bytes]:
    """One CSV per table; cells a spreadsheet would run as formulas are neutralised."""
    tables = {
        "scorecard": [{"item": k, **{kk: json.dumps(vv, ensure_ascii=False) if isinstance(vv, dict | list) else vv for kk, vv in v.items()}}
                      for k, v in doc["scorecard"].items()],
        "timeline": doc["timeline"], "messages": doc["messages"], "flags": doc["flags"], "posts": doc["posts"],
        "audit": doc["audit"]["records"],
    }  # fmt: skip
    out = {}
    for name, rows in tables.items():
        columns = list(rows[0]) if rows else ["(empty)"]
        # UTF-8 with a byte-order mark: Excel opens it as UTF-8 (å, ä, ö), not in the machine's code page.
        out[f"{name}.csv"] = to_csv(rows, columns).encode("utf-8-sig")
    return out


def _md_escape(text: object) -> str:
    """Markdown that shows feed and user text literally: no links, HTML or emphasis it did not mean."""
    import re

    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", " ".join(str(text).split()))


def to_markdown(doc: dict[str, Any], lang: str = "en", zone: str = "Europe/Stockholm") -> str:
    """The written review in the chosen language and time zone: the scorecard in words, the messages with
    their versions and corrections, the unit's timeline; the hashes last, under the audit heading."""
    title, score_h, timeline_h, messages_h, audit_h = HEADINGS.get(lang, HEADINGS["en"])
    t, tz = words.t, pdf.zone_of(zone)
    incident = doc["incident"]
    lines = [f"# {title}: {_md_escape(incident['title'])}", ""]
    if incident["exercise"]:
        lines += [f"**{t('EXERCISE', lang)}**", ""]
    closed = (
        f"{pdf.local(incident['closed_at'], tz)} ({incident['closed_by']})"
        if incident["closed_at"]
        else t("still open", lang)
    )
    lines += [_md_escape(f"{t('Incident', lang)} #{incident['id']} · {t('Playbook', lang)}: {incident['playbook']} · "
                         f"{t('Opened', lang)}: {pdf.local(incident['opened_at'], tz)} ({incident['opened_by']}) · "
                         f"{t('Closed', lang)}: {closed} · {t('Times are in', lang)} {tz.key}"), "",
              f"## {score_h}", "", f"| {t('Measure', lang)} | {t('Result', lang)} | {t('Requirement', lang)} |", "|---|---|---|"]  # fmt: skip
    for key, item in doc["scorecard"].items():
        lines.append(f"| {_md_escape(t(words.LABELS.get(key, item['label']), lang))} | "
                     f"{_md_escape(words.value_text(key, item['value'], lang))} | {item['rule']} |")  # fmt: skip
    lines += ["", f"## {messages_h}", ""]
    for m in doc["messages"]:
        if not (m["submitted_at"] or m["published_at"]):
            continue
        facts = [t(m["kind"], lang), m["language"], t(m["state"], lang), *pdf.message_record(m, lang, tz)]
        text = _md_escape(m["text"])
        shown = f"~~{text}~~" if m["state"] in ("superseded", "withdrawn", "rejected") else text
        lines.append(f"- **#{m['id']}** ({_md_escape(' · '.join(facts))}): {shown}")
    lines += ["", f"## {timeline_h}", "", f"| {t('Time', lang)} | {t('Event', lang)} | {t('Who', lang)} | {t('What', lang)} |",
              "|---|---|---|---|"]  # fmt: skip
    for event in doc["timeline"]:
        if event["type"] == "post":
            continue
        ref = str(event.get("ref") or "")
        concerns = "#" + ref.split(" ", 1)[1] if ref.startswith(("message ", "flag ", "incident ")) else ""
        lines.append(f"| {pdf.local(event['at'], tz)} | {_md_escape(t(words.EVENTS.get(event['type'], event['type']), lang))} | "
                     f"{_md_escape(event['account'] or '–')} | {_md_escape(f'{concerns} {words.event_summary(event, lang)}'.strip())} |")  # fmt: skip
    chain = doc["audit"]
    state = t("The audit trail is intact", lang) if chain["chain_ok"] else t("The audit trail is broken", lang)
    lines += ["", f"## {audit_h}", "", f"{state}: {chain['chain_records']} {t('records', lang)}; "
              f"{t('Head of the chain', lang)} `{chain['chain_head']}`.", "", _signed_head(chain), ""]  # fmt: skip
    return "\n".join(lines)


def _signed_head(chain: dict[str, Any]) -> str:
    cp = chain.get("checkpoint")
    if not cp:
        return "No signed checkpoint of the head."
    return (f"Signed checkpoint: seq {cp['seq']}, head {cp['head']}, Ed25519 key {cp['key_id']} "
            f"(public {cp['public_key']}), signature {cp['signature']}.")  # fmt: skip


def to_html(doc: dict[str, Any], lang: str = "en") -> str:
    """The written review as one self-contained HTML page with the charts (plotly), for printing to PDF."""
    import plotly.graph_objects as go
    import plotly.io as pio

    title, score_h, timeline_h, _messages_h, audit_h = HEADINGS.get(lang, HEADINGS["en"])
    incident = doc["incident"]
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(str(i['label']))}</td><td>{e(i['rule'])}</td><td>{e(json.dumps(i['value'], ensure_ascii=False))}</td></tr>"
        for i in doc["scorecard"].values()
    )
    times = pdf.post_times(doc)
    flags = [t for t in doc["timeline"] if t["type"] == "flag"]
    figure = go.Figure()
    if times.count <= HTML_POST_POINTS:
        figure.add_histogram(x=[records.iso_of(m) for m in times.at], name="posts", nbinsx=24)
    else:  # binned here: a million timestamps in the page would make it tens of MB
        starts, counts = _bins(times.at, 24)
        figure.add_bar(x=[records.iso_of(m) for m in starts], y=counts, name="posts")
    figure.add_histogram(x=[f["at"] for f in flags], name="flags", nbinsx=24)
    figure.update_layout(barmode="overlay", height=320, margin={"t": 30, "b": 30}, title="Posts and flags")
    chart = pio.to_html(figure, include_plotlyjs=True, full_html=False, config={"staticPlot": True})
    events = "".join(
        f"<tr><td>{e(t['at'][:16])}</td><td>{e(t['type'])}</td><td>{e(str(t['account'] or ''))}</td><td>{e(t['summary'])}</td></tr>"
        for t in times.head
    )
    chain = doc["audit"]
    return (
        f"<!doctype html><html lang='{e(lang)}'><head><meta charset='utf-8'><title>{e(title)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%;font-size:10pt}"
        "td,th{border:1px solid #ccc;padding:3px;vertical-align:top}</style></head><body>"
        f"<h1>{e(title)}: {e(incident['title'])}</h1><p>Incident {incident['id']} · {e(incident['playbook'])} · "
        f"{e(str(incident['opened_at']))} – {e(str(incident['closed_at'] or '—'))}</p>"
        f"<h2>{e(score_h)}</h2><table>{rows}</table>{chart}"
        f"<h2>{e(timeline_h)}</h2><table>{events}</table>"
        f"<h2>{e(audit_h)}</h2><p>Chain {'verified' if chain['chain_ok'] else 'BROKEN'}: {chain['chain_records']} records, "
        f"head {e(chain['chain_head'])}</p><p>{e(_signed_head(chain))}</p></body></html>"
    )


def _bins(moments: Sequence[int], count: int) -> tuple[list[int], list[int]]:
    """`count` equal intervals from the first moment to the last: their starts and how many fall in each."""
    low, high = min(moments), max(moments)
    width = -(-(high - low + 1) // count)
    width = -(-width // 1_000_000) * 1_000_000  # whole seconds: the bars' labels read as times, not noise
    counts = [0] * count
    for moment in moments:
        counts[(moment - low) // width] += 1
    return [low + width * i for i in range(count)], counts


def to_pdf(doc: dict[str, Any], lang: str = "en", zone: str = "Europe/Stockholm") -> bytes:
    """The review for the council as a PDF, made without a browser (playbooks/review/pdf.py)."""
    try:
        return pdf.render(doc, lang, zone)
    except (OSError, ValueError, RuntimeError) as exc:  # a font file missing or unreadable
        raise ExportError(f"the PDF could not be made: {type(exc).__name__}: {str(exc)[:200]}") from exc


MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
MANIFEST_CONTEXT = b"crisisdesk archive manifest v1\n"
_MANIFEST_MAX = 16 * 1024 * 1024  # 100,000 posts make a manifest of a few KB: this is refusal, not a limit
_CHUNK = 1024 * 1024
# A bomb inflates 100 GB of zeros from a few MB, and its hashing would take minutes (the members are
# hashed even when the signature fails). A real bundle's text deflates 5–20×, and a 1,000,000-post
# bundle may unpack to several GB: so a large member is refused by its ratio, not its size alone.
_BOMB_RATIO = 200
_LARGE_MEMBER = 64 * 1024 * 1024
_DIGEST = re.compile(r"[0-9a-f]{64}")


def unsafe_name(name: str) -> str | None:
    """Why a member name could land outside the folder it is extracted to (or is not a plain name)."""
    if not name or "\x00" in name:
        return "an empty name or one with a NUL"
    if "\\" in name:
        return "a backslash"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "an absolute path"
    parts = name.split("/")
    if any(part in ("..", ".", "") for part in parts[:-1]) or parts[-1] in ("..", "."):
        return "a '..' or '.' part" if any(part in ("..", ".") for part in parts) else "an empty path part"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "a control character"
    return None


def _sha256_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """Hash a member in 1 MiB chunks: a 1 GiB member costs 1 MiB of memory, not 2 GB."""
    digest = hashlib.sha256()
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_archive(path: Path, key: signing.Key | None = None) -> list[str]:
    """Problems found in a bundle: an unsafe or duplicated member name, a manifest that is malformed or not
    signed by the desk's key, files changed, missing or added since the manifest was written."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return [f"{path}: not a readable zip archive ({exc})"]
    with archive:
        infos = archive.infolist()
        problems: list[str] = []
        seen: set[str] = set()
        for info in infos:
            if info.filename in seen:
                problems.append(f"{info.filename!r}: more than one member has this name")
            seen.add(info.filename)
            if why := unsafe_name(info.filename):
                problems.append(f"{info.filename!r}: unsafe member name ({why})")
        if problems:  # a forgery or an attack on whoever extracts it: nothing else is read
            return problems
        for info in infos:
            if info.file_size > _LARGE_MEMBER and info.file_size > _BOMB_RATIO * max(info.compress_size, 1):
                return [f"{info.filename!r} would unpack from {info.compress_size} to {info.file_size} bytes, "
                        f"more than {_BOMB_RATIO} times: a zip bomb, not a bundle; not read"]  # fmt: skip
        members = {info.filename: info for info in infos}
        if MANIFEST not in members:
            return [f"{MANIFEST} is missing"]
        if members[MANIFEST].file_size > _MANIFEST_MAX:
            return [f"{MANIFEST} is malformed: {members[MANIFEST].file_size} bytes"]
        try:
            manifest_bytes = archive.read(MANIFEST)
            manifest = json.loads(manifest_bytes)
        except (ValueError, RecursionError, zipfile.BadZipFile, OSError) as exc:
            return [f"{MANIFEST} is malformed: {str(exc)[:200]}"]
        if problem := _manifest_problem(manifest):
            return [f"{MANIFEST} is malformed: {problem}"]
        problems.extend(_signature_problems(archive, members, manifest_bytes, manifest, key))
        expected: dict[str, str] = manifest["files"]
        for name, digest in sorted(expected.items()):
            if name not in members:
                problems.append(f"{name}: listed in the manifest but missing")
                continue
            try:
                actual = _sha256_member(archive, members[name])
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                problems.append(f"{name}: unreadable ({str(exc)[:200]})")  # a corrupted member fails its CRC check
                continue
            if actual != digest:
                problems.append(f"{name}: SHA-256 {actual[:16]}… differs from the manifest's {digest[:16]}…")
        for name in sorted(set(members) - set(expected) - {MANIFEST, SIGNATURE}):
            problems.append(f"{name}: not in the manifest")
        if "audit/records.json" in expected and "audit/records.json" in members and not problems:
            try:
                problems.extend(_verify_records(json.loads(archive.read("audit/records.json"))))
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                problems.append(f"audit/records.json: unreadable records ({str(exc)[:200]})")
        return problems


def _manifest_problem(manifest: object) -> str | None:
    if not isinstance(manifest, dict):
        return "not a JSON object"
    files = manifest.get("files")
    if not isinstance(files, dict):
        return "'files' is not an object of names and SHA-256 digests"
    for name, digest in files.items():
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            return f"'files' → {str(name)[:100]!r}: not a SHA-256 hex digest"
        if why := unsafe_name(name):
            return f"'files' → {name[:100]!r}: unsafe name ({why})"
        if name in (MANIFEST, SIGNATURE):
            return f"'files' lists {name}"
    return None


def _signature_problems(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], manifest_bytes: bytes,
                        manifest: dict[str, Any], key: signing.Key | None) -> list[str]:  # fmt: skip
    """The manifest must be signed by this desk's key; the signed audit head in it too."""
    if SIGNATURE not in members:
        return [f"{SIGNATURE} is missing: the manifest is not signed"]
    if members[SIGNATURE].file_size > 1024:
        return [f"{SIGNATURE} is malformed"]
    try:
        key = key or signing.load(create=False)
    except signing.SigningError as exc:
        return [f"the signature cannot be checked: {exc}"]
    signature = archive.read(SIGNATURE).decode("ascii", "replace").strip()
    if not signing.verify(key.public_raw, signature, MANIFEST_CONTEXT + manifest_bytes):
        claimed = manifest.get("key_id")
        other = f" (it names key {str(claimed)[:16]})" if claimed and claimed != key.key_id else ""
        return [f"{MANIFEST}: its signature does not verify with this desk's key {key.key_id}{other}: "
                "the manifest was changed or signed elsewhere"]  # fmt: skip
    cp = manifest.get("audit_checkpoint")
    if isinstance(cp, dict):
        try:
            good = signing.verify(
                key.public_raw, str(cp["signature"]), audit.checkpoint_message(int(cp["seq"]), str(cp["head"]))
            )
        except (KeyError, TypeError, ValueError):
            good = False
        if not good:
            return ["the audit checkpoint in the manifest is not signed by this desk's key"]
    return []


def _verify_records(audit_doc: dict[str, Any]) -> list[str]:
    """Each included audit record still hashes to what it says (the full chain is verified in the database)."""
    from core.clock import parse_instant
    from playbooks.workflow.audit import record_hash

    problems = []
    for r in audit_doc["records"]:
        digest = record_hash(r["prev_hash"], r["seq"], parse_instant(r["at"]), r["actor"], r["action"], r["object_type"],
                             r["object_id"], r["details"])  # fmt: skip
        if digest != r["hash"]:
            problems.append(f"audit record {r['seq']}: content does not match its hash")
    return problems
