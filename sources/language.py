"""Which of the five working languages (sv, fi, de, nl, en) a post is written in.

py3langid (a maintained fork of langid.py, a naive Bayes model over byte n-grams) restricted to the
five languages: right on short posts where counting function words was not (82–90 %).

`detect_many` gives the answers of `detect` for a whole feed's posts at once; see `_Batch` for how and
why that is cheaper.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

LANGUAGES = ("sv", "fi", "de", "nl", "en")
# Three letters anywhere: less than that says nothing about a language. Found by one search that stops at
# the third (no match objects for the letters one by one, a fifth of the cost on a post).
_THREE_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_].*?[^\W\d_]", re.DOTALL)
# Below this confidence the feed's declared language, when it has one of the five, decides.
_CONFIDENT = 0.9
_SAMPLE = 2000
# The py3langid release and model file (sha256) whose automaton tests/sources/test_language.py read in
# full and found to be what `_Batch` takes it for; any other one is identified post by post.
_VERIFIED = ("0.4.0", "f4f4a2c3465ca1f081541037f9cac23021d68151c2f709c55ae5eedfca522963")
# Unit roundoff of float32, the precision py3langid scores in.
_U32 = 2.0**-24
# A score difference this far beyond the bound on py3langid's rounding is decided the same way by it;
# far above what its exp and division add (a few units of 1e-7).
_SLACK = 1e-4
# Below this many posts, the batch's fixed cost (some 40 numpy calls) is more than py3langid's per post.
_FEWEST = 4
# Bytes identified in one go: bounds the batch's working memory (about 100 bytes a byte) whatever the feed.
_BATCH_BYTES = 1 << 18
# Posts identified in one go: their keys (post × feature) stay within 32 bits.
_MOST = 10_000


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str, hint: str | None = None) -> str | None:
    """The most likely language code, else the feed's own hint (normalised), else None."""
    sample = text[:_SAMPLE]
    normalised_hint = normalise(hint)
    if not _has_letters(sample):
        return normalised_hint
    code, confidence = _identifier().classify(sample)
    if confidence < _CONFIDENT and normalised_hint in LANGUAGES:
        return normalised_hint
    return str(code)


def detect_many(items: Sequence[tuple[str, str | None]]) -> list[str | None]:
    """`[detect(text, hint) for text, hint in items]`, the same answers, most of them found together."""
    batch = _batch() if len(items) >= _FEWEST else None
    if batch is None:
        return [detect(text, hint) for text, hint in items]
    results: list[str | None] = [None] * len(items)
    waiting: list[tuple[int, bytes]] = []
    size = 0
    encode = _identifier()._encode
    for i, (text, hint) in enumerate(items):
        sample = text[:_SAMPLE]
        if not _has_letters(sample):
            results[i] = normalise(hint)
            continue
        encoded = encode(sample)
        waiting.append((i, encoded))
        size += len(encoded)
        if size >= _BATCH_BYTES or len(waiting) == _MOST:
            batch.identify(waiting, items, results)
            waiting, size = [], 0
    if waiting:
        batch.identify(waiting, items, results)
    return results


def normalise(code: str | None) -> str | None:
    """'de-CH' → 'de', 'sv_FI' → 'sv'; codes outside the five stay as their primary subtag."""
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return primary[:10] or None


def _has_letters(sample: str) -> bool:
    return _THREE_LETTERS.search(sample) is not None


@cache
def _batch() -> _Batch | None:
    try:
        release = version("py3langid")
    except PackageNotFoundError:
        return None
    if (release, hashlib.sha256((MODEL_DIR / MODEL_FILE).read_bytes()).hexdigest()) != _VERIFIED:
        return None
    return _Batch.of(_identifier())


