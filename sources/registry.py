"""The account registry (R11): a YAML file validated whole, then written to the database in one go."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from core.clock import now
from core.db import read_session, write_session
from sources.boundedyaml import YAMLProblems, read_yaml
from sources.boundedyaml import shown as _show
from sources.models import ACCOUNT_KINDS, OFFICIAL_KINDS, PARTNER_KIND, Account, Feed, Organisation, column_length
from sources.redact import redact_url
from sources.text import strip_invisible
from sources.warnings import PLATFORMS

DEFAULT_INTERVAL_S = {"website": 60, "social": 60, "alert": 60, "watch": 300, "partner": 120}
# What a partner account's platform may be (issue 14): one list, the partner parsers' own.
PARTNER_PLATFORMS = PLATFORMS
MAX_AREA_CODES = 100
# A registry file is read whole; its YAML is bounded further by sources.boundedyaml.
MAX_FILE_BYTES = 1 << 20
MIN_INTERVAL_S, MAX_INTERVAL_S = 10, 7 * 24 * 3600


# What the tables hold: a longer text passed these checks, then PostgreSQL refused it at the import's
# commit (a traceback), while SQLite stored it whole.
_ORGANISATION_MAX = column_length(Organisation, "name")
_TEXT_MAX = {name: column_length(Account, name) for name in ("name", "owner", "platform")}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")
_TOP_KEYS = {"organisation", "allow_networks", "accounts"}
_ACCOUNT_KEYS = {
    "id", "name", "kind", "platform", "feed", "homepage", "owner", "administrators", "languages", "interval",
    "area",
}  # fmt: skip


class RegistryError(ValueError):
    """The file is malformed; `problems` names each entry and field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:4])})" if len(problems) > 1 else ""
        super().__init__(f"{source}: {problems[0]}{more}")


@dataclass
class AccountSpec:
    id: str
    name: str
    kind: str
    platform: str
    feed: str
    homepage: str | None = None
    owner: str | None = None
    administrators: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interval: int | None = None
    area: list[str] = field(default_factory=list)

    @property
    def interval_s(self) -> int:
        return self.interval or DEFAULT_INTERVAL_S[self.kind]


@dataclass
class Registry:
    organisation: str
    allow_networks: list[str]
    accounts: list[AccountSpec]


@dataclass
class ImportReport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    warnings: list[str]


