"""The archive bundle of a 1,000,000-post incident, written to a file (issue 15, item 4).

The database is the long incident of bench/history.py (1,000,000 posts over 30 days, 10,000 of them on
official social and website accounts carrying the approved messages), with 1 % of the watched posts
flagged. The export runs in a child process (`python -m bench.export DB OUT`), so that its peak resident
memory (ru_maxrss) is the export's own and not the filling's; the parent then verifies the bundle.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, String, cast, func, insert, literal, select

from core.db import write_session
from playbooks.workflow.models import Flag

GOAL_MB = 500


def _flag_watched(engine: Engine, every: int = 100) -> int:
    """A rumour flag on every `every`-th watched post, made by the database (an INSERT … SELECT)."""
    from sources.models import Account, Post

    stamp = datetime.now(UTC)
    chosen = (
        select(
            literal("rumour:1:", String) + cast(Post.id, String), literal("rumour"), literal("R2"), literal(0.9), literal("open"),
            literal(1), Post.id, literal({"cues": ["hearsay: det sägs"]}, type_=Flag.evidence.type), Post.published,
            literal(stamp, type_=Flag.updated_at.type),
        )
        .join(Account, Post.account_id == Account.id)
        .where(Account.kind == "watch", Post.id % every == 0)
    )  # fmt: skip
    columns = ["dedupe_key", "kind", "rule", "score", "status", "incident_id", "post_id", "evidence", "created_at",
               "updated_at"]  # fmt: skip
    with write_session(engine) as session:
        session.execute(insert(Flag).from_select(columns, chosen))
        return session.scalar(select(func.count(Flag.id))) or 0


def bench_export(tmp: Path, posts: int = 1_000_000) -> dict[str, float]:
    from bench.__main__ import fresh_engine
    from bench.history import _fill_history, _setup
    from playbooks.review import exports

    os.environ.setdefault("CRISISDESK_AUDIT_KEY", str(tmp / "audit-key.pem"))
    engine = fresh_engine(tmp, "export.db")
    opened = datetime.now(UTC) - timedelta(days=30)
    _setup(engine, "http://127.0.0.1:9", opened)
    started = time.perf_counter()
    _fill_history(engine, posts, 10_000, opened)
    results: dict[str, float] = {"posts": posts, "flags": _flag_watched(engine)}
    results["fill_s"] = time.perf_counter() - started
    engine.dispose()
    out = tmp / "export.zip"
    child = subprocess.run([sys.executable, "-m", "bench.export", str(engine.url), str(out)], check=True,
                           capture_output=True, text=True)  # fmt: skip
    results.update(json.loads(child.stdout.strip().splitlines()[-1]))
    results["bundle_mb"] = out.stat().st_size / 1e6
    started = time.perf_counter()
    problems = exports.verify_archive(out)
    results["verify_s"] = time.perf_counter() - started
    results["verified"] = not problems
    results["goal_peak_rss_mb"] = GOAL_MB
    results["goal_met"] = results["peak_rss_mb"] < GOAL_MB
    out.unlink()
    return results


def _child(url: str, out: str) -> None:
    from core.db import make_engine
    from playbooks.review import bundlewriter

    engine = make_engine(url)
    started = time.perf_counter()
    bundlewriter.to_file(Path(out), lambda handle: bundlewriter.write(engine, 1, handle, with_pdf=True))
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"export_s": wall, "peak_rss_mb": peak_kb / 1024}))


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
