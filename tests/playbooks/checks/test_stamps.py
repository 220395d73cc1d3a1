"""Stamps of publication and live pages: which part of a page speaks now."""

from datetime import UTC, datetime

import pytest

from playbooks.checks import facts, stamps

LIVE_PAGE = {
    "heading": "The rest centre is open until 10 pm.\n\nEarlier updates\n\nUpdated 1 May 2026, 08:30:\n"
    "The rest centre is open until 8 pm.",
    "newest first": "Päivitetty 1.5. klo 14.00: Evakuointikeskus on auki klo 22 asti.\n\n"
    "Päivitetty 1.5. klo 9.15: Evakuointikeskus on auki klo 20 asti.",
    "oldest first": "Aktualisiert 08:30: Die Notunterkunft ist bis 20 Uhr offen.\n\n"
    "Aktualisiert 14:00: Die Notunterkunft bleibt bis 22 Uhr offen.",
    # Stamps run together by the feed, after a dash or a full stop of their own, or in brackets.
    "dashes": "Update 5.30pm – The rest centre stays open until 10 pm tonight. "
    "Update 11.30am – The rest centre at the hall is open until 8 pm.",
    "full stops": "Update dinsdag 10 maart, 12.30 uur. De opvang in de sporthal is open tot 22 uur. "
    "Eerder bericht, 08.45 uur. De opvang in de sporthal is open tot 20 uur.",
    "brackets": "Latest (11:30): The rest centre is open until 10 pm tonight. "
    "Earlier update (07:00): The rest centre is open until 8 pm.",
    # Times alone heading the sections, and a correction's stamp, run together by the feed.
    "bare times": "Korrektur, 14.05 Uhr: Die Notunterkunft bleibt bis 22 Uhr offen. Bitte Decken mitbringen. "
    "7.30 Uhr: Die Notunterkunft in der Turnhalle ist bis 20 Uhr offen.",
    "bare times on lines": "klo 9.15: Evakuointikeskus on auki klo 20 asti koulun salissa.\n"
    "klo 14.00: Evakuointikeskus on nyt auki klo 22 asti koulun salissa.",
}


@pytest.mark.parametrize("layout", sorted(LIVE_PAGE))
def test_a_live_page_speaks_now_in_its_newest_update(layout: str) -> None:
    current = stamps.current_part(LIVE_PAGE[layout])
    assert ("22" in current or "10 pm" in current) and "20" not in current and "8 pm" not in current


@pytest.mark.parametrize(
    "text",
    [
        # One stamp alone: nothing to choose between.
        "Update 14:00: the rest centre is open until 10 pm.",
        # Two stamps that give no order (one without a time).
        "Updated 1 May: the rest centre is open.\n\nUpdated 2 May 2026, 08:30: it is open until 10 pm.",
        # Two stamps with no text under the first: the page's publication and update lines, not two updates.
        "Kaurialan uimahallissa on kloorikaasuvuoto. Pysykää sisällä.\n\nJulkaistu 12.3.2026 klo 12.05\n"
        "Päivitetty 12.3.2026 klo 12.40",
        # Times alone over more than half a day: the page may run over midnight.
        "Updated 00:15: the road is open again now.\n\nUpdated 23:30: the road is closed tonight.",
        # "Earlier:" as a label inside an update, with no stamped history under it.
        "Gas leak in Nyby, update.\nEarlier:\nthe road was closed.\nNow:\nthe road is open again.",
        # A month the lexicons do not know (a long s): no order.
        "Updated 12 ſeptember 14:00: Road closed now.\nUpdated 13 ſeptember 09:00: Road open again now.",
    ],
)
def test_a_page_with_a_footer_one_stamp_or_an_order_that_is_not_certain_is_read_whole(text: str) -> None:
    assert stamps.current_part(text) == text


@pytest.mark.parametrize(
    ("text", "newest"),
    [
        ("Updated 2:30pm: residents may return home now.\n\nUpdated 11:00am: the street is evacuated.", "2:30pm"),
        ("Updated 13/03/2026 09:00: the road is open again.\n\nUpdated 12/03/2026 18:00: the road is closed.", "13/03"),
        (
            "Updated 31 December 2026, 23:00: the road is closed.\n\nUpdated 1 January 2027, 08:00: the road is open.",
            "2027",
        ),
    ],
)
def test_a_live_page_s_newest_update_is_found_in_twelve_hour_times_slashed_dates_and_over_new_year(
    text: str, newest: str
) -> None:
    current = stamps.current_part(text)
    assert newest in current and len(current) < len(text)


