"""`make eval`: precision, recall and F1 of the checks, per kind and language, on labelled data.

- The labelled incidents (tests/fixtures/checks/scenarios/): the development half (tuned on), the
  frozen test half (written before the checks changed, by a hand that had not read them, never tuned
  on), and each later frozen half (test2, test3, … as the directory holds them), written the same
  way; each driven through the product by bench/scenarios.py.
- PHEME (../shared/corpora/pheme-rnr, English tweets): the rumour model fitted without one event and
  tested on it, for every event with both classes.
- The project's earlier example sets (tests/fixtures/checks/labelled.yaml, holdout.yaml), scored by the
  same pure `evaluate` the poller calls (their R4 cases need a timeline and are left to the scenarios).
Writes .bench/eval.json and prints a Markdown report for docs/checks.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bench import scenarios
from playbooks.checks.findings import ApprovedMessage, IncidentContext, PostView, evaluate

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "fixtures" / "checks" / "labelled.yaml"
HOLDOUT = ROOT / "tests" / "fixtures" / "checks" / "holdout.yaml"
KINDS = scenarios.KINDS
LANGS = ("sv", "fi", "de", "nl", "en")
T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def score(rows: Iterable[tuple[str, frozenset[str], frozenset[str]]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per kind, overall ("all") and per language: rows are (language, expected kinds, found kinds)."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for lang, expected, found in rows:
        for kind in KINDS:
            for key in ((kind, "all"), (kind, lang)):
                if kind in expected and kind in found:
                    counts[key][0] += 1
                elif kind in found:
                    counts[key][1] += 1
                elif kind in expected:
                    counts[key][2] += 1
                else:
                    counts.setdefault(key, [0, 0, 0])  # a language with nothing of this kind still has a row
    result: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for (kind, lang), (tp, fp, fn) in sorted(counts.items()):
        result[kind][lang] = prf(tp, fp, fn)
    return dict(result)


def macro_f1(scores: dict[str, dict[str, dict[str, float]]]) -> float:
    return round(sum(scores[k]["all"]["f1"] for k in KINDS) / len(KINDS), 3)


def scenario_half(half: str, say: Any = None) -> list[scenarios.Outcome]:
    outcomes: list[scenarios.Outcome] = []
    for scenario in scenarios.load(half):
        if say:
            say(f"  {half}: {scenario['id']}")
        outcomes.extend(scenarios.run(scenario))
    return outcomes


def labelled_predictions(path: Path = LABELLED) -> list[dict[str, Any]]:
    """The earlier example sets: one row per post, through the pure checks."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for lang, block in data.items():
        message = ApprovedMessage.of(1, block["approved"], lang, T0)
        incident = IncidentContext(1, tuple(block["keywords"]), T0 - timedelta(hours=1), (message,),
                                   organisation=block["organisation"])  # fmt: skip
        for i, post in enumerate(block["posts"]):
            kind = None if post["kind"] == "unknown" else post["kind"]
            view = PostView(post["text"], T0 + timedelta(minutes=10), kind, post.get("name", ""), lang)
            found = evaluate(view, [incident], block["organisation"])
            rows.append({"lang": lang, "id": f"{lang}-{i}", "expected": sorted(post["expect"]),
                         "predicted": sorted({f.kind for f in found}), "text": post["text"]})  # fmt: skip
    return rows


def table(scores: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| kind | all: P / R / F1 | sv | fi | de | nl | en |", "|---|---|---|---|---|---|---|"]
    for kind in KINDS:
        cells = [kind]
        for lang in ("all", *LANGS):
            m = scores[kind].get(lang)
            if m is None or (lang != "all" and m["tp"] + m["fp"] + m["fn"] == 0):
                cells.append("–")
            elif lang == "all":
                cells.append(f"{m['precision']:.2f} / {m['recall']:.2f} / **{m['f1']:.2f}**")
            else:
                cells.append(f"{m['f1']:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(f"| **macro-F1** | **{macro_f1(scores):.2f}** | | | | | |")
    return "\n".join(lines)


def pheme_table(pheme: dict[str, Any]) -> str:
    lines = ["| PHEME event left out | n | rumour F1 | non-rumour F1 | macro-F1 |", "|---|---|---|---|---|"]
    for event, m in pheme["events"].items():
        lines.append(f"| {event} | {m['n']} | {m['rumour_f1']:.2f} | {m['non_rumour_f1']:.2f} | {m['macro_f1']:.2f} |")
    lines.append(f"| **mean** | | | | **{pheme['mean_macro_f1']:.2f}** |")
    return "\n".join(lines)


# Who wrote each frozen half and when (FORMAT.md says the same); a half not named here is reported too.
WRITTEN = {
    "test": "written before the checks were changed, by a hand that had not read them",
    "test2": "written later by another hand that never read the checks",
    "test3": "written on 2026-12-03 by a hand that read neither the checks nor any other scenario",
    "test4": "written on 2026-12-03 (fifth session) by a hand that read neither the checks nor any scenario",
    "test5": "written on 2026-12-04 (seventh session) by a hand that read nothing of the project but FORMAT.md",
    "test6": "written on 2026-12-04 (eighth session) by a hand that read nothing of the project but FORMAT.md",
    "test7": "written on 2026-12-04 (ninth session) by a hand that read nothing of the project but FORMAT.md",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_checks")
    parser.add_argument("--errors", action="store_true", help="print the development half's misclassified posts")
    parser.add_argument("--no-pheme", action="store_true", help="skip PHEME leave-one-event-out (minutes)")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    say("driving the labelled incidents through the product")
    halves = {half: scenario_half(half, say) for half in ("dev", *scenarios.frozen_halves())}
    scores = {half: score((o.language, o.expected, o.found) for o in rows) for half, rows in halves.items()}
    earlier = {
        name: score(
            (r["lang"], frozenset(r["expected"]), frozenset(r["predicted"])) for r in labelled_predictions(path)
        )
        for name, path in (("labelled.yaml", LABELLED), ("holdout.yaml", HOLDOUT))
    }
    pheme = None
    from scripts.train_rumour import PHEME, pheme_leave_one_event_out

    if args.no_pheme:
        pass
    elif not PHEME.exists():
        say(f"PHEME is not at {PHEME}: its figures are left out")
    else:
        say("PHEME leave-one-event-out (fits the model once per event)")
        pheme = pheme_leave_one_event_out()
    if args.errors:
        for o in halves["dev"]:
            if o.expected != o.found:
                print(f"{o.scenario} {o.post} ({o.account_kind}): expected {sorted(o.expected)} "
                      f"found {sorted(o.found)}: {o.text[:160]}")  # fmt: skip
    counts = {half: (len({o.scenario for o in rows}), len(rows)) for half, rows in halves.items()}
    for half in scenarios.frozen_halves():
        written = WRITTEN.get(half, "written by a hand that had not read the checks, committed before its first run")
        print(
            f"## Frozen half {half} ({counts[half][0]} incidents, {counts[half][1]} posts; {written}; never tuned on)\n"
        )
        print(table(scores[half]) + "\n")
    print(f"## Development half ({counts['dev'][0]} incidents, {counts['dev'][1]} posts; tuned on: an upper bound)\n")
    print(table(scores["dev"]))
    if pheme:
        print("\n## PHEME, leave one event out (rumour model only)\n")
        print(pheme_table(pheme))
    for name, s in earlier.items():
        print(f"\n## Earlier examples: {name} (pure checks, no R4)\n")
        print(table(s))
    out = ROOT / ".bench" / "eval.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"scenarios": scores, "pheme": pheme, "earlier": earlier}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
