"""How the checks hold when feeds write the same posts differently (`python -m bench.invariance`).

Each transformation rewrites the development half's incidents the way real feeds and CMSs do without
changing what a careful analyst would flag: a stamped headline and a publication footer on the website's
pages, bodies hard-wrapped at 60 characters, messages pasted with line breaks, watched posts in lower
case, HTML paragraphs, watched feeds relaying each approved message ("RT @…") and the unit's social
account posting each of its sentences alone, which should raise nothing. The report counts the flags
that changed against the untransformed run, and whether each change found or lost a labelled flag. It
reads only the development half: its counts are no score, but looking at the frozen halves' flags would
be looking at their errors.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bench import scenarios

Scenario = dict[str, Any]

STAMP_WORD = {"sv": "Uppdaterad", "fi": "Päivitetty", "de": "Aktualisiert", "nl": "Bijgewerkt", "en": "Updated"}
FOOTER = {
    "sv": "Publicerad {stamp}. Frågor? Ring kommunens kontaktcenter 0771-25 25 25.",
    "fi": "Julkaistu {stamp}. Lisätietoja asiakaspalvelusta, puh. 09 310 11111.",
    "de": "Veröffentlicht am {stamp}. Fragen? Bürgertelefon 0800 123 4567.",
    "nl": "Gepubliceerd op {stamp}. Vragen? Bel 14 0570.",
    "en": "Published {stamp}. Questions? Call us on 0300 123 4567.",
}  # fmt: skip


def _instant(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _stamp(moment: Any, language: str) -> str:
    at = _instant(moment)
    if language == "en":
        return f"{at.day} {at:%B %Y}, {at:%H:%M}"
    return f"{at.day}.{at.month}.{at.year} {'klo ' if language == 'fi' else ''}{at:%H.%M}"


def _accounts(scenario: Scenario, kind: str) -> set[str]:
    return {a["id"] for a in scenario["accounts"] if a["kind"] == kind}


def cms_headline(scenario: Scenario) -> Scenario:
    """Each website page headed with a stamp and the incident's name, as a live page keeps it; a page that
    names none of the incident's keywords is headed with its own first words instead."""
    language, title = scenario["language"], scenario["incident"]["title"]
    keywords = [str(k).lower()[:5] for k in scenario["incident"].get("keywords") or []]
    for post in scenario["posts"]:
        if post["account"] in _accounts(scenario, "website"):
            about = any(k in post["text"].lower() for k in keywords)
            topic = title if about else " ".join(post["text"].split()[:6])
            post["title"] = f"{STAMP_WORD[language]} {_stamp(post['published'], language)}: {topic}"
    return scenario


def cms_footer(scenario: Scenario) -> Scenario:
    """Each website page signed with its publication time and a phone number."""
    language = scenario["language"]
    for post in scenario["posts"]:
        if post["account"] in _accounts(scenario, "website"):
            post["text"] += "\n\n" + FOOTER[language].format(stamp=_stamp(post["published"], language))
    return scenario


def wrapped_posts(scenario: Scenario) -> Scenario:
    """Every post's text hard-wrapped at 60 characters (a <br> inside sentences, a plain-text body)."""
    for post in scenario["posts"]:
        post["text"] = "\n".join(textwrap.wrap(post["text"], 60, break_long_words=False, break_on_hyphens=False))
    return scenario


def wrapped_messages(scenario: Scenario) -> Scenario:
    """Every approved message with line breaks every 60 characters (pasted from an e-mail)."""
    for message in scenario.get("messages") or []:
        message["text"] = "\n".join(textwrap.wrap(message["text"], 60, break_long_words=False, break_on_hyphens=False))
    return scenario


def lower_case_watch(scenario: Scenario) -> Scenario:
    """Every watched post written in lower case, as many people write."""
    for post in scenario["posts"]:
        if post["account"] in _accounts(scenario, "watch"):
            post["text"] = post["text"].lower()
    return scenario


def html_website(scenario: Scenario) -> Scenario:
    """Each website page as HTML: a paragraph a sentence, its times in bold, an empty paragraph last."""
    for post in scenario["posts"]:
        if post["account"] in _accounts(scenario, "website"):
            sentences = re.split(r"(?<=[.!?]) (?=[A-ZÅÄÖÜ])", post["text"])
            bold = [re.sub(r"(\d{1,2}[.:]\d{2})", r"<strong>\1</strong>", s) for s in sentences]
            post["text"] = "<div>" + "".join(f"<p>{s}</p>" for s in bold) + "<p>&nbsp;</p></div>"
    return scenario


def relayed(scenario: Scenario) -> Scenario:
    """A watched feed relays each approved message three minutes after its approval: nothing to flag. The
    feed is no look-alike account (whose relay would be a look-alike's post); a feed of many authors, one of
    them a look-alike, will do."""
    look_alikes = {
        p["account"] for p in scenario["posts"] if "impersonation" in (p.get("expect") or []) and not p.get("author")
    }
    watched = sorted(_accounts(scenario, "watch") - look_alikes)
    if not watched:
        return scenario
    for index, message in enumerate(scenario.get("messages") or []):
        scenario["posts"].append({
            "id": f"relay-{index}", "account": watched[0], "text": "RT @official: " + message["text"],
            "published": _instant(message["approved"]) + timedelta(minutes=3), "expect": [],
        })  # fmt: skip
    scenario["posts"].sort(key=lambda p: _instant(p["published"]))
    return scenario


