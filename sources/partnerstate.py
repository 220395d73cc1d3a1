"""Which partner warnings are in force (issue 14, item 2), read from the stored partner posts.

A warning is active when it is real (CAP status Actual and no ***TEST*** mark), neither updated nor
cancelled by a later message that references it, not expired, still listed by its feed, and about the
account's area. Test, exercise and system messages are kept apart: they are shown as such and never
count as warnings. `changed_since` is what other code (alerts to people) calls to learn of new and
updated warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session
from sources.models import PARTNER_KIND, Account, Feed, Post

# Posts of this age are read back for chains and for what ended; a warning its feed still lists is
# read back whatever its age. At most MAX_READ recent posts per account.
LOOKBACK = timedelta(days=30)
MAX_READ = 5_000
# Message types that are not warnings themselves.
_NOT_WARNINGS = {"cancel", "ack", "error"}


@dataclass(frozen=True)
class PartnerWarning:
    """One stored partner warning: the post it is stored as and its normal form (`sources.warnings`)."""

    post_id: int
    account_id: str
    account_name: str
    fetched_at: datetime
    updated_at: datetime
    post_version: int
    warning: dict[str, Any]
    listed: bool = True  # its feed's last document still listed it
    area: tuple[str, ...] = ()  # its account's area filter (registry `area`)

    def __getattr__(self, name: str) -> Any:  # headline, severity, msg_type, category, areas, …
        try:
            return self.__dict__["warning"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def identifier(self) -> str:
        return str(self.warning["identifier"])

    def instant(self, key: str) -> datetime | None:
        value = self.warning.get(key)
        return datetime.fromisoformat(value) if value else None

    @property
    def sent_at(self) -> datetime:
        return self.instant("sent") or self.fetched_at

    def expired(self, at: datetime) -> bool:
        expires = self.instant("expires")
        return expires is not None and expires <= at

    @property
    def real(self) -> bool:
        return self.warning.get("category") == "actual"

    def text_in(self, language: str | None) -> tuple[str, str | None]:
        """The warning's own words in `language` when it came in that language, else in its first one:
        (text, language of the text)."""
        texts = self.warning.get("texts") or {}
        for lang, block in texts.items():
            if language and lang.lower().split("-")[0] == language:
                return _joined(block), language
        primary = {k: self.warning.get(k) for k in ("headline", "description", "instruction")}
        return _joined(primary), self.warning.get("language")

    def as_dict(self) -> dict[str, Any]:
        return {"post": self.post_id, "account": self.account_id, "account_name": self.account_name,
                "fetched_at": self.fetched_at.isoformat(), "updated_at": self.updated_at.isoformat(),
                "listed": self.listed, **self.warning}  # fmt: skip


def _joined(block: dict[str, Any]) -> str:
    return "\n".join(str(block[k]) for k in ("headline", "description", "instruction") if block.get(k))


@dataclass
class PartnerState:
    active: list[PartnerWarning] = field(default_factory=list)  # real, in force, for the area: newest first
    tests: list[PartnerWarning] = field(default_factory=list)  # test, exercise, system messages
    # identifier → why it is not in force: "cancelled by …", "updated by …", "expired", "no longer listed"
    ended: dict[str, str] = field(default_factory=dict)
    every: dict[str, PartnerWarning] = field(default_factory=dict)


# ARS (Amtlicher Regionalschlüssel) levels: Land, Regierungsbezirk, Kreis, Gemeindeverband, Gemeinde.
_ARS_LEVELS = (2, 3, 5, 9, 12)


def in_area(warning: dict[str, Any], area: list[str]) -> bool:
    """Whether a warning concerns an area filter.

    A filter holding a digit or of at most three characters is a code ("09162", "DE343", "BE"): it is
    compared with the warning's geocodes only, ARS codes by their levels (a Land's code concerns its
    Kreise and a Kreis's code its Land-wide warnings; 05370 is not 05374). Any other filter is a name,
    matched as a whole word in the areaDesc ("Bern" is not "Bernkastel"). A country-wide warning, no
    filter, or a warning that names no area at all (NINA's dashboard is already per ARS; a warning
    given only as polygons or circles cannot be placed by name) concerns it."""
    filters = [f.strip().lower() for f in area if f.strip()]
    areas = warning.get("areas") or []
    if not filters or not any(item.get("desc") or item.get("geocodes") for item in areas):
        return True
    codes = [f for f in filters if _is_code(f)]
    names = [re.compile(rf"(?<!\w){re.escape(f)}(?!\w)") for f in filters if not _is_code(f)]
    for item in areas:
        desc = (item.get("desc") or "").lower()
        for name, value in item.get("geocodes") or []:
            value = str(value).strip().lower()
            if name == "Type" and value == "country":
                return True
            if any(value == f or _same_region(value, f) for f in codes):
                return True
        if desc and any(pattern.search(desc) for pattern in names):
            return True
    return False


def _is_code(value: str) -> bool:
    return len(value) <= 3 or any(char.isdigit() for char in value)


def _ars_region(code: str) -> str | None:
    """An ARS code cut to its level: "091620000000" → "09162", "100000000000" → "10"; None if no ARS."""
    if not code.isdigit() or len(code) not in _ARS_LEVELS:
        return None
    padded = code.ljust(12, "0")
    return next(padded[:level] for level in _ARS_LEVELS if not padded[level:].strip("0"))


def _same_region(a: str, b: str) -> bool:
    """Two ARS codes of which one contains the other, compared level by level."""
    region_a, region_b = _ars_region(a), _ars_region(b)
    if region_a is None or region_b is None:
        return False
    return region_a.startswith(region_b) or region_b.startswith(region_a)


def read(session: Session, at: datetime | None = None, *, since: datetime | None = None) -> list[PartnerWarning]:
    """The partner posts that decide what is in force, per partner account: every warning its feed still
    lists (however old) and the last LOOKBACK's posts (for chains and what ended), or those updated after
    `since`. Not filtered by area: `state_of` applies an account's Updates and Cancels first and filters
    by area afterwards (an Update moving a warning out of the area ends it too)."""
    at = at or now()
    accounts: dict[str, tuple[str, list[str], set[str] | None]] = {}
    for account_id, name, area, listed in session.execute(
        select(Account.id, Account.name, Account.area, Feed.listed)
        .join(Feed, Feed.account_id == Account.id)
        .where(Account.kind == PARTNER_KIND)
    ):
        _, _, seen = accounts.get(account_id, (name, area or [], None))
        if listed is not None:
            seen = (seen or set()) | {str(guid) for guid in listed}
        accounts[account_id] = (name, list(area or []), seen)
    found: list[PartnerWarning] = []
    for account_id, (name, area, guids) in accounts.items():
        base = select(Post).where(Post.account_id == account_id).order_by(Post.published.desc(), Post.id.desc())
        if since is not None:
            posts = list(session.scalars(base.where(Post.updated_at > since).limit(MAX_READ)))
        else:
            posts = list(session.scalars(base.where(Post.published >= at - LOOKBACK).limit(MAX_READ)))
            if guids:
                have = {post.id for post in posts}
                wanted = sorted(guids)
                for start in range(0, len(wanted), 500):
                    chunk = base.where(Post.guid.in_(wanted[start : start + 500]))
                    posts.extend(post for post in session.scalars(chunk) if post.id not in have)
        for post in posts:
            warning = (post.extra or {}).get("warning")
            if not isinstance(warning, dict):
                continue
            found.append(PartnerWarning(post.id, post.account_id, name, post.fetched_at, post.updated_at,
                                        post.version, warning, guids is None or post.guid in guids,
                                        tuple(area)))  # fmt: skip
    return found


def state_of(every: list[PartnerWarning], at: datetime) -> PartnerState:
    """Apply the chains, then the area: a real message's Update replaces and its Cancel ends each warning
    it references of the same account (and, when both name one, the same sender); a test or exercise
    message ends nothing. Then what is in force outside its account's area is left out."""
    state = PartnerState(every={w.identifier: w for w in every})
    ended: dict[tuple[str, str], str] = {}
    senders: dict[tuple[str, str], set[str]] = {}
    for w in every:
        if w.warning.get("sender"):
            senders.setdefault((w.account_id, w.identifier), set()).add(str(w.warning["sender"]))
    for w in sorted(every, key=lambda w: w.sent_at):
        if not w.real:
            continue
        sender = w.warning.get("sender")
        for ref in w.warning.get("references") or []:
            if ref == w.identifier:
                continue
            theirs = senders.get((w.account_id, ref))
            if sender and theirs and str(sender) not in theirs:
                continue
            verb = "cancelled" if (w.msg_type or "").lower() == "cancel" else "updated"
            ended[(w.account_id, ref)] = f"{verb} by {w.identifier}"
            state.ended[ref] = f"{verb} by {w.identifier}"
    for w in every:
        in_area_of_account = in_area(w.warning, list(w.area))
        if not w.real:
            if in_area_of_account:
                state.tests.append(w)
            continue
        if (w.account_id, w.identifier) in ended:
            continue
        if (w.msg_type or "").lower() in _NOT_WARNINGS:
            state.ended.setdefault(w.identifier, "an all-clear or acknowledgement, not a warning")
            continue
        if w.expired(at):
            state.ended[w.identifier] = "expired"
        elif not w.listed:
            state.ended[w.identifier] = "no longer listed by its feed"
        elif in_area_of_account:
            state.active.append(w)
    state.active.sort(key=lambda w: (w.sent_at, w.post_id), reverse=True)
    state.tests.sort(key=lambda w: (w.sent_at, w.post_id), reverse=True)
    return state


