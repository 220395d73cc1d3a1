"""The evaluation drives labelled incidents through the product: registry, approvals at their times, posts
parsed and stored as the poller does, the end-of-pass sweep; what it reports is what the desk flagged."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from bench import eval_checks, scenarios

SMALL: dict[str, Any] = {
    "id": "en-testtown-smoke", "language": "en", "organisation": "Testtown Council",
    "incident": {"title": "Smoke from a fire at the recycling plant", "keywords": ["smoke", "fire"],
                 "opened": "2026-05-01T08:00:00+01:00"},
    "accounts": [
        {"id": "web", "kind": "website", "platform": "web", "name": "Testtown Council – News"},
        {"id": "fb", "kind": "social", "platform": "facebook", "name": "Testtown Council"},
        {"id": "tag", "kind": "watch", "platform": "x", "name": "X #testtown"},
    ],
    "messages": [
        {"id": "m1", "approved": "2026-05-01T08:20:00+01:00",
         "text": "A fire at the recycling plant on Mill Road is producing heavy smoke. Keep windows and doors closed "
                 "within 2 km of Mill Road. The rest centre at the Town Hall is open until 8 pm."},
        {"id": "m2", "approved": "2026-05-01T11:00:00+01:00",
         "text": "The rest centre at the Town Hall will now stay open until 10 pm."},
    ],
    "posts": [
        {"id": "copy", "account": "fb", "published": "2026-05-01T08:25:00+01:00",
         "text": "A fire at the recycling plant on Mill Road is producing heavy smoke. Keep windows and doors closed "
                 "within 2 km of Mill Road. The rest centre at the Town Hall is open until 8 pm.", "expect": []},
        {"id": "site", "account": "web", "published": "2026-05-01T08:30:00+01:00",
         "title": "A fire at the recycling plant on Mill Road is producing heavy smo…",
         "text": "A fire at the recycling plant on Mill Road is producing heavy smoke. Keep windows and doors closed "
                 "within 2 km of Mill Road. The rest centre at the Town Hall is open until 8 pm.", "expect": []},
        {"id": "late", "account": "fb", "published": "2026-05-01T11:05:00+01:00",
         "text": "The rest centre at the Town Hall will now stay open until 10 pm.", "expect": ["missing_on_website"]},
        {"id": "stale", "account": "tag", "published": "2026-05-01T11:30:00+01:00", "author": "jo_testtown",
         "text": "Rest centre at the Town Hall shuts at 8 pm, get there before then", "expect": ["inconsistent"]},
        {"id": "fake", "account": "tag", "published": "2026-05-01T11:40:00+01:00", "author": "Testtown Council Updates",
         "text": "Everyone within 5 km must leave now.", "expect": ["impersonation", "inconsistent"]},
    ],
    "end": "2026-05-01T13:00:00+01:00",
}  # fmt: skip


def test_a_scenario_runs_through_the_product_and_reports_what_the_desk_flagged() -> None:
    outcomes = {o.post: o for o in scenarios.run(SMALL)}
    assert {p: sorted(o.found) for p, o in outcomes.items()} == {
        "copy": [], "site": [], "late": ["missing_on_website"], "stale": ["inconsistent"],
        "fake": ["impersonation", "inconsistent"],
    }  # fmt: skip
    (conflict,) = dict(outcomes["stale"].evidence)["inconsistent"]["conflicts"]
    assert conflict["post"] == "20:00" and conflict["approved"] == "22:00" and conflict["superseded_by"]


def test_a_keyword_yaml_reads_as_a_number_is_the_keyword_the_unit_typed() -> None:
    """An emergency-number outage opened with the keyword 112: YAML gives an int, the unit typed "112"."""
    scenario = copy.deepcopy(SMALL)
    scenario["incident"]["keywords"] = [112, "fire"]
    outcomes = {o.post: o for o in scenarios.run(scenario)}
    assert sorted(outcomes["stale"].found) == ["inconsistent"]


def test_website_copies_under_a_cms_headline_and_stamp_are_still_copies() -> None:
    """A CMS heads each page with a stamp and the incident's name and signs it with a publication line:
    neither is a fact of the incident, so the copies carry their messages and the update is not missing."""
    scenario = copy.deepcopy(SMALL)
    update = "The rest centre at the Town Hall will now stay open until 10 pm. It opens again tomorrow at 8 am."
    scenario["messages"][1]["text"] = next(p for p in scenario["posts"] if p["id"] == "late")["text"] = update
    site = next(p for p in scenario["posts"] if p["id"] == "site")
    site["title"] = "Update 1 May 2026, 08:30: Smoke from a fire at the recycling plant"
    site["text"] += "\n\nPublished 1 May 2026, 08:30. Questions? Call 0300 123 4567."
    scenario["posts"].insert(3, {
        "id": "site2", "account": "web", "published": "2026-05-01T11:08:00+01:00",
        "title": "Last updated 1 May 2026, 11:08 – the rest centre at the Town Hall",
        "text": update, "expect": []})  # fmt: skip
    outcomes = {o.post: sorted(o.found) for o in scenarios.run(scenario)}
    assert outcomes == {"copy": [], "site": [], "site2": [], "late": [], "stale": ["inconsistent"],
                        "fake": ["impersonation", "inconsistent"]}  # fmt: skip


def test_scores_count_each_kind_per_language() -> None:
    rows = [("en", frozenset({"rumour"}), frozenset({"rumour"})), ("sv", frozenset(), frozenset({"rumour"})),
            ("sv", frozenset({"unrouted"}), frozenset())]  # fmt: skip
    scores = eval_checks.score(rows)
    assert scores["rumour"]["all"] == eval_checks.prf(1, 1, 0)
    assert scores["unrouted"]["sv"]["recall"] == 0.0 and scores["unrouted"]["en"]["f1"] == 1.0


@pytest.mark.slow
# A hang guard, not a speed bound: the half (136 incidents, 4,884 posts) takes about three minutes on a
# quiet core and past five on a machine busy with other work, where the suite's 300 s guard stopped it.
@pytest.mark.timeout(1800)
def test_the_development_half_stays_above_its_floor() -> None:
    """A regression guard on the half the checks were tuned on: its figures are an upper bound, not a
    result (docs/checks.md has the frozen test half's)."""
    outcomes = eval_checks.scenario_half("dev")
    scores = eval_checks.score((o.language, o.expected, o.found) for o in outcomes)
    assert eval_checks.macro_f1(scores) >= 0.85, eval_checks.table(scores)
    # Each batch of fresh incidents added to the half lowers it before it is tuned on (the r-* batch took
    # inconsistent from 0.71 to 0.68): the floor guards against regressions, not new data.
    assert all(scores[k]["all"]["f1"] >= 0.65 for k in eval_checks.KINDS), eval_checks.table(scores)


def test_a_social_copy_of_an_update_repeating_the_last_message_is_missing_on_the_website_without_its_page() -> None:
    # The update repeats the first message and adds a road closure: the first message's page of 08:30
    # carries its words and facts, but not the update, approved at 11:00 and never put on the website.
    scenario = copy.deepcopy(SMALL)
    update = SMALL["messages"][0]["text"] + " Mill Road is closed between the roundabout and the station."
    scenario["messages"][1]["text"] = update
    scenario["posts"] = [p for p in scenario["posts"] if p["id"] in ("copy", "site")]
    scenario["posts"].append({"id": "update", "account": "fb", "published": "2026-05-01T11:05:00+01:00",
                              "text": update, "expect": ["missing_on_website"]})  # fmt: skip
    # One process reads two desks: message 2 approved at 11:00 is another text in each (the words and
    # facts of approved messages are kept per process).
    scenarios.run(SMALL)
    outcomes = {o.post: sorted(o.found) for o in scenarios.run(scenario)}
    assert outcomes == {"copy": [], "site": [], "update": ["missing_on_website"]}


def test_the_frozen_halves_are_every_test_directory_in_the_order_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("dev", "test", "test10", "test2", "test9", "testing-notes"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(scenarios, "SCENARIOS", tmp_path)
    assert scenarios.frozen_halves() == ["test", "test2", "test9", "test10"]
