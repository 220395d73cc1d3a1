"""`crisisdesk check`: posts that are not in the database, checked exactly as the poller checks stored
ones (the same `evaluate`, the same incident contexts), so that the evaluation and the product are one
code path. One JSON object in, one out, per line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from core.clock import ClockError, now, parse_instant
from core.db import read_session
from playbooks.checks import rumour
from playbooks.checks.findings import IncidentContext, PostView, evaluate
from playbooks.workflow import flags
from playbooks.workflow.models import Incident
from sources.language import LANGUAGES
from sources.models import ACCOUNT_KINDS


class PastedError(ValueError):
    """A line that is not a post: the message says which field and why."""


@dataclass(frozen=True)
class Context:
    incidents: list[IncidentContext]
    organisation: str = ""
    official_names: tuple[str, ...] = ()


def context(engine: Engine, incident_id: int) -> Context:
    """The incident's keywords and approved messages, and the registry's organisation, from the database."""
    with read_session(engine) as session:
        if session.get(Incident, incident_id) is None:
            raise PastedError(f"no incident {incident_id} (crisisdesk incident list shows them)")
        contexts = flags.incident_contexts(session, incident_id)
        return Context(contexts, flags.organisation_name(session), flags.official_names(session))


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PastedError(f"'{key}' must be a string")
    return value


def post_of(item: Any) -> PostView:
    """A post from one JSON object: text (required), title, time (ISO 8601 with offset), kind (website,
    social, alert, watch; default watch), name, author, platform and lang."""
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise PastedError("each line is a JSON object with a 'text' string")
    kind = _text(item, "kind") or "watch"
    if kind not in (*ACCOUNT_KINDS, "unknown"):
        raise PastedError(f"'kind' is one of {', '.join(ACCOUNT_KINDS)} or unknown, not {kind!r}")
    lang = item.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise PastedError("'lang' must be a string such as 'sv'")
    if lang and lang not in LANGUAGES:
        # Checked in another language's words the result would look right and be wrong.
        raise PastedError(f"'lang' is one of {', '.join(LANGUAGES)}, not {lang[:20]!r} (leave it out to detect it)")
    stamp = _text(item, "time")
    try:
        published: datetime = parse_instant(stamp, what="'time'") if stamp else now()
    except ClockError as exc:
        raise PastedError(str(exc)) from exc
    return PostView(item["text"], published, None if kind == "unknown" else kind, _text(item, "name"), lang,
                    _text(item, "title"), _text(item, "author"), _text(item, "platform"))  # fmt: skip


def check(item: Any, where: Context) -> dict[str, Any]:
    """What the poller would flag for this post, with its rumour decision whatever the incidents."""
    post = post_of(item)
    scored = rumour.score(post.content, post.lang)
    found = evaluate(post, where.incidents, where.organisation, where.official_names)
    return {
        "id": item.get("id"), "lang": scored.language, "rumour": scored.score, "is_rumour": scored.is_rumour,
        "cues": scored.cues, "ngrams": scored.ngrams,
        "flags": [{"kind": f.kind, "rule": f.rule, "score": f.score, "incident": f.incident, "message": f.message,
                   "evidence": f.evidence} for f in found],
    }  # fmt: skip
