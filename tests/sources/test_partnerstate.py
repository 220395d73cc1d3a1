"""Which partner warnings are in force, read back from the database (issue 14 review, item 9): a warning its
feed still lists stays in force whatever its age and however many other posts there are."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.clock import parse_instant
from core.db import write_session
from sources import partnerstate, registry
from sources.models import Feed
from sources.partners import parse_partner
from sources.partnerstate import partner_state
from sources.store import store_entries
from tests.helpers.registry import account, write_registry
from tests.sources.test_partners import _cap, _zip

NOW = parse_instant("2026-12-02T08:00:00+00:00")


def test_a_listed_warning_stays_in_force_past_30_days_and_past_the_read_limit(
    engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", NOW.isoformat())
    accounts = [
        account("old", "http://127.0.0.1:9/old.zip", "partner", platform="cap", area=["Musterstadt"]),
        account("busy", "http://127.0.0.1:9/busy.zip", "partner", platform="cap", area=["Musterstadt"]),
    ]
    registry.import_registry(engine, registry.load(write_registry(tmp_path / "accounts.yaml", accounts)))
    long_ago = (NOW - timedelta(days=40)).isoformat()
    lasting = _cap("LONG", sent=long_ago, expires="2027-06-01T00:00:00+00:00")
    recent = [_cap(f"R{i}", sent=(NOW - timedelta(minutes=i)).isoformat()) for i in range(1, 4)]
    with write_session(engine) as session:
        for account_id, docs in (("old", [lasting]), ("busy", recent)):
            feed = session.scalars(select(Feed).where(Feed.account_id == account_id)).one()
            parsed = parse_partner("cap", _zip(*docs), fetched_at=NOW)
            store_entries(session, feed, parsed.entries, NOW)
            feed.listed = [entry.guid for entry in parsed.entries]
    monkeypatch.setattr(partnerstate, "MAX_READ", 2)  # the busy account's posts alone exceed it
    active = {w.identifier for w in partner_state(engine, NOW).active}
    assert active == {"LONG", "R1", "R2", "R3"}