def test_a_page_s_lead_is_kept_with_its_newest_stamped_update() -> None:
    page = ("On this page we publish the latest information about the fire.\n\nUpdated 14:00: the shelter is open "
            "until 22.\n\nUpdated 12:00: the shelter is open until 20.")  # fmt: skip
    assert stamps.current_part(page).endswith("open until 22.")


def test_stamps_followed_by_thousands_of_spaces_are_read_in_linear_time() -> None:
    text = "Updated" + " " * 32_000 + "1"
    assert stamps.current_part(text) == text and stamps.without_stamps(text, "en") == text


@pytest.mark.parametrize(
    "page",
    [
        # A feed that ran the page's paragraphs together: the earlier update follows the current one inline.
        "Uppdatering 14.10: Trygghetspunkten har öppet till kl. 22. Skolorna är stängda i morgon. "
        "Tidigare uppdatering 09.40: Trygghetspunkten har öppet till kl. 20.",
        "Päivitys 4.2. klo 14.30: Vierailukielto jatkuu maanantaihin 9.2. asti. Aiempi tiedote 3.2.: "
        "Hoivakotiin on asetettu vierailukielto perjantaihin 6.2. asti.",
        "Update 23. Juli, 7.30 Uhr: Die Evakuierung wird auf 22 Häuser ausgeweitet. Meldung vom 22. Juli, "
        "21.40 Uhr: 14 Häuser im Bereich Rothenbrunn werden vorsorglich evakuiert.",
    ],
)
def test_a_live_page_run_into_one_paragraph_speaks_in_its_newest_update(page: str) -> None:
    current = stamps.current_part(page)
    assert current != page and page.startswith(current)


def test_a_page_whose_feed_joins_its_sections_with_a_bar_speaks_in_its_newest() -> None:
    page = ("Uppdatering 12.40: Reparationen tar längre tid. Värmestugan håller öppet hela natten. | 09.40 Rättelse: "
            "Värmestugan öppnar kl. 10.00 i Anderstorps sporthall. | 06.50 Ett läckage har orsakat avbrott i värmen.")  # fmt: skip
    assert (
        stamps.current_part(page)
        == "Uppdatering 12.40: Reparationen tar längre tid. Värmestugan håller öppet hela natten."
    )
    # A bar in a sentence is no section, nor is a time under it that runs on in lower case.
    assert stamps.current_part("Öppet 10–18 | 12.00 lunchstängt i 30 minuter. Välkomna!") == (
        "Öppet 10–18 | 12.00 lunchstängt i 30 minuter. Välkomna!")  # fmt: skip


def test_earlier_in_a_sentence_of_prose_heads_no_history() -> None:
    prose = "Vägen är avstängd. Tidigare har kommunen sagt: vägen öppnar kl. 14. Nu gäller kl. 18."
    assert stamps.current_part(prose) == prose


def test_an_earlier_update_named_in_words_without_a_date_ends_the_current_part() -> None:
    page = "The rest centre is open until 10 pm. Earlier update: The rest centre is open until 8 pm."
    assert stamps.current_part(page) == "The rest centre is open until 10 pm."


def test_an_earlier_statement_named_inline_ends_the_current_part_of_a_page_without_a_digit() -> None:
    page = "Boil water advice lifted for all of Lerwick today. Previous statement: boil water advice in force."
    assert stamps.current_part(page) == "Boil water advice lifted for all of Lerwick today."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Korrektur, 11.35 Uhr: Die Strasse wird ab 13 Uhr gesperrt.", "de"),
        ("Correction 11:35: the road closes at 13:00.", "en"),
        ("Rättelse kl 11.35: vägen stängs kl 13.", "sv"),
        ("Latest (11:35): the road closes at 13:00.", "en"),  # a time in brackets labelling its section
        ("Aktuell (12.3., 11.35 Uhr): Die Strasse ist ab 13 Uhr gesperrt.", "de"),
    ],
)
def test_a_correction_s_stamp_is_when_it_was_written_not_a_time_it_states(text: str, language: str) -> None:
    assert "11" not in stamps.without_stamps(text, language) and "13" in stamps.without_stamps(text, language)


