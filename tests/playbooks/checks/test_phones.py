from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from playbooks.checks import phones

T0 = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)


def digits(text: str, language: str) -> list[str]:
    return [n.digits for n in phones.numbers(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Hotline des Gesundheitsamts: 08031 392-6000, heute von 12 bis 18 Uhr.", "de", ["080313926000"]),
        ("Frågor besvaras av kontaktcenter på 033-35 70 00.", "sv", ["033357000"]),
        ("Voor vragen kunt u de gemeente bellen via 14 055.", "nl", ["14055"]),
        ("Ring inte 112 för att fråga om strömmen – ring 113 13.", "sv", ["11313"]),
        # A clock time, a date, a reference, a count of households and the emergency number are none.
        ("Öppet kl. 10.00–18.00 den 2026-01-21, ärende DPP/0312/13/10/26.", "sv", []),
        ("Noin 10 000 taloutta on ilman vettä, soita 112 hätätilanteessa.", "fi", []),
    ],
)  # fmt: skip
def test_a_phone_number_is_digits_in_groups_after_a_word_for_calling_or_with_a_leading_zero(
    text: str, language: str, expected: list[str]
) -> None:
    assert digits(text, language) == expected


def test_a_number_given_in_place_of_another_sets_the_other_aside() -> None:
    (new, old) = phones.numbers("Voor vragen belt u vanaf nu 0800-1351 (in plaats van 14 055).", "nl")
    assert new.replaces and not new.set_aside and old.set_aside
    (broken, emergency) = phones.numbers("Het nummer 14 0575 werkt tijdelijk niet; bel 0575 51 23 00.", "nl")
    assert broken.set_aside and not emergency.set_aside


def check(text: str, *messages: str, language: str = "de") -> list[dict[str, str | int | None]]:
    approved = [phones.Approved(i + 1, T0 + timedelta(hours=i), m, language) for i, m in enumerate(messages)]
    return [c.as_dict() for c in phones.conflicts(text, language, approved, T0 + timedelta(hours=len(messages)))]


def test_a_number_a_later_message_replaced_is_stale() -> None:
    first = "Hotline des Gesundheitsamts: 08031 392-6000, heute von 12 bis 18 Uhr."
    moved = "Die Hotline ist ab sofort unter der neuen Nummer 08031 392-6100 erreichbar."
    (stale,) = check("Hotline 08031 392-6000, de san heid wieder do", first, moved)
    assert stale["approved"] == "08031 392-6100" and stale["superseded_by"] == 2
    assert check("Hotline 08031 392-6100, de san heid wieder do", first, moved) == []
    # Given again after the new one, the old number is in force again.
    again = "Die alte Hotline 08031 392-6000 ist wieder erreichbar."
    assert check("Hotline 08031 392-6000", first, moved, again) == []


def test_a_number_in_a_sentence_that_says_call_another_instead_is_stale_from_that_message_on() -> None:
    message = "Det tillfälliga numret 06 325 8800 är överbelastat. Ring i stället 06 325 8900."
    assert check("Ring det nya numret 06 325 8800", message, language="sv")[0]["approved"] == "06 325 8900"
    # A copy that names the old number beside the new one, or says not to call it, gives no old number.
    assert check(message, message, language="sv") == []
    broken = "Het nummer 14 0575 werkt tijdelijk niet; bel 0575 51 23 00."
    assert check("14 0575 werkt niet, bel 0575 51 23 00", "Bel ons via 14 0575.", broken, language="nl") == []
    assert check("Bel gewoon 14 0575, daar nemen ze nog op", "Bel ons via 14 0575.", broken, language="nl") != []


def test_a_number_a_digit_or_two_off_is_a_slip_and_another_line_is_not() -> None:
    message = "Frågor besvaras av kommunens kontaktcenter på 0340-880 00."
    assert check("Frågor om badet? Ring 0340-880 88", message, language="sv")[0]["approved"] == "0340-880 00"
    # Another line of the same exchange and another organisation's number contradict nothing.
    assert check("Ring miljöförvaltningen på 0340-886 55", message, language="sv") == []
    assert check("Ring Vattenfall på 020-82 00 00", message, language="sv") == []


def test_the_organisations_own_page_may_give_another_line_of_its_exchange() -> None:
    approved = [phones.Approved(1, T0, "Vragen over de storing? Bel ons via 14 0575.", "nl")]
    footer = "De balie is dicht. Gepubliceerd om 10.00 uur. Vragen? Bel 14 0570."
    assert phones.conflicts(footer, "nl", approved, T0 + timedelta(hours=1), slips=False) == []
    assert phones.conflicts(footer, "nl", approved, T0 + timedelta(hours=1)) != []


def test_two_lines_replaced_one_at_a_time_stay_apart() -> None:
    hotline = "Die Hotline 08031 392-6000 ist bis 18 Uhr erreichbar. Schäden melden Sie unter 0800 123 4567."
    moved = "Die Hotline ist ab sofort unter der neuen Nummer 08031 392-6100 erreichbar."
    assert check("Schäden meldet man unter 0800 123 4567", hotline, moved) == []


def test_a_text_of_thousands_of_numbers_is_read_only_as_far_as_a_post_gives_them() -> None:
    table = " ".join(f"ring 0340-{n:06d}." for n in range(5000))
    assert len(phones.numbers(table, "sv")) == phones.MAX_NUMBERS
