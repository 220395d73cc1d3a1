"""Fit the rumour model's weights (playbooks/checks/rumour_model.json) by logistic regression on the cue features.

    python -m scripts.train_rumour [--pheme PATH] [--write]

Training data: PHEME source tweets (rumour / non-rumour, English; ../shared/corpora/pheme-rnr) when
present. The features are the model's cue families (playbooks/checks/rumour.py), so the weights stay few and
readable and carry over to the other languages; the threshold is the one that maximises macro-F1 on the
training data. No network, no third-party learning library.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from playbooks.checks.rumour import FEATURES, MODEL_PATH, features

PHEME = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "pheme-rnr" / "pheme_rnr_sources.jsonl"
L2 = 0.01


def load_pheme(path: Path = PHEME) -> list[tuple[str, str, int]]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        items.append((row["event"], row["text"], 1 if row["label"] == "rumour" else 0))
    return items


def _vector(text: str, lang: str = "en") -> list[float]:
    values, _ = features(text, lang)
    return [values[name] for name in FEATURES]


def fit(data: list[tuple[str, int]], *, epochs: int = 300, rate: float = 0.5) -> dict[str, float]:
    xs = [_vector(t) for t, _ in data]
    ys = [y for _, y in data]
    # Balance the classes so the decision does not just follow the base rate of the training events.
    positives = sum(ys) or 1
    negatives = (len(ys) - sum(ys)) or 1
    sample_weight = [len(ys) / (2 * positives) if y else len(ys) / (2 * negatives) for y in ys]
    w = [0.0] * len(FEATURES)
    b = 0.0
    n = len(xs)
    for _ in range(epochs):
        gw = [0.0] * len(w)
        gb = 0.0
        for x, y, sw in zip(xs, ys, sample_weight, strict=True):
            z = b + sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            err = (p - y) * sw
            gb += err
            for i, xi in enumerate(x):
                if xi:
                    gw[i] += err * xi
        b -= rate * gb / n
        w = [wi - rate * (g / n + L2 * wi) for wi, g in zip(w, gw, strict=True)]
    weights = {"bias": b, **dict(zip(FEATURES, w, strict=True))}
    weights["threshold"] = _best_threshold(weights, xs, ys)
    return weights


def _probability(weights: dict[str, float], x: list[float]) -> float:
    z = weights["bias"] + sum(weights[name] * xi for name, xi in zip(FEATURES, x, strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def _best_threshold(weights: dict[str, float], xs: list[list[float]], ys: list[int]) -> float:
    probabilities = [_probability(weights, x) for x in xs]
    best, best_f1 = 0.5, -1.0
    for step in range(5, 96):
        threshold = step / 100
        tp = sum(1 for p, y in zip(probabilities, ys, strict=True) if p >= threshold and y)
        fp = sum(1 for p, y in zip(probabilities, ys, strict=True) if p >= threshold and not y)
        fn = sum(1 for p, y in zip(probabilities, ys, strict=True) if p < threshold and y)
        tn = len(ys) - tp - fp - fn
        f_pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        f_neg = 2 * tn / (2 * tn + fn + fp) if tn else 0.0
        if (f_pos + f_neg) / 2 > best_f1:
            best, best_f1 = threshold, (f_pos + f_neg) / 2
    return best


def predict(weights: dict[str, float], text: str, lang: str = "en") -> bool:
    return _probability(weights, _vector(text, lang)) >= weights["threshold"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.train_rumour")
    parser.add_argument("--pheme", type=Path, default=PHEME)
    parser.add_argument("--write", action="store_true", help=f"write the weights to {MODEL_PATH}")
    args = parser.parse_args()
    weights = fit([(t, y) for _, t, y in load_pheme(args.pheme)])
    print(json.dumps({k: round(v, 3) for k, v in weights.items()}, indent=2))
    if args.write:
        MODEL_PATH.write_text(
            json.dumps({**{k: round(v, 4) for k, v in weights.items()}, "trained_on": "PHEME (8 events)"}, indent=2)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
