"""Did the website carry message M: the one answer for R4 flags, the cadence, the review and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playbooks.checks.matching import copies
from playbooks.workflow.website import (
    Approved,
    SocialPost,
    carried_message,
    carries_any,
    first_website_copy,
    in_order,
)

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
FIRST_TEXT = ("A fire at the recycling plant on Mill Road. Keep windows and doors closed within 2 km. "
              "The rest centre at the Town Hall is open until 8 pm.")  # fmt: skip
FIRST = Approved.of(1, FIRST_TEXT, "en", T0)
LATER_TEXT = "The rest centre at the Town Hall will now stay open until 10 pm."
LATER = Approved.of(2, LATER_TEXT, "en", T0 + timedelta(hours=3))


def social(text: str, minutes: int) -> SocialPost:
    return SocialPost.of(1, "g", "", text, T0 + timedelta(minutes=minutes))


def test_a_social_post_carries_the_newest_message_it_copies() -> None:
    assert (
        carried_message(social("Rest centre at the Town Hall will now stay open until 10 pm", 200), [FIRST, LATER])
        == LATER
    )
    assert (
        carried_message(social("Rest centre at the Town Hall will now stay open until 10 pm", 60), [FIRST, LATER])
        is None
    )
    assert carried_message(social("Library closed on Monday for stocktaking, sorry!", 200), [FIRST, LATER]) is None


def test_a_sentence_cut_from_a_message_publishes_that_message() -> None:
    """R4 and R1 read a social post alike: one sentence of the message posted alone is the message's."""
    assert carried_message(social("A fire at the recycling plant. More: https://t.co/x", 20), [FIRST]) == FIRST
    assert carried_message(social("You can open your windows now.", 20), [FIRST]) is None


def test_the_older_copy_does_not_count_for_the_update_that_moved_its_time() -> None:
    site = copies([("",
        "A fire at the recycling plant on Mill Road. Keep windows and doors closed within 2 km. "
        "The rest centre at the Town Hall is open until 8 pm.", T0 + timedelta(minutes=10))])  # fmt: skip
    assert first_website_copy(FIRST, site) is not None
    assert first_website_copy(LATER, site) is None
    assert carries_any(site[0], [FIRST, LATER]) and not carries_any(site[0], [LATER])


def test_an_update_that_repeats_the_last_message_is_not_carried_by_that_message_s_page() -> None:
    # The update adds a sentence and changes nothing: the earlier page has all its facts and most of its
    # words, but it was published before the update was approved.
    update = Approved.of(3, update_text(), "en", T0 + timedelta(hours=2))
    site = copies([("", FIRST_TEXT, T0 + timedelta(minutes=10))])
    assert first_website_copy(FIRST, site) is not None
    assert first_website_copy(update, site) is None
    later = copies(
        [("", FIRST_TEXT, T0 + timedelta(minutes=10)), ("", update_text(), T0 + timedelta(hours=2, minutes=5))]
    )
    assert first_website_copy(update, later) == later[1]


def update_text() -> str:
    return FIRST_TEXT + " Mill Road is closed between the roundabout and the station."


def test_a_page_stamped_a_few_minutes_before_the_approval_carries_the_message() -> None:
    # A CMS stamps the page with when its editor opened it, before the lead's approval was recorded.
    site = copies([("", update_text(), T0 + timedelta(hours=2) - timedelta(minutes=3))])
    assert first_website_copy(Approved.of(3, update_text(), "en", T0 + timedelta(hours=2)), site) == site[0]


def test_a_live_page_listing_the_update_above_the_message_before_it_carries_the_update() -> None:
    # The page states "until 10 pm" and, below it with no heading, the earlier "until 8 pm": the old
    # value is the earlier message's, not the page's word now.
    _, later = in_order([FIRST, LATER])
    page = f"{LATER_TEXT} {FIRST_TEXT}"
    site = copies([("Fire at Mill Road", page, T0 + timedelta(hours=3, minutes=5))])
    assert first_website_copy(later, site) == site[0]
    # Without knowing the messages before it, the page reads whole and its "8 pm" changes the update.
    assert first_website_copy(LATER, site) is None


def test_a_page_listing_the_messages_oldest_first_carries_the_update_unless_it_says_more() -> None:
    first, later = in_order([FIRST, LATER])
    appended = copies([("", f"{FIRST_TEXT} {LATER_TEXT}", T0 + timedelta(hours=3, minutes=5))])
    assert first_website_copy(later, appended) == appended[0]
    # A sentence of the page's own: the page says something no message says, and is read whole.
    own = copies([("", f"{LATER_TEXT} Bring your medicines along. {FIRST_TEXT}", T0 + timedelta(hours=3, minutes=5))])
    assert first_website_copy(later, own) is None
    # Only the newest message a page lists is carried: the earlier one's "8 pm" is no longer the word.
    assert first_website_copy(first, appended) is None
