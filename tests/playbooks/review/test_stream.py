"""The streamed bundle (issue 15, item 4) holds what the in-memory export of the same incident holds, byte
for byte, and a failed write leaves nothing at the target."""

from __future__ import annotations

import errno
import io
import json
import zipfile
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import select

from core.db import read_session, write_session
from crisisdesk.cli import main
from playbooks.review import bundlewriter, exports, pdf
from playbooks.review import record as records
from sources.models import Account, Post, PostVersion
from tests.playbooks.review.test_scorecard import T0, recorded  # noqa: F401  (the recorded incident)


def _old_timeline(engine, incident: int) -> list[dict]:
    """The timeline as it was made before it streamed: every post in memory, everything sorted at once."""
    with read_session(engine) as session:
        record = records.load(session, incident)
        rows = session.execute(
            select(Post, Account.kind).join(Account, Post.account_id == Account.id).where(record.in_period())
        ).all()
    events = [{"at": p.published, "type": "post", "account": p.account_id, "account_kind": kind,
               "summary": (p.title or p.text)[:200], "ref": p.guid}
              for p, kind in sorted(rows, key=lambda r: (r[0].published, r[0].id))]  # fmt: skip
    events += records.other_events(record)
    events.sort(key=lambda e: (e["at"], e["type"]))
    return [{**e, "at": e["at"].isoformat()} for e in events]


@pytest.fixture
def edited(engine, recorded) -> int:  # noqa: F811
    """The recorded incident with one post edited once, so that versions.jsonl has a line."""
    with write_session(engine) as session:
        post = session.scalars(select(Post).where(Post.guid == "w1")).one()
        session.add(PostVersion(post_id=post.id, version=1, link=None, title="", text="Brand i Östmark (första)",
                                author=None, published=post.published, content_hash="0" * 64, extra={},
                                replaced_at=T0.replace(minute=30)))  # fmt: skip
    return recorded["incident"]


def test_the_streamed_bundle_holds_what_the_in_memory_export_holds(engine, edited: int, tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    bundlewriter.to_file(path, lambda out: bundlewriter.write(engine, edited, out, with_pdf=False))
    assert exports.verify_archive(path) == []
    doc = exports.document(engine, edited)
    with zipfile.ZipFile(path) as archive:
        member = {name: archive.read(name) for name in archive.namelist()}
    assert member["review.json"] == exports.to_json(doc)
    assert (
        member["posts/entries.jsonl"]
        == "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in doc["posts"]).encode()
    )
    assert (
        member["posts/versions.jsonl"]
        == "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in doc["post_versions"]).encode()
    )
    for name, data in exports.csv_tables(doc).items():
        assert member[f"csv/{name}"] == data, name
    assert member["review.md"] == exports.to_markdown(doc).encode()
    # Known values, not only agreement between two paths: what the recorded incident holds.
    streamed = json.loads(member["review.json"])
    assert [p["guid"] for p in streamed["posts"]] == ["s1", "w1", "f1", "s2", "w2"]
    assert [(v["version"], v["text"]) for v in streamed["post_versions"]] == [(1, "Brand i Östmark (första)")]
    assert streamed["timeline"] == _old_timeline(engine, edited)
    assert sum(e["type"] == "post" for e in streamed["timeline"]) == 5
    # The written reviews see the same posts through their times as through the whole document.
    with read_session(engine) as session:
        times = records.post_times(session, records.load(session, edited))
    whole = pdf.post_times(doc)
    assert (times.count, list(times.at), list(times.website), times.head) == (
        whole.count, list(whole.at), list(whole.website), whole.head)  # fmt: skip
    assert times.count == 5 and len(times.website) == 2


def test_review_json_streamed_alone_is_the_same_document(engine, edited: int) -> None:
    out = io.BytesIO()
    bundlewriter.write_json(engine, edited, out)
    assert out.getvalue() == exports.to_json(exports.document(engine, edited))


def test_the_export_command_streams_the_bundle_to_its_file(engine, db_url: str, edited: int, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "incident.zip"
    assert main(["export", str(edited), "--format", "zip", "--out", str(out), "--db", db_url]) == 0
    assert exports.verify_archive(out) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["incident.zip"]  # no temporary file stays
    tables = exports.csv_tables(exports.document(engine, edited))
    assert main(["export", str(edited), "--format", "csv", "--out", str(tmp_path / "csv"), "--db", db_url]) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "csv").iterdir()} == tables
    assert main(["export", str(edited), "--format", "csv", "--out", str(tmp_path / "t.zip"), "--db", db_url]) == 0
    with zipfile.ZipFile(tmp_path / "t.zip") as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == tables


def test_a_failed_write_leaves_nothing_at_the_target(engine, db_url: str, edited: int, tmp_path: Path, capsys) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "bundle.zip"
    target.write_bytes(b"the previous export")

    def disk_full(out: IO[bytes]) -> None:
        out.write(b"PK half a bundle")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(bundlewriter.WriteError, match="No space left on device; nothing was written there"):
        bundlewriter.to_file(target, disk_full)
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in target.parent.iterdir()] == ["bundle.zip"]
    blocked = target / "inside.zip"  # its folder is a file: nothing can go there
    assert main(["export", str(edited), "--format", "zip", "--out", str(blocked), "--db", db_url]) == 1
    assert "inside.zip: Not a directory" in capsys.readouterr().err
    assert target.read_bytes() == b"the previous export"


def test_many_posts_are_binned_for_the_html_chart() -> None:
    second = 1_000_000  # the moments are microseconds; the bins are whole seconds wide
    starts, counts = exports._bins([0, 1 * second, 2 * second, 46 * second, 47 * second], 24)
    assert counts == [2, 1] + [0] * 21 + [2] and starts[:3] == [0, 2 * second, 4 * second] and len(starts) == 24


def test_the_review_page_keeps_only_the_latest_events(engine, edited: int) -> None:
    from playbooks.review import scorecard

    whole = scorecard.timeline(engine, edited)
    assert scorecard.timeline_tail(engine, edited, 3) == (len(whole), whole[-3:])
    assert whole == _old_timeline(engine, edited)


def test_the_html_review_of_a_large_incident_bins_its_posts(engine, edited: int, monkeypatch) -> None:
    monkeypatch.setattr(exports, "HTML_POST_POINTS", 2)  # five posts count as many
    page = exports.to_html(bundlewriter.written_review(engine, edited))
    assert '"name":"posts","x":["2026-11-22T08:10:00+00:00","2026-11-22T08:12:31+00:00",' in page
    assert '"name":"posts","nbinsx"' not in page and '"name":"flags","nbinsx":24' in page