def partner_state(engine: Engine, at: datetime | None = None) -> PartnerState:
    at = at or now()
    with read_session(engine) as session:
        return state_of(read(session, at), at)


def changed_since(
    engine: Engine, since: datetime, *, include_tests: bool = False, at: datetime | None = None
) -> list[dict[str, Any]]:
    """Partner warnings for the organisation's area that are new or updated (a new version, an Update, a
    Cancel) since `since`, oldest first: the hook for alerts to people. Each is the warning's normal form
    with `change` ("new", "updated" or "cancelled"), `active` (in force now) and the stored post's ids."""
    at = at or now()
    with read_session(engine) as session:
        recent = read(session, at)
        state = state_of(recent, at)
        changed = read(session, at, since=since)
    ours = {(w.account_id, w.identifier) for w in recent if in_area(w.warning, list(w.area))}
    out = []
    for w in sorted(changed, key=lambda w: (w.updated_at, w.post_id)):
        if not w.real and not include_tests:
            continue
        refs = w.warning.get("references") or []
        if not in_area(w.warning, list(w.area)) and not any((w.account_id, ref) in ours for ref in refs):
            continue  # not about the area, and no Update or Cancel of a warning that was
        msg_type = (w.msg_type or "").lower()
        if msg_type == "cancel":
            change = "cancelled"
        elif msg_type == "update" or w.warning.get("references") or (w.post_version > 1 and w.fetched_at <= since):
            change = "updated"
        else:
            change = "new"
        out.append({**w.as_dict(), "change": change,
                    "active": any(a.post_id == w.post_id for a in state.active)})  # fmt: skip
    return out
