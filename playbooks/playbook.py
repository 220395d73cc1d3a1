"""Playbook files: what the unit agreed for a kind of incident, validated on load (file and field named)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PLAYBOOK_DIR = Path(__file__).resolve().parent
MUST_HAVE_PARTS = ("what", "where", "do", "next")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")
_TOP = {
    "name", "title", "description", "languages", "cadence_minutes", "website_grace_minutes",
    "crisis_poll_interval_s", "keywords", "channels", "must_have", "templates", "watch_names", "public_contacts",
}  # fmt: skip


class PlaybookError(ValueError):
    pass


@dataclass(frozen=True)
class Playbook:
    name: str
    title: str
    languages: tuple[str, ...]
    cadence_minutes: dict[str, int]  # phase → minutes between website updates (R3)
    website_grace_minutes: int  # R4
    crisis_poll_interval_s: dict[str, int]  # "official" / "watch" → seconds while an incident is open
    keywords: tuple[str, ...]
    channels: dict[str, int | None]  # channel → length limit (R9); None: no limit
    must_have: tuple[str, ...]
    templates: dict[str, str]  # language → template text
    watch_names: tuple[str, ...] = field(default=())  # R16: names never to publish without consent
    # R16's allowlist: the organisation's own switchboard, crisis line and role addresses, which are no
    # one's personal data ("0560-160 00", "kommun@torsby.se").
    public_contacts: tuple[str, ...] = field(default=())
    description: str = ""

    def cadence(self, phase: str) -> int:
        return self.cadence_minutes[phase]


def load(path: Path) -> Playbook:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError(f"{path}: cannot read the file: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise PlaybookError(f"{path}: {where}not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    return parse(document, source=str(path))


def parse(document: Any, *, source: str) -> Playbook:
    def bad(name: str, message: str) -> PlaybookError:
        return PlaybookError(f"{source}: field {name!r}: {message}")

    if not isinstance(document, dict):
        raise PlaybookError(f"{source}: a playbook is a mapping of fields")
    unknown = sorted(set(map(str, document)) - _TOP)
    if unknown:
        raise bad(unknown[0], f"unknown field (expected one of {', '.join(sorted(_TOP))})")
    name = document.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise bad("name", "required: lower-case letters, digits and '-'")
    languages = document.get("languages") or ["en"]
    if not isinstance(languages, list) or not all(isinstance(x, str) and re.match(r"^[a-z]{2}$", x) for x in languages):
        raise bad("languages", "a list of two-letter language codes such as [sv, en]")
    cadence = document.get("cadence_minutes")
    if not isinstance(cadence, dict) or set(cadence) != {"acute", "recovery"}:
        raise bad("cadence_minutes", "minutes between updates for both phases: {acute: 60, recovery: 180}")
    for phase, minutes in cadence.items():
        if not _whole(minutes, 5, 7 * 24 * 60):
            raise bad(f"cadence_minutes.{phase}", "whole minutes from 5 to 10080")
    grace = document.get("website_grace_minutes", 15)
    if not _whole(grace, 1, 24 * 60):
        raise bad("website_grace_minutes", "whole minutes from 1 to 1440")
    poll = {"official": 60, "watch": 120, **(document.get("crisis_poll_interval_s") or {})}
    if set(poll) != {"official", "watch"} or not all(_whole(v, 10, 3600) for v in poll.values()):
        raise bad("crisis_poll_interval_s", "seconds (10 to 3600) for 'official' and 'watch'")
    keywords = document.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise bad("keywords", "a list of words")
    channels = document.get("channels") or {}
    if not isinstance(channels, dict):
        raise bad("channels", "a mapping of channel name to {max_chars: N}")
    limits: dict[str, int | None] = {}
    for channel, spec in channels.items():
        limit = (spec or {}).get("max_chars") if isinstance(spec, dict) or spec is None else "not a mapping"
        if limit is not None and not _whole(limit, 20, 100_000):
            raise bad(f"channels.{channel}.max_chars", "a length limit from 20 to 100000 characters, or null")
        limits[str(channel)] = int(limit) if limit is not None else None
    must_have = document.get("must_have", list(MUST_HAVE_PARTS))
    if not isinstance(must_have, list) or not set(must_have) <= set(MUST_HAVE_PARTS):
        raise bad("must_have", f"a list drawn from {', '.join(MUST_HAVE_PARTS)}")
    templates = document.get("templates") or {}
    if not isinstance(templates, dict) or not all(isinstance(t, str) for t in templates.values()):
        raise bad("templates", "a mapping of language code to template text")
    missing = [lang for lang in languages if lang not in templates]
    if missing:
        raise bad("templates", f"no template for the playbook's language(s) {', '.join(missing)}")
    watch_names = document.get("watch_names") or []
    if not isinstance(watch_names, list) or not all(isinstance(n, str) for n in watch_names):
        raise bad("watch_names", "a list of names")
    public_contacts = document.get("public_contacts") or []
    if not isinstance(public_contacts, list) or not all(isinstance(n, str | int) for n in public_contacts):
        raise bad("public_contacts", "a list of the organisation's own phone numbers and e-mail addresses")
    return Playbook(
        name=name,
        title=str(document.get("title") or name),
        description=str(document.get("description") or ""),
        languages=tuple(languages),
        cadence_minutes={k: int(v) for k, v in cadence.items()},
        website_grace_minutes=int(grace),
        crisis_poll_interval_s={k: int(v) for k, v in poll.items()},
        keywords=tuple(k.strip() for k in keywords),
        channels=limits,
        must_have=tuple(must_have),
        templates={str(k): v for k, v in templates.items()},
        watch_names=tuple(watch_names),
        public_contacts=tuple(str(c).strip() for c in public_contacts),
    )


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def available(directory: Path = PLAYBOOK_DIR) -> dict[str, Path]:
    return {p.stem: p for p in sorted(directory.glob("*.yaml"))}


def get(name: str, directory: Path = PLAYBOOK_DIR) -> Playbook:
    paths = available(directory)
    if name not in paths:
        raise PlaybookError(f"no playbook {name!r} (available: {', '.join(paths) or 'none'})")
    path = paths[name]
    return _cached(path, path.stat().st_mtime_ns, name)


@lru_cache(maxsize=64)
def _cached(path: Path, mtime_ns: int, name: str) -> Playbook:
    """Parsed once per file version: pages and checks ask for playbooks on every refresh."""
    playbook = load(path)
    if playbook.name != name:
        raise PlaybookError(f"{path}: field 'name': {playbook.name!r} differs from the file name {name!r}")
    return playbook
