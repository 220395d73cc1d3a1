"""The invariance report: feeds' ways of writing the same posts change no flag a careful analyst would raise."""

from __future__ import annotations

import copy

import pytest

from bench import invariance, scenarios
from tests.bench.test_scenarios import SMALL


def test_each_transformation_rewrites_posts_as_feeds_do_and_keeps_the_labels() -> None:
    wrapped = invariance.wrapped_posts(copy.deepcopy(SMALL))
    assert all(len(line) <= 60 for p in wrapped["posts"] for line in p["text"].split("\n"))
    assert [p["expect"] for p in wrapped["posts"]] == [p["expect"] for p in SMALL["posts"]]
    headed = invariance.cms_headline(copy.deepcopy(SMALL))
    site = next(p for p in headed["posts"] if p["id"] == "site")
    assert site["title"] == "Updated 1 May 2026, 08:30: Smoke from a fire at the recycling plant"
    relayed = invariance.relayed(copy.deepcopy(SMALL))
    relays = [p for p in relayed["posts"] if p["id"].startswith("relay-")]
    assert len(relays) == len(SMALL["messages"]) and all(p["expect"] == [] and p["account"] == "tag" for p in relays)
    excerpts = [p for p in invariance.excerpted(copy.deepcopy(SMALL))["posts"] if p["id"].startswith("excerpt-")]
    # The first message's three sentences after its page; the update never had a page of its own.
    assert [p["text"].split(": ", 1)[1][:24] for p in excerpts] == [
        "A fire at the recycling ",
        "Keep windows and doors c",
        "The rest centre at the T",
    ]


@pytest.mark.parametrize("name", sorted(invariance.TRANSFORMS))
def test_no_transformation_changes_a_flag_of_the_small_incident(name: str) -> None:
    before = scenarios.run(SMALL)
    after = scenarios.run(invariance.TRANSFORMS[name](copy.deepcopy(SMALL)))
    changes = invariance.compare(before, after)
    assert changes.posts == [], changes.posts


def test_changes_are_counted_against_the_labels() -> None:
    def outcome(post: str, expected: set[str], found: set[str]) -> scenarios.Outcome:
        return scenarios.Outcome("s", "en", post, "watch", frozenset(expected), frozenset(found), "")

    before = [outcome("a", {"rumour"}, {"rumour"}), outcome("b", set(), set())]
    after = [outcome("a", {"rumour"}, set()), outcome("b", set(), {"inconsistent"}), outcome("new", set(), set())]
    changes = invariance.compare(before, after)
    assert (changes.found_lost, changes.false_added, changes.found_gained, changes.false_removed) == (1, 1, 0, 0)
    assert changes.flags == 2 and len(changes.posts) == 2


def test_an_unknown_transformation_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="no transformation shouting"):
        invariance.measure("dev", ["shouting"])


@pytest.mark.parametrize("name", ["cms_headline", "cms_footer", "wrapped_posts"])
def test_a_development_incident_keeps_its_flags_under_a_cms_headline_a_footer_and_wrapped_text(name: str) -> None:
    # An outage at a hospital with dated clinic times: a stamped headline over its pages had made faithful
    # copies look changed (11 flags), as had its posts wrapped at 60 characters.
    scenario = next(s for s in scenarios.load("dev") if s["id"] == "u-en-inverness-raigmore-it")
    before = scenarios.run(scenario)
    changes = invariance.compare(before, scenarios.run(invariance.TRANSFORMS[name](copy.deepcopy(scenario))))
    assert changes.posts == [], changes.posts


@pytest.mark.parametrize("name", ["live_page", "appended_page", "run_together_page"])
def test_a_live_page_keeping_its_earlier_updates_raises_no_flag_for_them(name: str) -> None:
    # A measles outbreak whose clinic moved twice: with each website page keeping the earlier updates below
    # it (or above it, newest last), the earlier clinic times had read as today's, contradicting the moves.
    scenario = next(s for s in scenarios.load("dev") if s["id"] == "en-ceredigion-measles")
    before = scenarios.run(scenario)
    changes = invariance.compare(before, scenarios.run(invariance.TRANSFORMS[name](copy.deepcopy(scenario))))
    assert changes.posts == [], changes.posts