LABEL = {"sv": "Uppdatering", "fi": "Päivitys", "de": "Aktuell", "nl": "Update", "en": "Update"}


def excerpted(scenario: Scenario) -> Scenario:
    """Once the website's page is up after each approval, the unit's social account posts each sentence of
    the message alone, under a label and with a link to the page, as units do to put one line in front:
    nothing to flag (each is the message's, and the website carries it)."""
    social = sorted(_accounts(scenario, "social"))
    website = _accounts(scenario, "website")
    messages = scenario.get("messages") or []
    if not social or not website:
        return scenario
    for index, message in enumerate(messages):
        approved = _instant(message["approved"])
        until = _instant(messages[index + 1]["approved"]) if index + 1 < len(messages) else _instant(scenario["end"])
        page = next((p for p in scenario["posts"] if p["account"] in website
                     and approved <= _instant(p["published"]) < until), None)  # fmt: skip
        if page is None or _instant(page["published"]) + timedelta(minutes=1) >= until:
            continue  # no page, or the next message came first: its sentences may no longer hold
        # A sentence ends at a full stop after a word, not after an ordinal ("seit dem 7. September").
        sentences = re.split(r"(?<=[a-zåäöüß)]{2}[.!?])\s+(?=[A-ZÅÄÖÜ])", message["text"].strip())
        for number, sentence in enumerate(s for s in sentences if len(s.split()) >= 4):
            scenario["posts"].append({
                "id": f"excerpt-{index}-{number}", "account": social[0], "expect": [],
                "text": f"{LABEL[scenario['language']]}: {sentence} {page.get('link') or 'https://example.org/'}",
                "published": _instant(page["published"]) + timedelta(minutes=1),
            })  # fmt: skip
    scenario["posts"].sort(key=lambda p: _instant(p["published"]))
    return scenario


EARLIER = {
    "sv": "Tidigare",
    "fi": "Aiemmin",
    "de": "Frühere Meldungen",
    "nl": "Eerdere berichten",
    "en": "Earlier updates",
}


def _stamped(post: dict[str, Any], language: str) -> str:
    """A page's text under the stamp of when it was published, as a live page keeps each update."""
    return f"{STAMP_WORD[language]} {_stamp(post['published'], language)}:\n{post['text']}"


def _with_history(
    scenario: Scenario, keep: Callable[[dict[str, Any]], str], page: Callable[[str, str, list[str]], str]
) -> Scenario:
    """Each website page about the incident rewritten with the pages before it: `keep` gives what a page
    keeps of itself for the later ones, `page` the page from its own text, that kept part and the earlier
    kept parts, oldest first."""
    earlier: list[str] = []
    for post in scenario["posts"]:
        if post["account"] not in _accounts(scenario, "website"):
            continue
        own = keep(post)
        post["text"] = page(post["text"], own, list(earlier))
        earlier.append(own)
    return scenario


def live_page(scenario: Scenario) -> Scenario:
    """Each website page about the incident keeps the incident's earlier pages below its own text, newest
    first, each under its stamp and all under a heading ("Earlier updates"), as a live page does: what it
    said before is history, not a fact stated now."""
    language = scenario["language"]
    heading = f"\n\n{EARLIER[language]}\n\n"
    return _with_history(
        scenario,
        lambda post: _stamped(post, language),
        lambda text, _, earlier: text + heading + "\n\n".join(reversed(earlier)) if earlier else text,
    )


def appended_page(scenario: Scenario) -> Scenario:
    """Each website page about the incident is one page that grows: the earlier pages first, the newest
    last, each under its stamp."""
    language = scenario["language"]
    return _with_history(
        scenario, lambda post: _stamped(post, language), lambda _, own, earlier: "\n\n".join([*earlier, own])
    )


def run_together_page(scenario: Scenario) -> Scenario:
    """Each website page about the incident keeps its earlier pages after its own, newest first, each under
    its stamp, and its feed runs the paragraphs together into one ("Update 11.30: … Update 9.50: …"), as
    a CMS's text export or an RSS summary does."""
    language = scenario["language"]
    return _with_history(
        scenario,
        lambda post: _stamped(post, language),
        lambda _, own, earlier: " ".join(s.replace("\n", " ") for s in [own, *reversed(earlier)]),
    )


def unmarked_history(scenario: Scenario) -> Scenario:
    """Each website page about the incident keeps the incident's earlier pages below its own text, newest
    first, with no stamp and no heading: a page that simply lists what the unit has said."""
    return _with_history(
        scenario, lambda post: post["text"], lambda _, own, earlier: "\n\n".join([own, *reversed(earlier)])
    )