def load(path: Path) -> Registry:
    """Read and validate a registry file; raises RegistryError naming every problem."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise RegistryError(str(path), [f"the file is larger than 1 MiB ({MAX_FILE_BYTES} bytes)"])
        raw_text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # the codec's own words ("invalid start byte") said neither where nor what to do
        utf16 = ", a UTF-16 file" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ""
        line = raw[: exc.start].count(b"\n") + 1
        raise RegistryError(
            str(path), [f"line {line}: not UTF-8 text (byte {exc.start + 1}{utf16}); save it as UTF-8"]
        ) from exc
    except OSError as exc:
        raise RegistryError(str(path), [f"cannot read the file: {exc}"]) from exc
    try:
        document = read_yaml(raw_text)
    except YAMLProblems as exc:
        raise RegistryError(str(path), exc.problems) from None
    return parse(document, source=str(path))


def parse(document: Any, *, source: str = "registry") -> Registry:
    problems: list[str] = []
    if not isinstance(document, dict):
        raise RegistryError(source, ["the file must be a mapping with 'organisation' and 'accounts'"])
    for key in sorted(set(document) - _TOP_KEYS, key=str):
        problems.append(f"unknown top-level field {_show(key)} (expected one of {', '.join(sorted(_TOP_KEYS))})")
    organisation = document.get("organisation")
    if isinstance(organisation, str):
        organisation = _plain(organisation)
    if not isinstance(organisation, str) or not organisation:
        problems.append("field 'organisation': the organisation's name is required (a non-empty text)")
    elif len(organisation) > _ORGANISATION_MAX:
        problems.append(
            f"field 'organisation': at most {_ORGANISATION_MAX} characters (this one has {len(organisation)})"
        )
    networks = document.get("allow_networks") or []
    if not isinstance(networks, list):
        problems.append("field 'allow_networks': must be a list of networks such as 127.0.0.0/8")
        networks = []
    for i, net in enumerate(networks):
        try:
            if not isinstance(net, str):
                raise ValueError(net)
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            problems.append(f"allow_networks[{i}]: {_show(net)} is not an IP network (e.g. 10.1.0.0/16)")
    accounts_raw = document.get("accounts")
    if not isinstance(accounts_raw, list) or not accounts_raw:
        problems.append("field 'accounts': a non-empty list of accounts is required")
        accounts_raw = []
    accounts: list[AccountSpec] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(accounts_raw):
        spec = _parse_account(index, item, problems)
        if spec is None:
            continue
        if spec.id in seen:
            problems.append(f"accounts[{index}] (id {spec.id!r}): field 'id': duplicate of accounts[{seen[spec.id]}]")
            continue
        seen[spec.id] = index
        accounts.append(spec)
    if problems:
        raise RegistryError(source, problems)
    return Registry(
        organisation=str(organisation).strip(), allow_networks=[str(n) for n in networks], accounts=accounts
    )


def _parse_account(index: int, item: Any, problems: list[str]) -> AccountSpec | None:
    where = f"accounts[{index}]"
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping with id, name, kind, platform and feed")
        return None
    if isinstance(item.get("id"), str):
        where += f" (id {_show(item['id'])})"
    before = len(problems)

    def bad(name: str, message: str) -> None:
        problems.append(f"{where}: field {name!r}: {message}")

    for key in sorted(set(item) - _ACCOUNT_KEYS, key=str):
        bad(_show(key).strip("'"), f"unknown field (expected one of {', '.join(sorted(_ACCOUNT_KEYS))})")
    account_id = item.get("id")
    if not isinstance(account_id, str) or not _ID.match(account_id):
        bad("id", "required: letters, digits, '.', '_' or '-', at most 100, starting with a letter or digit")
    for name in ("name", "platform"):
        value = item.get(name)
        if not isinstance(value, str) or not _plain(value):
            bad(name, "required (a non-empty text)")
    kind = item.get("kind")
    if not isinstance(kind, str) or kind not in ACCOUNT_KINDS:
        bad("kind", f"{_show(kind)} is not one of {', '.join(ACCOUNT_KINDS)}")
    feed = item.get("feed")
    if (problem := _url_problem(feed)) is not None:
        bad("feed", problem)
    homepage = item.get("homepage")
    if homepage is not None and (problem := _url_problem(homepage)) is not None:
        bad("homepage", problem)
    owner = item.get("owner")
    if owner is not None and not isinstance(owner, str):
        bad("owner", "must be a text")
    for name, limit in _TEXT_MAX.items():
        if isinstance(value := item.get(name), str) and len(_plain(value)) > limit:
            bad(name, f"at most {limit} characters (this one has {len(_plain(value))})")
    admins = item.get("administrators", [])
    if not isinstance(admins, list) or not all(isinstance(a, str) and _plain(a) for a in admins):
        bad("administrators", "must be a list of names or e-mail addresses")
        admins = []
    languages = item.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(c, str) and _LANG.match(c) for c in languages):
        bad("languages", "must be a list of language codes such as sv, fi, de-CH")
        languages = []
    interval = item.get("interval")
    if interval is not None and (
        isinstance(interval, bool) or not isinstance(interval, int) or not MIN_INTERVAL_S <= interval <= MAX_INTERVAL_S
    ):
        bad("interval", f"must be a whole number of seconds from {MIN_INTERVAL_S} to {MAX_INTERVAL_S}")
    platform = item.get("platform")
    if kind == PARTNER_KIND and isinstance(platform, str) and _plain(platform).lower() not in PARTNER_PLATFORMS:
        bad("platform", f"{_show(platform)}: a partner account's platform is one of {', '.join(PARTNER_PLATFORMS)}")
    area = item.get("area", [])
    if isinstance(area, str | int) and not isinstance(area, bool):
        area = [str(area)]
    if not isinstance(area, list) or not all(isinstance(a, str | int) and str(a).strip() for a in area):
        bad("area", "must be a code or name, or a list of them (ARS/AGS, canton, county, CAP geocode or areaDesc)")
        area = []
    elif len(area) > MAX_AREA_CODES or any(len(str(a)) > 200 for a in area):
        bad("area", f"at most {MAX_AREA_CODES} codes or names of at most 200 characters each")
        area = []
    elif area and kind != PARTNER_KIND:
        bad("area", "only a partner account has an area filter")
    if len(problems) > before:
        return None
    return AccountSpec(
        id=str(account_id),
        name=_plain(item["name"]),
        kind=str(kind),
        platform=_plain(item["platform"]).lower(),
        feed=str(feed).strip(),
        homepage=homepage.strip() if homepage else None,
        owner=_plain(owner) or None if owner else None,
        administrators=[_plain(a) for a in admins],
        languages=[c.strip() for c in languages],
        interval=interval,
        area=[str(a).strip() for a in area],
    )


def _plain(text: str) -> str:
    """A name as shown: no control, bidi or zero-width character (ESC[2J in a name cleared the terminal of
    whoever imported or listed it; "web\u200b" was not the platform web), white space as single spaces."""
    return " ".join(strip_invisible(text).split())


def _url_problem(value: Any) -> str | None:
    """What is wrong with `value` as a feed or homepage URL, or None: an http(s) URL with a host and,
    if it names one, a port from 1 to 65535 (the fetcher cannot even parse port 99999)."""
    if not isinstance(value, str):
        return f"{_show(value)} is not an http(s) URL"
    shown = _show(value)
    if len(value) > 2000:
        return f"{shown} is longer than 2000 characters"
    # urlsplit keeps a space, a NUL or a bidi override in the host or path: the fetch could only fail
    # later as a feed error, and PostgreSQL refuses a NUL at the import's commit.
    if bad := next((c for c in value.strip() if c.isspace() or not c.isprintable()), None):
        return f"{shown} contains {bad!a}, which a URL cannot hold (percent-encode it)"
    try:
        parts = urlsplit(value.strip())
    except ValueError as exc:
        return f"{shown} is not a URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"{shown} is not an http(s) URL"
    if not parts.hostname:
        return f"{shown} has no host"
    try:
        port = parts.port
    except ValueError:
        match = re.search(r":(\d+)$", parts.netloc)
        if match:
            return f"{shown} has port {int(match.group(1))}; a port is 1 to 65535"
        return f"{shown} has a malformed port"
    if port == 0:
        return f"{shown} has port 0; a port is 1 to 65535"
    return None


def warnings_for(accounts: list[AccountSpec] | list[Account]) -> list[str]:
    """R12: every official account has at least two administrators (no single point of failure)."""
    out = []
    for account in accounts:
        if account.kind in OFFICIAL_KINDS and len(account.administrators) < 2:
            out.append(
                f"account {account.id!r}: {len(account.administrators)} administrator(s); "
                "R12 asks for at least two on every official account"
            )
    return out


def import_registry(
    engine: Engine, registry: Registry, *, within: Callable[[Session, ImportReport], None] | None = None
) -> ImportReport:
    """Create or update every account by id, in one transaction. Accounts missing from the file stay.

    `within` runs inside that transaction (the workflow checks the user's role and audits the import there).
    """
    stamp = now()
    report = ImportReport(created=[], updated=[], unchanged=[], warnings=warnings_for(registry.accounts))
    with write_session(engine) as session:
        org = session.get(Organisation, 1)
        if org is None:
            session.add(
                Organisation(id=1, name=registry.organisation, allow_networks=registry.allow_networks, updated_at=stamp)
            )
        elif (org.name, org.allow_networks) != (registry.organisation, registry.allow_networks):
            org.name, org.allow_networks, org.updated_at = (
                registry.organisation,
                registry.allow_networks,
                stamp,
            )
        existing = {
            a.id: a for a in session.scalars(select(Account).where(Account.id.in_([s.id for s in registry.accounts])))
        }
        for spec in registry.accounts:
            account = existing.get(spec.id)
            if account is None:
                session.add(_new_account(spec, stamp))
                report.created.append(spec.id)
            elif _apply(account, spec, stamp):
                report.updated.append(spec.id)
            else:
                report.unchanged.append(spec.id)
        if within is not None:
            within(session, report)
    return report


def _new_account(spec: AccountSpec, stamp: datetime) -> Account:
    account = Account(
        id=spec.id, name=spec.name, kind=spec.kind, platform=spec.platform, homepage=spec.homepage,
        owner=spec.owner, administrators=spec.administrators, languages=spec.languages, area=spec.area,
        created_at=stamp, updated_at=stamp,
    )  # fmt: skip
    account.feed = Feed(url=spec.feed, interval_s=spec.interval_s, next_fetch_at=stamp, consecutive_failures=0,
                        dead=False, entries_stored=0)  # fmt: skip
    return account


def _apply(account: Account, spec: AccountSpec, stamp: datetime) -> bool:
    changed = False
    for name in ("name", "kind", "platform", "homepage", "owner", "administrators", "languages", "area"):
        if getattr(account, name) != getattr(spec, name):
            setattr(account, name, getattr(spec, name))
            changed = True
    feed = account.feed
    if feed.url != spec.feed:
        # A new address is a new feed: forget validators, hash, errors; fetch it at once.
        feed.url = spec.feed
        feed.etag = feed.last_modified = feed.body_hash = feed.last_error = None
        feed.consecutive_failures, feed.dead, feed.next_fetch_at = 0, False, stamp
        changed = True
    if feed.interval_s != spec.interval_s:
        feed.interval_s = spec.interval_s
        changed = True
    if changed:
        account.updated_at = stamp
    return changed


def list_accounts(engine: Engine) -> list[Account]:
    """The accounts for display (accounts list, the Sources page): detached from the database, with
    credentials in their feed and homepage URLs masked (`https://***@host/…?key=***`)."""
    with read_session(engine) as session:
        # Feeds in one more query, not one per account: 500 lazy loads took 40 % of the dashboard's time.
        query = select(Account).options(selectinload(Account.feed)).order_by(Account.kind, Account.id)
        accounts = list(session.scalars(query))
        # Detached before masking, so that the masked URLs can never be flushed back.
        session.expunge_all()
    for account in accounts:
        account.feed.url = redact_url(account.feed.url) or ""
        account.homepage = redact_url(account.homepage)
    return accounts


def account_kinds(engine: Engine) -> dict[str, str]:
    """Account id → kind, for labelling posts without loading whole accounts."""
    with read_session(engine) as session:
        return {account_id: kind for account_id, kind in session.execute(select(Account.id, Account.kind))}


def organisation(engine: Engine) -> Organisation | None:
    with read_session(engine) as session:
        return session.get(Organisation, 1)