@dataclass(frozen=True, slots=True)
class _Batch:
    """py3langid's model, read so that the posts of a feed are identified together.

    py3langid walks a byte automaton in a Python loop (about 90 ns a byte: more than half of a new feed's
    ingest) and scores each post with a dozen small numpy calls. Its automaton is the Aho–Corasick
    automaton of the model's byte n-grams: the state after a byte stands for the longest n-gram prefix
    (at most `longest` bytes) the text ends with. So the states after every byte of a batch are found
    with a few numpy operations per prefix length, and the posts are scored with one gather and one sum.

    The answer is py3langid's own: its float32 scores are within `_rounding` of the exact ones, and a
    post is answered here only where scores that far off would give the same language and the same
    side of the confidence threshold; the others (few) go to `detect`. tests/sources/test_language.py
    holds the automaton read here to py3langid's walk on every transition, and `detect_many` to
    `detect` on every post of the labelled corpora."""

    nextmove: np.ndarray  # py3langid's transition rows, one after the other (its own buffer)
    entered: np.ndarray  # state → its row's start in nextmove (a multiple of 256) | its depth
    output: np.ndarray  # state → feature counted on entering it, or -1
    weights: np.ndarray  # feature × language: py3langid's weights, float64; all negative
    prior: np.ndarray  # language → py3langid's constant term
    classes: tuple[str, ...]
    longest: int

    @classmethod
    def of(cls, identifier: LanguageIdentifier) -> _Batch | None:
        width = {2: np.uint16, 4: np.uint32, 8: np.uint64}
        nextmove = np.frombuffer(identifier.tk_nextmove, dtype=width[identifier.tk_nextmove.itemsize])
        rowbase = np.asarray(identifier._rowbase, dtype=np.int64)
        weights = np.ascontiguousarray(identifier.nb_ptc, dtype=np.float64)
        prior = np.asarray(identifier.nb_pc, dtype=np.float64)
        if (
            identifier._alias_pairs  # scores folded from two columns
            or not (np.isfinite(weights).all() and np.isfinite(prior).all() and (weights < 0).all())
            or (rowbase & 0xFF).any()  # the depth is kept in the low byte of the row's start
            or rowbase.max() >= 2**31
            or _MOST * len(weights) >= 2**31
        ):
            return None
        depth = _depths(nextmove, rowbase)
        if (depth < 0).any():
            return None  # a state the walk never reaches: not an automaton of n-gram prefixes
        return cls(
            nextmove=nextmove,
            entered=rowbase | depth,
            output=np.asarray(identifier.tk_output, dtype=np.int32),
            weights=weights,
            prior=prior,
            classes=tuple(str(c) for c in identifier.nb_classes),
            longest=int(depth.max()),
        )

    def states(self, data: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """py3langid's automaton state after each byte of `data` (the texts that begin at `starts`, one
        after the other; each walk starts afresh)."""
        data = data.astype(np.int64)
        # `ending` marks the bytes where the text so far ends with an n-gram prefix of `length` bytes,
        # `state` is that prefix's state and `entered` its row and depth.
        state = self.nextmove[(self.entered[0] & -256) + data].astype(np.int64)
        entered = self.entered[state]
        ending = (entered & 0xFF) == 1
        longest = np.where(ending, state, 0)
        before = np.empty_like(ending)
        row = np.empty_like(entered)
        for length in range(2, self.longest + 1):
            before[0] = False
            before[1:] = ending[:-1]
            before[starts] = False
            if not before.any():
                break
            row[0] = 0
            np.bitwise_and(entered[:-1], -256, out=row[1:])
            state = self.nextmove[np.add(row, data, out=row)].astype(np.int64)
            entered = self.entered[state]
            ending = before & ((entered & 0xFF) == length)
            np.copyto(longest, state, where=ending)
        return longest

    def identify(
        self, waiting: list[tuple[int, bytes]], items: Sequence[tuple[str, str | None]], results: list[str | None]
    ) -> None:
        """Fill in `results` for the items `waiting` (index, py3langid's encoding of its sample)."""
        count = len(waiting)
        lengths = np.fromiter((len(e) for _, e in waiting), dtype=np.int64, count=count)
        data = np.frombuffer(b"".join(e for _, e in waiting), dtype=np.uint8)
        starts = np.zeros(count, dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        features = self.output[self.states(data, starts)]
        counted = features >= 0
        # One key per (post, feature); sorted, equal keys are one feature's occurrences in one post.
        # 32 bits hold them for up to _MOST posts, and sort in half the time 64 do.
        keys = np.repeat(np.arange(count, dtype=np.int32), lengths)[counted] * np.int32(len(self.weights))
        keys += features[counted]
        keys.sort()
        # Per post with at least one feature (py3langid gives the others no language): the number of
        # distinct features and the sum of log1p(occurrences) × weight, as py3langid's dot product has it.
        scored = distinct = np.zeros(0, dtype=np.int64)
        sums = np.zeros((0, len(self.prior)))
        if len(keys):
            first_of_key = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
            occurrences = np.diff(np.append(first_of_key, len(keys)))
            unique = keys[first_of_key]
            post = unique // len(self.weights)
            # np.take, not indexing: a fancy index copies row by row, four times slower.
            terms = np.take(self.weights, unique - post * len(self.weights), axis=0) * np.log1p(occurrences)[:, None]
            first = np.flatnonzero(np.concatenate(([True], post[1:] != post[:-1])))
            scored, distinct = post[first], np.diff(np.append(first, len(post)))
            sums = np.add.reduceat(terms, first, axis=0)
        self._answer(waiting, items, results, scored, distinct, sums, lengths)

    def _answer(
        self,
        waiting: list[tuple[int, bytes]],
        items: Sequence[tuple[str, str | None]],
        results: list[str | None],
        scored: np.ndarray,
        distinct: np.ndarray,
        sums: np.ndarray,
        lengths: np.ndarray,
    ) -> None:
        decided: dict[int, tuple[str, float, bool, bool]] = {}
        if len(scored):
            raw = sums + self.prior
            # py3langid divides by the square root of the byte length, in float32.
            scale = (1.0 / np.sqrt(lengths[scored])).astype(np.float32).astype(np.float64)
            scores = raw * scale[:, None]
            best = scores.argmax(axis=1)
            rows = np.arange(len(scored))
            relative = scores - scores[rows, best][:, None]
            confidence = 1.0 / np.exp(relative).sum(axis=1)
            relative[rows, best] = -np.inf
            gap = -relative.max(axis=1)
            # Every weight is negative, so the terms' magnitudes add up to prior - raw.
            error = 2 * _rounding(distinct, self.prior - raw + np.abs(self.prior), scale) + _SLACK
            near = np.abs(np.log(confidence) - math.log(_CONFIDENT)) <= error
            for p, b, c, g, e, n in zip(
                scored.tolist(), best.tolist(), confidence.tolist(), gap.tolist(), error.tolist(), near.tolist(),
                strict=True,
            ):  # fmt: skip
                decided[p] = (self.classes[b], c, g > e, not n)
        hints: dict[str | None, str | None] = {}
        for k, (i, _) in enumerate(waiting):
            text, hint = items[i]
            if hint not in hints:
                hints[hint] = normalise(hint)
            normalised_hint = hints[hint]
            found = decided.get(k)
            # Too close to call from outside py3langid's arithmetic, or no feature at all: py3langid decides.
            if found is None or not found[2] or (normalised_hint in LANGUAGES and not found[3]):
                results[i] = detect(text, hint)
            elif found[1] < _CONFIDENT and normalised_hint in LANGUAGES:
                results[i] = normalised_hint
            else:
                results[i] = found[0]


def _rounding(distinct: np.ndarray, magnitude: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Per post, a bound on how far py3langid's scaled scores (float32) are from the exact ones.

    Its raw score is a float32 dot product of k = `distinct` terms log1p(count) × weight plus the prior:
    within (k + 10) u of the sum of the terms' magnitudes (the dot product's γ_k in any summation order,
    log1p's error, the prior's and the scaling's roundings), u being float32's unit roundoff; 5 % on top
    for this function's own float64 arithmetic."""
    return np.asarray((((distinct + 10) * _U32 * 1.05 * scale)[:, None] * magnitude).max(axis=1))


def _depths(nextmove: np.ndarray, rowbase: np.ndarray) -> np.ndarray:
    """Each state's distance from the start state (breadth first): the length of the n-gram prefix it
    stands for, in an Aho–Corasick automaton."""
    depth = np.full(len(rowbase), -1, dtype=np.int8)
    depth[0] = 0
    frontier = np.zeros(1, dtype=np.int64)
    every_byte = np.arange(256, dtype=np.int32)
    level = 0
    while len(frontier):
        level += 1
        for chunk in np.array_split(frontier, -(-len(frontier) // 4096)):  # 4096 rows at a time: 8 MB
            reached = nextmove[(rowbase[chunk][:, None] + every_byte).ravel()]
            depth[reached[depth[reached] < 0]] = level
        frontier = np.flatnonzero(depth == level)
    return depth
