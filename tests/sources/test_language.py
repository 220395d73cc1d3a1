"""Language per post, for the five working languages."""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sources import language
from sources.entries import Draft, FeedError, normalise
from sources.language import LANGUAGES, detect
from sources.language import normalise as normalise_code
from sources.parse import parse_feed
from tests.conftest import SHARED


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Håll dörrar och fönster stängda och stäng av ventilationen.", "sv"),
        ("Pitäkää ikkunat suljettuina ja sammuttakaa ilmanvaihto. Seuraava tiedote on klo 10.", "fi"),
        ("Bitte halten Sie Fenster und Türen geschlossen, die Lüftung ist auszuschalten.", "de"),
        ("Houd ramen en deuren dicht en zet de ventilatie uit, dit advies geldt tot nader bericht.", "nl"),
        ("Please keep windows and doors closed and switch off ventilation until further notice.", "en"),
    ],
)
def test_detects_each_language(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_falls_back_to_the_feeds_hint_when_the_text_says_nothing() -> None:
    assert detect("Östmark 09.00", "sv-SE") == "sv"
    assert detect("", "de-CH") == "de"
    assert detect("12345") is None


def test_normalise() -> None:
    assert [normalise_code(c) for c in ("de-CH", "sv_FI", "EN", None)] == ["de", "sv", "en", None]


# --- A feed's posts identified together (`detect_many`) -------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
FEEDS = [ROOT / "tests" / "fixtures" / "feeds", ROOT / "tests" / "corpus" / "hostile", SHARED / "corpora" / "feeds"]
AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _texts(value: object) -> Iterator[str]:
    """Every `text` of a labelled YAML file, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@functools.cache  # read once per process, not once per hint (about 1.4 s of YAML and JSON each time)
def _labelled() -> dict[str, list[str]]:
    """The labelled posts the checks are measured on, and the public corpora beside the checkout."""
    corpora: dict[str, list[str]] = {}
    checks = ROOT / "tests" / "fixtures" / "checks"
    for path in sorted([checks / "labelled.yaml", checks / "holdout.yaml", *checks.glob("scenarios/*/*.yaml")]):
        corpora[str(path.relative_to(ROOT))] = list(_texts(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for path in sorted([*(ROOT / "data" / "rumour-train").glob("*.jsonl"), *(SHARED / "corpora").glob("*/*.jsonl")]):
        lines = path.read_text(encoding="utf-8").splitlines()
        corpora[path.name] = [json.loads(line)["text"] for line in lines if line.strip()]
    return corpora


def _drafts() -> list[tuple[str, str | None]]:
    """What `detect` is asked about every entry of the feed corpora (title and text, the entry's hint)."""
    asked = []
    for path in sorted(f for root in FEEDS if root.is_dir() for f in root.rglob("*") if f.is_file()):
        try:
            entries = parse_feed(path.read_bytes(), fetched_at=AT, language_hint="sv").entries
        except FeedError:
            continue
        for entry in entries:
            built = entry._build() if entry._build is not None else None
            if isinstance(built, Draft):
                asked.append((built.text, built.hint))
    return asked


def test_the_batch_reading_of_the_model_is_the_one_verified() -> None:
    # If py3langid or its model changed, run the two tests below and, when they pass, record the new
    # release and model hash in sources.language._VERIFIED.
    assert language._batch() is not None, "py3langid is not the release whose automaton was verified"


def test_the_automaton_read_in_batches_is_the_one_py3langid_walks() -> None:
    """Every transition of py3langid's automaton, from every state: the state `_Batch.states` finds after
    the bytes that lead to a state and one more byte is the state py3langid's walk goes to. With every
    state reached by exactly one path of growing depth, the states of any text then agree byte by byte
    (by induction over the text: the state after a byte depends only on the state before and the byte)."""
    batch = language._Batch.of(language._identifier())
    assert batch is not None
    identifier = language._identifier()
    nextmove = np.frombuffer(identifier.tk_nextmove, dtype=batch.nextmove.dtype).astype(np.int64)
    rowbase = np.asarray(identifier._rowbase, dtype=np.int64)
    depth = (batch.entered & 0xFF).astype(np.int64)
    states = len(depth)
    every_byte = np.arange(256, dtype=np.int64)
    # The path of growing depth into each state: its parent and last byte, and from those its bytes.
    parent = np.full(states, -1, dtype=np.int64)
    last = np.full(states, -1, dtype=np.int64)
    entering = np.zeros(states, dtype=np.int64)
    for chunk in np.array_split(np.arange(states), 64):
        target = nextmove[(rowbase[chunk][:, None] + every_byte).ravel()]
        grows = depth[target] == np.repeat(depth[chunk] + 1, 256)
        np.add.at(entering, target[grows], 1)
        parent[target[grows]] = np.repeat(chunk, 256)[grows]
        last[target[grows]] = np.tile(every_byte, len(chunk))[grows]
    assert entering[0] == 0 and (entering[1:] == 1).all(), "a state reached by two paths of growing depth"
    longest = int(depth.max())
    label = np.zeros((states, longest), dtype=np.uint8)
    for d in range(1, longest + 1):
        at = np.flatnonzero(depth == d)
        label[at, : d - 1] = label[parent[at], : d - 1]
        label[at, d - 1] = last[at]
    checked = 0
    for d in range(longest + 1):
        for chunk in np.array_split(np.flatnonzero(depth == d), max(1, (depth == d).sum() // 4096)):
            if not len(chunk):
                continue
            # label(s) + c for every state s of the chunk and every byte c, one text each.
            texts = np.concatenate(
                [np.repeat(label[chunk, :d], 256, axis=0), np.tile(every_byte, len(chunk))[:, None]], axis=1
            )
            data = texts.astype(np.uint8).ravel()
            starts = np.arange(len(texts), dtype=np.int64) * (d + 1)
            found = batch.states(data, starts)[starts + d]
            walked = nextmove[(rowbase[chunk][:, None] + every_byte).ravel()]
            assert np.array_equal(found, walked), f"a transition from a state of depth {d}"
            checked += len(texts)
    assert checked == states * 256


@pytest.mark.parametrize("hint", [None, "sv", "de-CH", "xx"])
def test_detect_many_answers_as_detect_on_every_labelled_post(hint: str | None) -> None:
    corpora = _labelled()
    assert sum(map(len, corpora.values())) >= 1_400
    for name, texts in corpora.items():
        if len(texts) > 5_000 and hint not in (None, "sv"):
            continue  # the large shared corpora: no hint and a hint among the five are the two branches
        items = [(text, hint) for text in texts]
        assert language.detect_many(items) == [detect(text, h) for text, h in items], name


def test_detect_many_answers_as_detect_on_every_entry_of_the_feed_corpora() -> None:
    asked = _drafts()
    assert len(asked) >= 100
    assert language.detect_many(asked) == [detect(text, hint) for text, hint in asked]
    # The entries' own hints, and each of the five and none in their place.
    for hint in (*LANGUAGES, None):
        items = [(text, hint) for text, _ in asked]
        assert language.detect_many(items) == [detect(text, h) for text, h in items], hint


def test_posts_too_close_to_call_are_left_to_py3langid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Labelled posts in two languages spliced at every tenth of their length: the two languages' scores
    cross, and the confidence passes 0.9, somewhere along each. With the margin widened, the posts
    within it are answered by `detect` (py3langid), the others here, and the answers stay the same."""
    posts = _by_language()
    items = []
    for first, second in itertools.permutations(LANGUAGES, 2):
        for a, b in zip(posts[first][:6], posts[second][:6], strict=False):
            items += [(a[: len(a) * k // 10] + " " + b[len(b) * k // 10 :], first) for k in range(1, 10)]
    expected = [detect(text, hint) for text, hint in items]
    assert language.detect_many(items) == expected
    asked: list[str] = []
    real = language.detect

    def counting(text: str, hint: str | None = None) -> str | None:
        asked.append(text)
        return real(text, hint)

    monkeypatch.setattr(language, "detect", counting)
    for slack, share in ((0.1, (0.01, 0.5)), (math.inf, (1.0, 1.0))):
        monkeypatch.setattr(language, "_SLACK", slack)
        asked.clear()
        assert language.detect_many(items) == expected, slack
        assert share[0] <= len(asked) / len(items) <= share[1], (slack, len(asked))


def _by_language() -> dict[str, list[str]]:
    labelled = yaml.safe_load((ROOT / "tests" / "fixtures" / "checks" / "labelled.yaml").read_text(encoding="utf-8"))
    return {code: [t for t in _texts(labelled[code]) if len(t) > 60] for code in LANGUAGES}


def test_normalise_builds_what_each_entry_builds_alone() -> None:
    for path in sorted(f for root in FEEDS if root.is_dir() for f in root.rglob("*") if f.is_file()):
        try:
            alone = parse_feed(path.read_bytes(), fetched_at=AT, language_hint="sv").entries
        except FeedError:
            continue
        together = parse_feed(path.read_bytes(), fetched_at=AT, language_hint="sv").entries
        normalise(together)
        assert [e.normalised() for e in together] == [e.normalised() for e in alone], path


@given(st.text(alphabet="ab1_ \n.-é中٣ßİ\u0301\u00aa", max_size=12))
@settings(max_examples=3000, deadline=None, database=None)
def test_a_text_has_letters_when_three_of_its_characters_are_letters(text: str) -> None:
    assert language._has_letters(text) == (len(re.findall(r"[^\W\d_]", text)) >= 3)
