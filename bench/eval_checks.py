"""`make eval`: precision, recall and F1 of the checks, per kind and language, on labelled data.

- The multilingual set written for crisisdesk (tests/fixtures/checks/labelled.yaml): every kind,
  hard negatives, five languages.
- PHEME (../shared/corpora/pheme-rnr, English tweets): rumour vs non-rumour, leave-one-event-out.
Writes .bench/eval.json and prints a Markdown report for docs/checks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from playbooks.checks.findings import ApprovedMessage, IncidentContext, PostView, evaluate
from playbooks.checks.matching import carries
from playbooks.workflow.flags import website_copy_missing

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "fixtures" / "checks" / "labelled.yaml"
HOLDOUT = ROOT / "tests" / "fixtures" / "checks" / "holdout.yaml"
PHEME = ROOT.parent / "shared" / "corpora" / "pheme-rnr" / "pheme_rnr_sources.jsonl"
KINDS = ("rumour", "inconsistent", "unrouted", "impersonation", "missing_on_website")
T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def labelled_predictions(path: Path = LABELLED) -> list[dict[str, object]]:
    """One row per post: language, expected kinds, predicted kinds, the post."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for lang, block in data.items():
        message = ApprovedMessage.of(1, block["approved"], lang, T0)
        incident = IncidentContext(1, tuple(block["keywords"]), T0 - timedelta(hours=1), (message,))
        for i, post in enumerate(block["posts"]):
            kind = None if post["kind"] == "unknown" else post["kind"]
            view = PostView(post["text"], T0 + timedelta(minutes=10), kind, post.get("name", ""), None)
            found = evaluate(view, [incident], block["organisation"])
            rows.append({"lang": lang, "id": f"{lang}-{i}", "expected": sorted(post["expect"]),
                         "predicted": sorted({f.kind for f in found}), "text": post["text"]})  # fmt: skip
        rows.extend(_missing_cases(lang, block))
    return rows


def _missing_cases(lang: str, block: dict) -> list[dict[str, object]]:
    """R4 cases built from each language's faithful social copies: copied in time, late, never."""
    grace = timedelta(minutes=15)
    social = [
        p["text"]
        for p in block["posts"]
        if p["kind"] == "social" and not p["expect"] and carries(p["text"], block["approved"])
    ]
    web = block["approved"]
    at = T0 + timedelta(minutes=60)
    cases = []
    for i, text in enumerate(social):
        for label, website, expected in (
            ("in-time", [(web, T0 + timedelta(minutes=12))], []),
            ("late", [(web, T0 + timedelta(minutes=40))], ["missing_on_website"]),
            ("never", [("Biblioteket / library news", T0 + timedelta(minutes=5))], ["missing_on_website"]),
        ):
            found = website_copy_missing(text, T0 + timedelta(minutes=5), block["approved"], website, grace, at)
            cases.append({"lang": lang, "id": f"{lang}-r4-{i}-{label}", "expected": expected,
                          "predicted": ["missing_on_website"] if found else [], "text": text})  # fmt: skip
    return cases


def score_rows(rows: list[dict[str, object]]) -> dict[str, dict[str, dict[str, float]]]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        for kind in KINDS:
            exp, pred = kind in row["expected"], kind in row["predicted"]  # type: ignore[operator]
            for key in ((kind, "all"), (kind, str(row["lang"]))):
                if exp and pred:
                    counts[key][0] += 1
                elif pred:
                    counts[key][1] += 1
                elif exp:
                    counts[key][2] += 1
    result: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for (kind, lang), (tp, fp, fn) in sorted(counts.items()):
        result[kind][lang] = prf(tp, fp, fn)
    return dict(result)


def pheme_loeo(path: Path = PHEME) -> dict[str, object] | None:
    """Leave-one-event-out on PHEME: fit the model's weights on all events but one, test on that one."""
    if not path.exists():
        return None
    from scripts.train_rumour import fit, load_pheme

    items = load_pheme(path)
    events = sorted({e for e, _, _ in items})
    per_event = {}
    for held_out in events:
        test = [(t, y) for e, t, y in items if e == held_out]
        labels = {y for _, y in test}
        if len(labels) < 2 or min(sum(1 for _, y in test if y == c) for c in labels) < 20:
            continue  # one class only (or nearly): macro-F1 is meaningless there (see PROVENANCE.md)
        weights = fit([(t, y) for e, t, y in items if e != held_out])
        per_event[held_out] = _macro_f1(weights, test)
    macro = statistics.mean(v["macro_f1"] for v in per_event.values()) if per_event else float("nan")
    return {"events": per_event, "mean_macro_f1": round(macro, 3)}


def _macro_f1(weights: dict[str, float], test: list[tuple[str, int]]) -> dict[str, float]:
    from scripts.train_rumour import predict

    tp = fp = fn = tn = 0
    for text, y in test:
        p = predict(weights, text, "en")
        tp += p and y
        fp += p and not y
        fn += (not p) and y
        tn += (not p) and (not y)
    rumour = prf(tp, fp, fn)["f1"]
    non = prf(tn, fn, fp)["f1"]
    return {"macro_f1": round((rumour + non) / 2, 3), "rumour_f1": rumour, "non_rumour_f1": non, "n": len(test)}


def report(labelled: dict, pheme: dict | None) -> str:
    lines = ["| kind | all: P / R / F1 | sv | fi | de | nl | en |", "|---|---|---|---|---|---|---|"]
    for kind in KINDS:
        cells = [kind]
        for lang in ("all", "sv", "fi", "de", "nl", "en"):
            m = labelled[kind].get(lang)
            cells.append(
                f"{m['precision']:.2f} / {m['recall']:.2f} / **{m['f1']:.2f}**"
                if lang == "all" and m
                else f"{m['f1']:.2f}"
                if m
                else "–"
            )
        lines.append("| " + " | ".join(cells) + " |")
    if pheme:
        lines += ["", "| PHEME event left out | n | rumour F1 | non-rumour F1 | macro-F1 |", "|---|---|---|---|---|"]
        for event, m in pheme["events"].items():
            lines.append(
                f"| {event} | {m['n']} | {m['rumour_f1']:.2f} | {m['non_rumour_f1']:.2f} | {m['macro_f1']:.2f} |"
            )
        lines.append(f"| **mean** | | | | **{pheme['mean_macro_f1']:.2f}** |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_checks")
    parser.add_argument("--errors", action="store_true", help="print every misclassified post")
    args = parser.parse_args()
    rows = labelled_predictions()
    holdout_rows = labelled_predictions(HOLDOUT)
    labelled, holdout = score_rows(rows), score_rows(holdout_rows)
    pheme = pheme_loeo()
    if args.errors:
        for row in rows + holdout_rows:
            if row["expected"] != row["predicted"]:
                print(f"{row['id']}: expected {row['expected']} got {row['predicted']}: {row['text']}")
    print("## Development set (labelled.yaml, tuned on)\n")
    print(report(labelled, None))
    print("\n## Held-out set (holdout.yaml, never tuned on)\n")
    print(report(holdout, pheme))
    out = ROOT / ".bench" / "eval.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"labelled": labelled, "holdout": holdout, "pheme": pheme}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