@pytest.mark.parametrize(
    ("page", "footer"),
    [
        ("Update 10:30 – The shelter is open until 22.\n\nUpdate 08:00 – The shelter is open until 20.",
         "Published 10 February 2026, 11:05. Questions? Call us on 0300 123 4567."),
        ("Päivitys klo 10.30: Lämpösuoja on auki klo 22 asti.\n\nPäivitys klo 8.00: Lämpösuoja on auki klo 20 asti.",
         "Julkaistu 10.2.2026 klo 11.05. Lisätietoja asiakaspalvelusta, puh. 09 310 11111."),
        # A page with no stamped sections: the footer's words are none of the page's.
        ("The rest centre is open until 8 pm.", "Published 1 May 2026, 08:30. Questions? Call us on 0300 123 4567."),
        ("De brug is dicht tot nader order. Het verkeer wordt omgeleid.",
         "Gepubliceerd op 10.2.2026 11.05. Vragen? Bel 14 0570."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("joint", ["\n\n", "\n"])  # a feed's text keeps a page's paragraphs as lines
def test_a_footer_under_the_last_section_heads_nothing(page: str, footer: str, joint: str) -> None:
    # Read as a section, the footer's stamp (the newest) broke the order of a newest-first page.
    assert stamps.current_part(f"{page}{joint}{footer}") == stamps.current_part(page.replace("\n\n", joint))


@pytest.mark.parametrize(
    "page",
    [
        "De brug is dicht tot nader order.\n\nUpdate 12.30 uur. De brug is weer open voor verkeer.",
        # Words of none of the page's, but no contact to point to: the newest update.
        "Fire at the chemical plant in Kista. Residents should keep windows and doors closed.\n"
        "Updated 14:00. All clear: ventilation may be switched on again.",
    ],
)
def test_an_update_appended_under_the_page_is_no_footer(page: str) -> None:
    assert stamps.current_part(page) == page


@pytest.mark.parametrize(
    ("page", "language", "published"),
    [
        ("Meddelande 20.1.2026 kl. 6.50 | Jakobstads Vatten\n\nLedningen har brustit i natt kl. 3.30.", "sv",
         datetime(2026, 1, 20, 4, 50, tzinfo=UTC)),
        ("Nieuwsbericht | zondag 15 maart 2026, 17.14 uur\n\nRond 16.25 uur is gedrang ontstaan.", "nl",
         datetime(2026, 3, 15, 16, 20, tzinfo=UTC)),
        ("Pressemitteilung 12.05.2026, 09:40 Uhr\nDie Sperrung gilt bis 16 Uhr.", "de",
         datetime(2026, 5, 12, 8, 5, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_a_pages_dateline_is_its_stamp_whatever_its_label(page: str, language: str, published: datetime) -> None:
    """A CMS heads a page with the date, year and time it was published, under a label of its own that no
    list of stamp words holds: the line is when the page was written, not a time of the incident."""
    body = page.partition("\n")[2]
    here = facts.local(published, language)
    assert stamps.without_dateline(page, language, here).strip() == body.strip()
    assert stamps.without_dateline("\n\n" + page, language, here).strip() == body.strip()  # under a headline


@pytest.mark.parametrize(
    "page",
    [
        "Informationsmöte 12.3.2026 kl. 18.00\nKommunen bjuder in boende på Hissö.",  # an event to come
        "Kokningsrekommendation till 9.3.2026 kl. 12.00\nKoka vattnet.",  # an end a day before: no dateline
        "Ti 10.3. klo 18\nAsukastilaisuus kaupungintalolla.",  # no year
        "Asukastilaisuus kaupungintalolla ti 10.3.2026 klo 18 valtuustosalissa ja verkossa\nTervetuloa!",
        "10.3.2026 klo 18",  # nothing under it
        "10.3.2026" + " " * 20000 + "klo 18\nrest",  # too long to be a line of its own, and read at once
    ],
)
def test_a_first_line_with_a_time_that_is_no_dateline_is_kept(page: str) -> None:
    assert stamps.without_dateline(page, "sv", facts.local(datetime(2026, 3, 10, 9, 0, tzinfo=UTC), "sv")) == page
