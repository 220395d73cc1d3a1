"""The post-incident review on a recorded incident (built with CRISISDESK_NOW), with known answers."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from core.clock import parse_instant
from crisisdesk.cli import main
from playbooks.checks import drafts as prechecks
from playbooks.review import bundlewriter, exports, retention, scorecard
from playbooks.workflow import audit, flags, incidents, messages
from sources import registry
from sources.poller import Poller
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry
from tests.helpers.scenario import pin_clock, rss_at

T0 = parse_instant("2026-11-22T08:00:00+00:00")
A = "Brand i Östmark. Håll dörrar och fönster stängda och stäng av ventilationen. Nästa information kommer kl. 09.00."
B = "Branden i Östmark är släckt men röken finns kvar i Kyrkviken. Undvik området runt Östmarksvägen. Nästa information kl. 10.30."
HOSTILE = '=HYPERLINK("http://evil.example","klicka") <script>x</script> \u202eSprid!!!'


def at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> datetime:
    return pin_clock(monkeypatch, T0, minutes)


def rss(items: list[tuple[str, float, str]]) -> Static:
    return rss_at(T0, items)


def publish(engine, incident: int, text: str) -> int:
    message = messages.draft(engine, incident, text, by="anna")
    messages.submit(engine, message, by="anna")
    return message


@pytest.fixture
def recorded(engine, team, tmp_path: Path, feed_server: FeedServer, monkeypatch) -> dict[str, int]:
    at(monkeypatch, 0)
    for path in ("/web", "/fb", "/forum"):
        feed_server.routes[path] = rss([])
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "a.yaml", [
        account("web", feed_server.url("/web")), account("fb", feed_server.url("/fb"), "social"),
        account("forum", feed_server.url("/forum"), "watch")])))  # fmt: skip
    poller = Poller(engine, after_store=flags.after_store)
    incident = incidents.open_incident(
        engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke", keywords=["brand", "rök"]
    )
    at(monkeypatch, 5)
    a = publish(engine, incident, A)
    at(monkeypatch, 8)
    messages.approve(engine, a, by="lars")
    at(monkeypatch, 9)
    messages.publish(engine, a, by="anna")
    feed_server.routes["/fb"] = rss([("s1", 10, A)])
    feed_server.routes["/web"] = rss([("w1", 12, A)])
    feed_server.routes["/forum"] = rss(
        [("f1", 13, "Jag hörde att röken är giftig och att de tystar ner det!!! " + HOSTILE)]
    )
    at(monkeypatch, 14)
    asyncio.run(poller.run_once(include_all=True))
    (rumour,) = flags.list_flags(engine, kind="rumour")
    at(monkeypatch, 16)
    flags.triage(engine, rumour.flag.id, "assign", by="anna")
    at(monkeypatch, 20)
    flags.triage(engine, rumour.flag.id, "resolve", by="anna", message=a)
    at(monkeypatch, 40)
    b = publish(engine, incident, B)
    at(monkeypatch, 44)
    messages.approve(engine, b, by="lena")
    at(monkeypatch, 45)
    messages.publish(engine, b, by="anna")
    feed_server.routes["/fb"] = rss([("s1", 10, A), ("s2", 46, B)])
    feed_server.routes["/web"] = rss([("w1", 12, A), ("w2", 70, B)])
    at(monkeypatch, 75)
    asyncio.run(poller.run_once(include_all=True))
    at(monkeypatch, 90)
    incidents.close_incident(engine, incident, by="lars")
    return {"incident": incident, "a": a, "b": b}


def test_every_scorecard_number(engine, recorded) -> None:
    card = scorecard.scorecard(engine, recorded["incident"]).items
    value = {k: v["value"] for k, v in card.items()}
    assert value["time_to_first_approved_message"] == 8.0
    assert value["time_to_first_website_copy"] == 12.0
    assert value["cadence_adherence"] == 0.667 and card["cadence_adherence"]["evidence"] == {
        "intervals": 3,
        "with_update": 2,
    }
    assert value["longest_gap_minutes"] == 58.0
    assert value["website_parity"] == 0.5 and card["website_parity"]["evidence"]["slowest_minutes"] == 24.0
    assert value["unrouted_posts"] == 0 and value["contradictions"] == 0
    assert value["rumours"] == {"flagged": 1, "triaged": 1, "answered": 1}
    assert card["rumours"]["evidence"] == {"median_minutes_to_triage": 2.0, "median_minutes_to_answer": 6.0}
    assert value["approval_latency_minutes"] == 3.5 and card["approval_latency_minutes"]["evidence"]["max"] == 4.0
    assert value["readability_lix"] == round((round(prechecks.lix(A), 1) + round(prechecks.lix(B), 1)) / 2, 1)
    assert card["account_activity"]["evidence"] == {"fb": {"posts": 2, "flags": 0}, "web": {"posts": 2, "flags": 0},
                                                    "forum": {"posts": 1, "flags": 1}}  # fmt: skip


def test_the_timeline_is_one_ordered_view(engine, recorded) -> None:
    events = scorecard.timeline(engine, recorded["incident"])
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    kinds = [e["type"] for e in events]
    for expected in ("incident.open", "message.draft", "message.approve", "message.publish", "post", "flag", "flag.assign",
                     "flag.resolve", "incident.close"):  # fmt: skip
        assert expected in kinds


def test_json_export_follows_its_schema(engine, recorded) -> None:
    schema = json.loads((Path(__file__).resolve().parents[3] / "docs" / "review.schema.json").read_text())
    doc = json.loads(exports.to_json(exports.document(engine, recorded["incident"])))
    assert set(schema["required"]) <= set(doc)
    for key, spec in schema["properties"].items():
        if "items" in spec and doc[key]:
            assert set(spec["items"].get("required", [])) <= set(doc[key][0]), key
    assert doc["audit"]["chain_ok"] and len(doc["audit"]["chain_head"]) == 64


def test_csv_cells_cannot_run_as_formulas(engine, recorded) -> None:
    tables = exports.csv_tables(exports.document(engine, recorded["incident"]))
    assert all(t.startswith("\ufeff".encode()) for t in tables.values()), "UTF-8 with a BOM: Excel reads å, ä, ö"
    posts = list(csv.DictReader(io.StringIO(tables["posts.csv"].decode("utf-8-sig"))))
    (forum,) = [p for p in posts if p["account"] == "forum"]
    assert forum["text"].startswith("Jag hörde") and '=HYPERLINK("http://evil.example","klicka")' in forum["text"]
    for rows in (list(csv.reader(io.StringIO(t.decode("utf-8-sig")))) for t in tables.values()):
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_markdown_keeps_hostile_text_as_text(engine, recorded) -> None:
    md = exports.to_markdown(exports.document(engine, recorded["incident"]), "sv")
    assert md.startswith("# Utvärdering efter händelsen: Brand i Östmark")
    assert "<script>" not in md and "\u202e" not in md
    assert "| Tidslinje" not in md and "## Tidslinje" in md


def test_the_pdf_renders(engine, recorded, tmp_path: Path) -> None:
    pdf = exports.to_pdf(exports.document(engine, recorded["incident"]))
    # "/Type /Pages" is the page tree, not a page: count only the pages themselves.
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 2


def test_the_archive_verifies_and_a_changed_byte_does_not(
    engine, db_url: str, recorded, tmp_path: Path, capsys
) -> None:
    data = bundlewriter.bundle(engine, recorded["incident"], with_pdf=False)
    good = tmp_path / "bundle.zip"
    good.write_bytes(data)
    assert exports.verify_archive(good) == []
    with zipfile.ZipFile(good) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {"review.json", "review.md", "feed/crisis-feed.atom", "feed/alert.cap.xml", "audit/records.json",
            "posts/entries.jsonl", "csv/flags.csv", "manifest.json"} <= names  # fmt: skip
    assert manifest["audit_head"] == audit.verify(engine).head
    # Rewrite one member with a single byte changed, keeping the old manifest.
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "review.md":
                content = content.replace(b"Brand", b"Brant", 1)
            dst.writestr(name, content)
    assert exports.verify_archive(bad) == [
        f"review.md: SHA-256 {__import__('hashlib').sha256(zipfile.ZipFile(bad).read('review.md')).hexdigest()[:16]}… differs from the manifest's {manifest['files']['review.md'][:16]}…"
    ]
    assert main(["archive", "verify", str(good)]) == 0
    assert main(["archive", "verify", str(bad)]) == 1
    assert "review.md" in capsys.readouterr().err


def test_export_command_writes_each_format(engine, db_url: str, recorded, tmp_path: Path, capsys) -> None:
    incident = str(recorded["incident"])
    for fmt, out in (("json", "r.json"), ("md", "r.md"), ("csv", "csv"), ("csv", "r.zip")):
        assert main(["export", incident, "--format", fmt, "--out", str(tmp_path / out), "--db", db_url]) == 0
    assert json.loads((tmp_path / "r.json").read_text())["incident"]["id"] == recorded["incident"]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "audit.csv",
        "flags.csv",
        "messages.csv",
        "posts.csv",
        "scorecard.csv",
        "timeline.csv",
    ]
    assert main(["export", "999", "--format", "json", "--out", str(tmp_path / "x.json"), "--db", db_url]) == 2
    assert "no incident 999" in capsys.readouterr().err


def test_retention_prunes_watched_posts_only_and_says_so(engine, recorded, monkeypatch) -> None:
    at(monkeypatch, 60 * 24 * 200)  # 200 days later
    assert retention.apply(engine, dry_run=True).posts == 1
    report = retention.apply(engine, by="admin")
    assert (report.posts, report.dry_run) == (1, False)
    doc = exports.document(engine, recorded["incident"])
    (forum,) = [p for p in doc["posts"] if p["account"] == "forum"]
    assert forum["text"] == "" and forum["author"] is None and forum["guid"] == "f1"
    assert sorted(p["text"] for p in doc["posts"] if p["account"] == "web") == [A, B], "official records are kept"
    assert doc["flags"][0]["evidence"]["cues"], "the flag's evidence summary is kept"
    assert audit.records(engine)[-1].action == "retention.apply"
    assert retention.apply(engine, by="admin").posts == 0


# Issue 12, item 9: retention names who prunes, prunes title-only posts, and what flags quote of them.


def test_retention_without_by_is_refused_once_users_exist(engine, db_url: str, recorded, monkeypatch, capsys) -> None:
    at(monkeypatch, 60 * 24 * 200)
    monkeypatch.delenv("CRISISDESK_USER", raising=False)
    with pytest.raises(retention.RetentionError, match="who prunes"):
        retention.apply(engine)
    assert main(["retention", "apply", "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert "--by" in err and len(err.splitlines()) == 1
    assert audit.records(engine)[-1].action != "retention.apply"
    assert main(["retention", "apply", "--by", "lars", "--db", db_url]) == 1  # a lead is not an admin
    assert main(["retention", "apply", "--by", "admin", "--db", db_url]) == 0
    assert audit.records(engine)[-1].actor == "admin"


def test_retention_prunes_title_only_posts_and_quotes_in_flag_evidence(engine, recorded, monkeypatch) -> None:
    from sqlalchemy import text as sql

    with engine.begin() as conn:  # a second watched post that has only a title, by a named person
        conn.execute(sql("INSERT INTO posts (account_id, guid, link, title, text, author, language, published, "
                         "published_source, fetched_at, updated_at, version, content_hash, extra) SELECT account_id, 'f2', link, "
                         "'Anna Svensson på Storgatan 5 säger att röken är giftig', '', 'Anna Svensson', language, "
                         "published, published_source, fetched_at, updated_at, 1, 'x', extra FROM posts WHERE guid = 'f1'"))  # fmt: skip
    before = exports.document(engine, recorded["incident"])
    (forum_flag,) = [f for f in before["flags"] if f["kind"] == "rumour"]
    assert "giftig" in json.dumps(forum_flag["evidence"], ensure_ascii=False), "the evidence quoted the post"
    at(monkeypatch, 60 * 24 * 200)
    report = retention.apply(engine, by="admin")
    assert report.posts == 2 and report.flags >= 1
    doc = exports.document(engine, recorded["incident"])
    for post in (p for p in doc["posts"] if p["account"] == "forum"):
        assert (post["title"], post["text"], post["author"]) == ("", "", None), post
    for flag in doc["flags"]:
        if flag["post_id"] == forum_flag["post_id"]:
            quoted = json.dumps(flag["evidence"], ensure_ascii=False)
            assert "giftig" not in quoted and flag["evidence"]["ngrams"] == [], quoted  # cues are lexicon words
            assert flag["evidence"]["cues"] == forum_flag["evidence"]["cues"], "the summary stays"
    assert retention.apply(engine, by="admin").flags == 0, "once is enough"
