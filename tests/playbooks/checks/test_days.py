"""Days a thing is open or closed on: the role of a date for its sentence's state, and contradictions
between two dated states of one thing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from playbooks.checks import days, facts, lexicon

# Sunday 22 November 2026, noon.
NOW = datetime(2026, 11, 22, 12, 0)


def roles(text: str, language: str) -> list[str]:
    return [f.role for f in facts.extract(text, language) if f.slot == "date" and f.value.startswith("weekday")]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Het Astridpark blijft gesloten tot en met dinsdag.", "nl", [days.CLOSED_THROUGH]),
        ("Die Brücke bleibt bis Freitag gesperrt.", "de", [days.CLOSED_UNTIL]),
        ("Die Brücke bleibt bis Freitag 12 Uhr gesperrt.", "de", [days.OPENS]),
        ("The tunnel will remain closed until 6am on Sunday.", "en", [days.OPENS]),
        ("Förskolorna stängs onsdag och öppnar igen torsdag.", "sv", [days.CLOSED_ON, days.OPENS]),
        ("Uimahalli on suljettu sunnuntaihin asti.", "fi", [days.CLOSED_UNTIL]),
        ("Päiväkeskus avataan keskiviikkona.", "fi", [days.OPENS]),
        ("Der Markt ist am Samstag geöffnet.", "de", [days.OPEN_ON]),
        ("Ab Montag ist die Halle gesperrt.", "de", [days.CLOSED_FROM]),
        # A state word in another clause does not reach the day.
        ("Die Halle ist gesperrt. Am Montag kommt der Gutachter.", "de", [""]),
    ],
)
def test_a_date_takes_its_role_from_the_nearest_state_word_of_its_clause(text, language, expected) -> None:
    assert roles(text, language) == expected


def test_closed_through_a_day_is_open_the_day_after() -> None:
    tuesday = date(2026, 11, 24)
    assert days.state_on(days.CLOSED_THROUGH, tuesday, tuesday) == "closed"
    assert days.state_on(days.CLOSED_THROUGH, tuesday, date(2026, 11, 25)) == "open"
    # "until Tuesday" leaves Tuesday itself open to either reading.
    assert days.state_on(days.CLOSED_UNTIL, tuesday, tuesday) is None


@pytest.mark.parametrize(
    ("post", "approved", "contradicts"),
    [
        ((days.OPENS, "25.11."), [(days.CLOSED_THROUGH, "24.11.")], False),  # reopens the day after
        ((days.OPENS, "23.11."), [(days.CLOSED_THROUGH, "24.11.")], True),  # reopens while still closed
        ((days.OPEN_ON, "25.11."), [(days.CLOSED_ON, "25.11."), (days.OPENS, "26.11.")], True),
        ((days.CLOSED_ON, "26.11."), [(days.CLOSED_ON, "25.11."), (days.OPENS, "26.11.")], True),
        ((days.OPENS, "26.11."), [(days.CLOSED_ON, "25.11."), (days.OPENS, "26.11.")], False),
        ((days.CLOSED_UNTIL, "25.11."), [(days.CLOSED_THROUGH, "24.11.")], False),  # "until Wednesday"
        ((days.CLOSED_UNTIL, "23.11."), [(days.CLOSED_THROUGH, "24.11.")], True),  # open Tuesday: too early
        ((days.OPEN_ON, "28.11."), [(days.CLOSED_ON, "25.11.")], False),  # nothing said of Saturday
    ],
)
def test_two_dated_states_contradict_where_they_say_opposite_things_of_one_day(post, approved, contradicts) -> None:
    assert (days.contradiction(post, approved, NOW) is not None) == contradicts


def test_a_day_and_month_is_the_date_nearest_to_the_moment() -> None:
    assert days.as_date("2.1.", datetime(2026, 12, 30, 9, 0)) == date(2027, 1, 2)
    assert days.as_date("30.2.", NOW) is None


class _Counted(list):  # type: ignore[type-arg]
    """State words that count how many of them a reading looks at."""

    looked_at = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        found = super().__getitem__(index)
        _Counted.looked_at += len(found) if isinstance(index, slice) else 1
        return found

    def __iter__(self):  # type: ignore[no-untyped-def]
        _Counted.looked_at += len(self)
        return super().__iter__()


def test_a_date_looks_only_at_the_state_words_within_reach() -> None:
    # A hostile sentence of thousands of state words: each date weighs the few near it, not all of them.
    lowered = "stängt " * 5000 + "öppnar igen torsdag"
    hits = _Counted((i * 7, "closed", "stängt") for i in range(5000))
    hits.append((len(lowered) - len("öppnar igen torsdag"), "open", "öppnar"))
    start = lowered.index("torsdag")
    assert days.role(lowered, start, start + len("torsdag"), lexicon.load("sv"), hits, []) == days.OPENS
    assert _Counted.looked_at < 50