# A clock time after a clock word, not a date ("bis 12.03. gesperrt", "ab 15.03.2026") nor a price.
_CLOCK = re.compile(
    r"\b((?:kl|klo|um|om|at|bis|tot|till|until|vanaf|from|ab)\.? )([01]?\d|2[0-3])([.:])([0-5]\d)\b"
    r"(?![.:]?\d)(?!\.\s)(?!\s*(?:euro|eur|€|kr|sek))",
    re.I,
)


def time_notation(scenario: Scenario) -> Scenario:
    """Every post writes its clock times with the other separator ("kl. 18.00" as "kl. 18:00", "um 14:30" as
    "um 14.30"), as people and tools do."""
    for post in scenario["posts"]:
        post["text"] = _CLOCK.sub(lambda m: m[1] + m[2] + (":" if m[3] == "." else ".") + m[4], post["text"])
    return scenario


TAGS = {"sv": "⚠️ {text} #krisinfo", "fi": "⚠️ {text} #tiedote", "de": "⚠️ {text} #Warnung", "nl": "⚠️ {text} #nieuws",
        "en": "⚠️ {text} #update"}  # fmt: skip


def tagged_social(scenario: Scenario) -> Scenario:
    """Every post of the organisation's social accounts opens with a warning sign and ends with a hashtag."""
    template = TAGS[scenario["language"]]
    for post in scenario["posts"]:
        if post["account"] in _accounts(scenario, "social"):
            post["text"] = template.format(text=post["text"])
    return scenario


TRANSFORMS: dict[str, Callable[[Scenario], Scenario]] = {
    "cms_headline": cms_headline, "cms_footer": cms_footer, "wrapped_posts": wrapped_posts,
    "wrapped_messages": wrapped_messages, "lower_case_watch": lower_case_watch, "html_website": html_website,
    "relayed": relayed, "live_page": live_page, "appended_page": appended_page, "time_notation": time_notation,
    "tagged_social": tagged_social, "run_together_page": run_together_page,
    "unmarked_history": unmarked_history, "excerpted": excerpted,
}  # fmt: skip


@dataclass
class Changes:
    """The flags one transformation changed: per post and kind, found or lost, labelled or not."""

    posts: list[str] = field(default_factory=list)
    found_gained: int = 0  # a labelled flag raised only after the transformation
    found_lost: int = 0  # a labelled flag raised only before it
    false_added: int = 0
    false_removed: int = 0

    @property
    def flags(self) -> int:
        return self.found_gained + self.found_lost + self.false_added + self.false_removed


def compare(before: list[scenarios.Outcome], after: list[scenarios.Outcome]) -> Changes:
    """What changed from one run of a scenario to the run of its transformation. A post only the
    transformation has (a relay) counts as unflagged before."""
    changes = Changes()
    earlier = {o.post: o.found for o in before}
    for outcome in after:
        was = earlier.get(outcome.post, frozenset())
        if was == outcome.found:
            continue
        changes.posts.append(f"{outcome.scenario} {outcome.post}: {sorted(was)} → {sorted(outcome.found)}")
        for kind in outcome.found - was:
            if kind in outcome.expected:
                changes.found_gained += 1
            else:
                changes.false_added += 1
        for kind in was - outcome.found:
            if kind in outcome.expected:
                changes.found_lost += 1
            else:
                changes.false_removed += 1
    return changes


def measure(
    half: str = "dev", names: list[str] | None = None, say: Callable[[str], None] | None = None
) -> dict[str, Changes]:
    """Each transformation's changes over a half's incidents (the development half unless told)."""
    chosen = names or list(TRANSFORMS)
    unknown = sorted(set(chosen) - set(TRANSFORMS))
    if unknown:
        raise ValueError(f"no transformation {', '.join(unknown)} (one of {', '.join(TRANSFORMS)})")
    results = {name: Changes() for name in chosen}
    for scenario in scenarios.load(half):
        if say:
            say(f"  {scenario['id']}")
        before = scenarios.run(scenario)
        for name in chosen:
            found = compare(before, scenarios.run(TRANSFORMS[name](copy.deepcopy(scenario))))
            total = results[name]
            total.posts += found.posts
            total.found_gained += found.found_gained
            total.found_lost += found.found_lost
            total.false_added += found.false_added
            total.false_removed += found.false_removed
    return results


def table(results: dict[str, Changes]) -> str:
    lines = ["| transformation | flags changed | labelled found | labelled lost | false added | false removed |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for name, c in results.items():
        lines.append(
            f"| {name} | {c.flags} | {c.found_gained} | {c.found_lost} | {c.false_added} | {c.false_removed} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.invariance", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"transformations to run (default: all of {', '.join(TRANSFORMS)})")
    parser.add_argument("--posts", action="store_true", help="list every post whose flags changed")
    args = parser.parse_args(argv)
    try:
        results = measure("dev", args.names, say=lambda m: print(m, file=sys.stderr, flush=True))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(table(results))
    if args.posts:
        for name, changes in results.items():
            for line in changes.posts:
                print(f"{name}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
