"""NINA's warning details (issue 14): the dashboard lists warnings by headline; their texts (CAP as JSON)
and areas (GeoJSON) are further documents on the same host, fetched with the same guards whenever the
dashboard changed. Split from the poller, which calls `fetch_details` for each NINA feed it fetched."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sources import partners
from sources.fetch import Fetcher, FetchResult
from sources.store import body_hash

MAX_NOTES = 10


@dataclass
class Details:
    # The fetched bodies by "json:{id}" / "geojson:{id}", for `partners.parse_partner(details=...)`.
    bodies: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for feed health
    # A warning's text could not be fetched: the dashboard must be read afresh at the next pass.
    missing: bool = False


async def fetch_details(fetcher: Fetcher, feed_url: str, result: FetchResult, stored_hash: str | None) -> Details:
    """The details of the warnings the fetched dashboard lists, unless it is the body already stored.

    Detail URLs are built from the registered `feed_url`, never from where the dashboard was redirected
    to, and a detail redirected to another host is refused (`same_host`). A detail that cannot be
    fetched is a note, and the dashboard's headline stands in for it. Raises only what `Fetcher.fetch`
    or the dashboard's reading should never raise; the poller makes that the feed's note."""
    details = Details()
    body = result.body
    if result.error or result.status != 200 or body is None:
        return details
    if stored_hash is not None and body_hash(body) == stored_hash:
        return details
    wanted = [
        (f"{suffix}:{warning_id}", partners.nina_detail_url(feed_url, warning_id, suffix))
        for warning_id in partners.nina_ids(body)
        for suffix in ("json", "geojson")
    ]
    fetched = await asyncio.gather(*(fetcher.fetch(url, official=True, same_host=True) for _, url in wanted))
    for (key, _url), detail in zip(wanted, fetched, strict=True):
        if detail.status == 200 and detail.body is not None and not detail.error:
            details.bodies[key] = detail.body
            continue
        if key.startswith("json:"):  # a missing GeoJSON (many warnings have none) is no failure
            details.missing = True
            if len(details.notes) < MAX_NOTES:
                why = detail.error or f"HTTP {detail.status}"
                details.notes.append(f"details of {key[5:]}: {why}; the dashboard's headline stands in")
    return details
