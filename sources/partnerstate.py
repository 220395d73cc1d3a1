"""Which partner warnings are in force (issue 14, item 2), read from the stored partner posts.

A warning is active when it is real (CAP status Actual and no ***TEST*** mark), neither updated nor
cancelled by a later message that references it, not expired, still listed by its feed, and about the
account's area. Test, exercise and system messages are kept apart: they are shown as such and never
count as warnings. `changed_since` is what other code (alerts to people) calls to learn of new and
updated warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import read_session
from sources import warnings as forms
from sources.models import PARTNER_KIND, Account, Feed, Post

# Warnings older than this are not read back at all (they have long expired or been replaced).
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


def in_area(warning: dict[str, Any], area: list[str]) -> bool:
    """Whether a warning concerns an area filter: a geocode equal to a code (ARS/AGS codes also when one
    contains the other: a district's code and its municipalities'), a canton, county or place in its
    areaDesc, or a country-wide warning. No filter, or a warning that names no area (NINA's dashboard is
    already per ARS), concerns it."""
    filters = [f.strip().lower() for f in area if f.strip()]
    areas = warning.get("areas") or []
    if not filters or not areas:
        return True
    for item in areas:
        desc = (item.get("desc") or "").lower()
        for name, value in item.get("geocodes") or []:
            value = str(value).lower()
            if name == "Type" and value == "country":
                return True
            for f in filters:
                if value == f or (value.isdigit() and f.isdigit() and _same_region(value, f)):
                    return True
        if any(f in desc for f in filters):
            return True
    return False


def _same_region(a: str, b: str) -> bool:
    a, b = a.rstrip("0"), b.rstrip("0")
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def read(session: Session, at: datetime | None = None, *, since: datetime | None = None) -> list[PartnerWarning]:
    """Partner warnings stored in the last LOOKBACK (or updated after `since`), for their account's area."""
    at = at or now()
    query = (
        select(Post, Account.name, Account.area, Feed.listed)
        .join(Account, Post.account_id == Account.id)
        .join(Feed, Feed.account_id == Account.id)
        .where(Account.kind == PARTNER_KIND)
        .order_by(Post.published.desc(), Post.id.desc())
        .limit(MAX_READ)
    )
    query = query.where(Post.updated_at > since) if since is not None else query.where(Post.published >= at - LOOKBACK)
    found = []
    for post, name, area, listed in session.execute(query):
        warning = (post.extra or {}).get("warning")
        if not isinstance(warning, dict) or not in_area(warning, area or []):
            continue
        found.append(PartnerWarning(post.id, post.account_id, name, post.fetched_at, post.updated_at, post.version,
                                    warning, listed is None or post.guid in listed))  # fmt: skip
    return found


def state_of(every: list[PartnerWarning], at: datetime) -> PartnerState:
    """Apply the chains: an Update replaces and a Cancel ends each warning it references."""
    state = PartnerState(every={w.identifier: w for w in every})
    for w in sorted(every, key=lambda w: w.sent_at):
        for ref in w.warning.get("references") or []:
            if ref == w.identifier:
                continue
            verb = "cancelled" if (w.msg_type or "").lower() == "cancel" else "updated"
            state.ended[ref] = f"{verb} by {w.identifier}"
    for w in every:
        if not w.real:
            state.tests.append(w)
            continue
        if w.identifier in state.ended:
            continue
        if (w.msg_type or "").lower() in _NOT_WARNINGS:
            state.ended.setdefault(w.identifier, "an all-clear or acknowledgement, not a warning")
            continue
        if w.expired(at):
            state.ended[w.identifier] = "expired"
        elif not w.listed:
            state.ended[w.identifier] = "no longer listed by its feed"
        else:
            state.active.append(w)
    state.active.sort(key=lambda w: (w.sent_at, w.post_id), reverse=True)
    state.tests.sort(key=lambda w: (w.sent_at, w.post_id), reverse=True)
    return state


def partner_state(engine: Engine, at: datetime | None = None) -> PartnerState:
    at = at or now()
    with read_session(engine) as session:
        return state_of(read(session, at), at)


def active_in(session: Session, at: datetime | None = None) -> list[PartnerWarning]:
    at = at or now()
    return state_of(read(session, at), at).active


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
    out = []
    for w in sorted(changed, key=lambda w: (w.updated_at, w.post_id)):
        if not w.real and not include_tests:
            continue
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


def severity_order(warnings: list[PartnerWarning]) -> list[PartnerWarning]:
    return sorted(warnings, key=lambda w: forms.severity_rank(w.severity))
