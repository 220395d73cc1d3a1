"""Facts as typed slots: times by role in every convention, dates, quantities, states, instructions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from playbooks.checks import compare, facts, lexicon


def slots(text: str, language: str) -> list[tuple[str, str]]:
    return [(f.slot, f.value) for f in facts.extract(text, language) if f.slot != "claim"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Nästa information kommer kl. 18.00.", "sv", ("time:next", "18:00")),
        ("Seuraava tiedote julkaistaan klo 20.", "fi", ("time:next", "20:00")),
        ("Die nächste Information folgt um 14 Uhr.", "de", ("time:next", "14:00")),
        ("De volgende update volgt om 15.00 uur.", "nl", ("time:next", "15:00")),
        ("The next update will be at 2 pm.", "en", ("time:next", "14:00")),
        ("The next update will be at 14:00.", "en", ("time:next", "14:00")),
        ("The shelter is open until midnight.", "en", ("time:until", "24:00")),
        ("Die Halle ist bis 22.00 Uhr geöffnet.", "de", ("time:until", "22:00")),
        ("Evakuointikeskus on auki klo 20.00 asti.", "fi", ("time:until", "20:00")),
        ("The centre will close at 8 pm.", "en", ("time:until", "20:00")),
        ("A second centre opens at 1 pm.", "en", ("time:from", "13:00")),
        ("De infoavond begint om 19u30 in de schouwburg.", "nl", ("time:from", "19:30")),  # Flemish
        ("De hulplijn is vandaag open tot 20u.", "nl", ("time:until", "20:00")),
        ("Treffpunkt um 19h30 beim Bahnhof.", "de", ("time:at", "19:30")),
    ],
)
def test_times_in_every_convention_with_their_role(text: str, language: str, expected: tuple[str, str]) -> None:
    assert expected in slots(text, language)


def test_the_nearer_of_a_closing_and_an_opening_word_gives_a_time_its_role() -> None:
    found = slots("The control point closes at 8pm and reopens at 7am.", "en")
    assert ("time:until", "20:00") in found and ("time:from", "07:00") in found
    assert ("time:until", "20:00") in slots("Die Halle öffnet um 8 Uhr und schließt um 20 Uhr.", "de")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Kuolleiden kalojen keräys päättyy tänään jo klo 16.", "fi", ("time:until", "16:00")),
        ("The collection ends today at 4pm.", "en", ("time:until", "16:00")),
        ("Die Notbetreuung endet heute schon um 13 Uhr.", "de", ("time:until", "13:00")),
        ("Insamlingen slutar i dag redan kl. 16.", "sv", ("time:until", "16:00")),
        ("De inzameling eindigt vandaag al om 16 uur.", "nl", ("time:until", "16:00")),
        # A closure that ends opens the road again then, as "closed until 9pm" does.
        ("The A40 closure between Ross and Monmouth ends at 9pm.", "en", ("time:from", "21:00")),
        ("Valtatie 4:n sulku päättyy vasta klo 20.", "fi", ("time:from", "20:00")),
        ("Die Sperrung der Bahnhofstraße endet erst um 20 Uhr.", "de", ("time:from", "20:00")),
        # Words of when between the verb and the time ("vasta noin") leave the verb its word whole.
        ("Liikenne palaa normaaliksi koko reitillä vasta noin klo 19.", "fi", ("time:from", "19:00")),
    ],
)
def test_a_time_something_ends_at_is_its_end_across_words_of_when(
    text: str, language: str, expected: tuple[str, str]
) -> None:
    assert expected in slots(text, language)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # A closure's end is when the thing opens again: "closed until 16" states what "opens at 16" does.
        ("Kungsgatan är avstängd till och med onsdag 15 april klockan 16.00.", "sv", ("time:from", "16:00")),
        ("Die Straße bleibt bis Mittwoch, 15. April, 16 Uhr gesperrt.", "de", ("time:from", "16:00")),
        ("The road is closed until Wednesday 15 April at 4pm.", "en", ("time:from", "16:00")),
        ("Runeberginkatu on suljettu raivaustöiden vuoksi klo 16 asti.", "fi", ("time:from", "16:00")),
        ("Stationen är stängd för all tågtrafik till minst kl 22.00.", "sv", ("time:from", "22:00")),
        # What is open until a time closes then; advice to keep windows shut ends then, opens nothing.
        ("Die Straße ist gesperrt, die Halle ist bis 20 Uhr offen.", "de", ("time:until", "20:00")),
        ("Stanna inomhus med stängda fönster fram till kl. 17.00.", "sv", ("time:until", "17:00")),
        ("De boot vaart om 19u30 in plaats van 17u.", "nl", ("time:at", "19:30")),
        ("De bijeenkomst vindt plaats om 19 uur.", "nl", ("time:at", "19:00")),  # "plaats" alone takes nothing back
        # A deadline is no closure's end; "till" before a day may say where to.
        ("Vägen stängs senast kl 16.", "sv", ("time:until", "16:00")),
        ("Tie suljetaan klo 16 mennessä.", "fi", ("time:until", "16:00")),
        ("Mötet flyttas till måndag kl 10.", "sv", ("time:at", "10:00?")),
    ],
)
def test_an_until_reaches_over_a_date_and_a_closure_ends_at_an_opening(
    text: str, language: str, expected: tuple[str, str]
) -> None:
    assert [s for s in slots(text, language) if s[0].startswith("time:")] == [expected]


def test_a_headline_time_is_not_the_next_update() -> None:
    assert slots("Update: shelter open until 22:00", "en") == [("time:until", "22:00")]
    # A label before a colon heads a statement of its own; "Next update: 18:00" is the time itself.
    assert ("time:at", "18:00") in slots("Uppdatering från Luleå kommun: värmen är tillbaka kl 18.", "sv")
    assert ("time:next", "18:00") in slots("Nästa uppdatering: kl 18.", "sv")
    assert ("time:next", "09:00") in slots("Nästa information kommer kl. 09.00.", "sv")
    for text, language in [("Nästa uppdatering: i dag kl 18.", "sv"), ("Next update: today at 18:00.", "en"),
                           ("Seuraava tiedote: tänään klo 18.", "fi"), ("Nächste Information: heute um 18 Uhr.", "de"),
                           ("Nästa uppdatering: senast kl 18.", "sv")]:  # fmt: skip
        assert slots(text, language) == [("time:next", "18:00")], text  # words of when are no statement


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Updated 10 March 2026, 14:30. The shelter is open until 22:00.", "en"),
        ("Last updated: 10/03/2026 14:30 – the shelter is open until 22:00.", "en"),
        ("Uppdaterad 10 mars 2026 kl. 14.30. Värmestugan har öppet till kl. 22.00.", "sv"),
        ("Päivitetty 10.3.2026 klo 14.30. Evakuointikeskus on auki klo 22 asti.", "fi"),
        ("Stand: 10.03.2026, 14:30 Uhr. Die Halle ist bis 22.00 Uhr geöffnet.", "de"),
        ("Aktualisierung 14:30: Die Halle ist bis 22.00 Uhr geöffnet.", "de"),
        ("Bijgewerkt op 10.03.2026 om 14.30 uur. De opvang is open tot 22.00 uur.", "nl"),
    ],
)
def test_a_stamp_of_publication_is_no_time_of_the_incident(text: str, language: str) -> None:
    assert [s for s in slots(text, language) if s[0].startswith("time:") or s[0] == "date"] == [("time:until", "22:00")]


def test_the_time_of_the_next_update_is_no_stamp() -> None:
    assert ("time:next", "16:00") in slots("Next update at 16:00.", "en")
    assert "16:00" in {v for _, v in slots("The advice will be updated at 16:00.", "en")}
    assert "16:00" in {v for _, v in slots("De informatie wordt bijgewerkt om 16.00 uur.", "nl")}
    assert ("time:next", "16:00") in slots("Nächstes Update 16 Uhr.", "de")
    assert ("time:next", "16:00") in slots("Seuraava tiedote klo 16.", "fi")
    assert "16:00" in {v for _, v in slots("Uusi tiedote klo 16.", "fi")}
    assert ("time:from", "14:00") in slots("Der Stand am Marktplatz ist ab 14 Uhr offen.", "de")  # a stall, no stamp


def test_a_value_taken_back_is_not_stated() -> None:
    assert slots("Stay 30 metres away, not 10 metres as we said.", "en") == [("distance", "30")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Viimeinen vuoro lähtee klo 23.30 (aiemmin ilmoitettu klo 22).", "fi"),
        ("Sista turen går kl. 23.30 i stället för tidigare kl. 22.", "sv"),
        ("Die letzte Fähre fährt um 23.30 Uhr statt um 22 Uhr.", "de"),
        ("De laatste boot vaart om 23.30 uur, eerder 22.00 uur.", "nl"),
        ("The last ferry leaves at 11:30 pm, previously 10 pm.", "en"),
    ],
)
def test_a_time_that_points_back_to_an_earlier_value_is_not_stated(text: str, language: str) -> None:
    assert [value for slot, value in slots(text, language) if slot.startswith("time:")] == ["23:30"]
    assert ("time:until", "22:00") not in slots("Öppet till kl. 20.00, inte till kl. 22.00.", "sv")


def test_a_bare_hour_may_be_either_half_of_the_day() -> None:
    assert compare.same_value("06:00?", "18:00") and not compare.same_value("06:00?", "17:00")


def test_quantities_dates_states_and_instructions() -> None:
    assert ("distance", "800") in slots("Inom 800 meter från ishallen.", "sv")
    assert ("distance", "2000") in slots("Within 2 km of the plant.", "en")
    assert ("duration", ">300") in slots("Keittäkää vettä vähintään 5 minuuttia.", "fi")  # at least: a bound
    assert ("date", "7.9.") in slots("Betroffen sind alle seit dem 7. September.", "de")
    assert ("state", "closed") in slots("Het zwembad blijft gesloten.", "nl")
    assert ("windows", "open") in slots("In Blerick kunt u de ramen weer openen.", "nl")
    assert ("water", "boil") in slots("Koka vattnet innan du dricker det.", "sv")


@pytest.mark.parametrize(
    ("text", "language", "state"),
    [
        ("Die Bahnstraße ist wieder frei.", "de", "open"),
        ("Vägen mot Haga är oframkomlig.", "sv", "closed"),
        ("The lane to the harbour is impassable.", "en", "closed"),
        ("De Kaai is weer vrij voor fietsers.", "nl", "open"),
    ],
)
def test_everyday_words_for_open_and_closed(text: str, language: str, state: str) -> None:
    assert ("state", state) in slots(text, language)


def test_a_day_and_month_with_the_dates_dot_is_a_date_and_a_hyphenated_unit_a_quantity() -> None:
    assert slots("Sperrzone ab Sa., 11.07., 0 Uhr auf 20 km erweitert.", "de") == [
        ("time:at", "00:00?"), ("date", "11.7."), ("distance", "20000")
    ]  # fmt: skip
    assert ("time:at", "11:07") in slots("Treffen um 11.07. im Rathaus.", "de")  # a clock word before it
    assert ("distance", "50") in slots("A 50-metre cordon is in place.", "en")


@pytest.mark.parametrize(
    ("text", "language", "slot"),
    [
        ("Lenkki avataan vasta iltapäivällä kahdelta.", "fi", ("time:from", "14:00")),
        ("Ratikat kulkee taas viiden jälkeen normaalisti.", "fi", ("time:from", "05:00?")),
        ("Ratikat kulkevat taas klo 17 jälkeen.", "fi", ("time:from", "17:00")),
        ("Rata on auki neljään asti.", "fi", ("time:until", "04:00?")),
        ("The rest centre closes at four in the afternoon.", "en", ("time:until", "16:00")),
        ("Värmestugan stänger klockan fyra.", "sv", ("time:until", "04:00?")),
        ("Der Markt öffnet um sechs Uhr.", "de", ("time:from", "06:00?")),
        ("De sporthal gaat om vier uur dicht.", "nl", ("time:at", "04:00?")),
    ],
)
def test_whole_hours_in_words(text: str, language: str, slot: tuple[str, str]) -> None:
    assert slot in slots(text, language)


def test_a_number_word_without_a_clock_word_is_no_time() -> None:
    assert slots("At two schools the heating failed.", "en") == []
    assert not [s for s in slots("Viisi ihmistä loukkaantui kahdessa autossa.", "fi") if s[0].startswith("time")]


@pytest.mark.parametrize(
    ("text", "language", "direction"),
    [
        ("Kinderen en huisdieren mogen weer naar buiten.", "nl", "outdoors"),
        ("Barnen får gå ut igen efter lunch.", "sv", "outdoors"),
        ("Ni behöver inte längre stanna inomhus.", "sv", "outdoors"),  # staying in, not needed
        ("Houd kinderen en huisdieren binnen.", "nl", "indoors"),
        # A negation does not reach over "and" into the next instruction.
        ("Raak brandresten niet aan en houd kinderen binnen.", "nl", "indoors"),
        ("Evakuera inte, stanna inomhus.", "sv", "indoors"),
    ],
)
def test_staying_in_going_out_again_and_leaving(text: str, language: str, direction: str) -> None:
    assert ("shelter", direction) in slots(text, language)


@pytest.mark.parametrize(
    ("text", "language", "polarity"),
    [
        ("Drei Häuser in der Herrengasse sind unbewohnbar.", "de", "negative"),
        ("Drie huizen aan de Kerkstraat zijn onbewoonbaar.", "nl", "negative"),
        ("Three houses on Mill Lane are uninhabitable.", "en", "negative"),
        ("Vägen vid bron är ofarlig att köra på.", "sv", "negative"),
        ("Der Unfall auf der Bahnstraße war schlimm.", "de", "positive"),  # a noun, not a negated adjective
        ("Han är ordentlig och snäll mot alla grannar.", "sv", "positive"),  # "rdentlig" is no word
    ],
)
def test_an_adjective_negated_by_its_prefix_is_a_negative_statement(text: str, language: str, polarity: str) -> None:
    assert [f.value for f in facts.extract(text, language) if f.slot == "claim"] == [polarity]


def test_a_busy_emergency_room_is_no_closed_one() -> None:
    assert not [s for s in slots("Päivystys on ihan tukossa.", "fi") if s[0] == "state"]


def test_a_negated_instruction_points_the_other_way() -> None:
    assert ("windows", "open") in slots("Jynkässä ei tarvitse pitää ikkunoita kiinni.", "fi")
    assert ("state", "open") not in slots("De Welle gaat niet alleen dicht vanwege het water.", "nl")


def test_questions_state_nothing() -> None:
    assert slots("Is the shelter open until 10 pm?", "en") == []
    # Also when the next sentence starts in lower case, as posts write.
    assert slots("Onko Kaukametsässä tosiaan ruokaa jo kahdeksalta? veisin muuten kahvia sinne", "fi") == []
    assert slots("Haetaanko ne ekaluokkalaiset klo 12–13? mulla menee varttia yli", "fi") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The rest centre at Rideau Heights is open until 10 pm, right? bring blankets", "en"),
        ("Värmestugan i Kåge har öppet till kl. 22, eller hur? ta med filtar", "sv"),
        ("Die Wasserausgabe in Gaustadt hat bis 22 Uhr offen, oder? bringt Decken mit", "de"),
        ("De opvang in De Scheg is open tot 22.00 uur, toch? neem dekens mee", "nl"),
        ("Lämpösuoja Kåussa on auki klo 22 asti, eikö? ottakaa peitot mukaan", "fi"),
    ],
)
def test_a_tag_question_states_what_it_asks_to_confirm(text: str, language: str) -> None:
    assert ("time:until", "22:00") in slots(text, language)


def test_an_answer_speaks_of_what_was_asked() -> None:
    (until,) = [f for f in facts.extract("Is the rest centre at Rideau Heights still open? yes, until 10 pm.", "en")
                if f.slot == "time:until"]  # fmt: skip
    assert "rideau" in until.names and "height" in until.subject


def test_facts_of_the_same_slot_are_compared_only_about_the_same_thing() -> None:
    (bridge,) = [f for f in facts.extract("The bridge reopens at 2 pm.", "en") if f.slot.startswith("time")]
    (school,) = [f for f in facts.extract("The school closes at 12:00.", "en") if f.slot.startswith("time")]
    assert not compare.related(bridge, school)
    (blerick,) = [f for f in facts.extract("In Blerick kunt u de ramen weer openen.", "nl") if f.slot == "windows"]
    (tegelen,) = [f for f in facts.extract("In Tegelen houdt u de ramen dicht.", "nl") if f.slot == "windows"]
    assert not compare.related(blerick, tegelen)  # the same advice, two places


def test_a_word_the_message_names_is_a_name_in_a_post_that_does_not_capitalise_it() -> None:
    # Posts start sentences with the word or write in lower case; the approved text's capitals say it
    # names one thing ("Einlass" of the exam), so one shared word is enough.
    approved = facts.extract("Die Klausur wird im Congress Leoben geschrieben, Einlass ab 7.15 Uhr.", "de")
    for post in ("Einlass am Dienstag erst um 7:45, also nicht zu früh hinfahren", "einlass erst um 7:45 ok"):
        assert [c.post for c in compare.conflicts(facts.extract(post, "de"), approved)] == ["07:45"]


def test_a_time_something_happens_before_bounds_it() -> None:
    # "Put out shortly before nine" agrees with an approved "at 8.40"; "go there before eight" is a deadline.
    assert ("time:until", "09:00?") in slots("Palo saatiin sammutettua vähän ennen yhdeksää.", "fi")
    assert ("time:until", "18:00") in slots("Kom till skolan före kl 18.", "sv")
    approved = facts.extract("Der Brand war um 8.40 Uhr gelöscht.", "de")
    assert not compare.conflicts(facts.extract("Das Feuer war kurz vor 9 Uhr gelöscht.", "de"), approved)


def test_a_finnish_place_left_is_the_words_in_its_case_not_the_subject() -> None:
    found = facts.extract("Vesipiste siirretään Paloasemalta Alakylän kylätalolle, auki klo 22 asti.", "fi")
    assert [(f.slot, f.value) for f in found if f.slot == facts.CONTRAST] == [(facts.CONTRAST, "paloasem")]
    assert not [
        f
        for f in facts.extract("Vesipiste siirretään paloasemalta Alakylän kylätalolle.", "fi")
        if f.slot == facts.CONTRAST
    ]


@pytest.mark.parametrize(
    ("approved", "post", "language"),
    [
        # "doch" inside a clause is a particle ("after all"): the later message moves the earlier one.
        ("Der Rosenmontagszug wird nicht nachgeholt.", "Der Rosenmontagszug wird doch nachgeholt!", "de"),
    ],
)
def test_a_particle_is_no_clause_break(approved: str, post: str, language: str) -> None:
    assert [c.kind for c in compare.conflicts(facts.extract(post, language), facts.extract(approved, language))] == [
        "claim"
    ]


@pytest.mark.parametrize(
    ("approved", "post", "language"),
    [
        ("Het verzamelpunt is verplaatst naar de brandweerkazerne in Formerum.",
         "Verzamelen bij de brandweerkazerne in Formerum (niet Midsland).", "nl"),
        ("Debris reports now go to a new freephone number, 0800 056 1234.",
         "Report debris on 0800 056 1234 (old number no longer used).", "en"),
        ("Wegen der Unwetterwarnung beginnt der Rosenmontagszug nicht wie geplant um 10 Uhr, sondern frühestens um 12 Uhr.",
         "Rosenmontagszug beginnt wegen Unwetterwarnung frühestens um 12 Uhr.", "de"),
    ],
)  # fmt: skip
def test_an_aside_or_a_value_taken_back_negates_no_statement(approved: str, post: str, language: str) -> None:
    assert not compare.conflicts(facts.extract(post, language), facts.extract(approved, language))


@pytest.mark.parametrize(
    "text",
    [
        "Från kl. 14 står vattentanken i Skutnäs vid K-Market Skutnäs parkering (inte vid skolan).",
        "En tredje vattentank ställs ut vid Kittholmens daghem (inte vid brandstationen) från kl. 10.30.",
    ],
)
def test_a_place_set_aside_in_lower_case_negates_no_statement(text: str) -> None:
    """After a preposition: the place is set aside, and the tank still stands where the sentence says."""
    assert [f.value for f in facts.extract(text, "sv") if f.slot == "claim"] == ["positive"]


@pytest.mark.parametrize("adverb", ["noch nicht", "vorerst nicht", "derzeit nicht"])
def test_an_aside_of_a_negation_and_an_adverb_is_part_of_the_statement(adverb: str) -> None:
    approved = facts.extract("Die Bewohner der Au sind in die Turnhalle Zech gebracht worden.", "de")
    post = facts.extract(f"Die Bewohner der Au sind ({adverb}) in die Turnhalle Zech gebracht worden.", "de")
    assert compare.conflicts(post, approved)


def test_a_statement_set_against_another_is_still_denied() -> None:
    # "Not from tap water but from mist": the first is denied, unlike a value taken back ("not at 10 but at 12").
    approved = facts.extract("Legionella ei tartu juomavedestä eikä ihmisestä toiseen, vaan vesisumusta.", "fi")
    assert not compare.conflicts(facts.extract("Legionelloosi ei tartu ihmisestä toiseen.", "fi"), approved)


def test_finnish_windows_opened_with_words_between() -> None:
    assert slots("Ikkunoita saa taas avata.", "fi") == [("windows", "open")]
    assert slots("Ikkunoita ei saa avata.", "fi") == [("windows", "closed")]


def test_a_negation_of_a_condition_the_message_does_not_state_denies_nothing() -> None:
    approved = facts.extract("Om du har varit på någon av platserna: ring 1177.", "sv")
    post = facts.extract("Ring 1177 om du varit på platserna och inte är vaccinerad.", "sv")
    assert not compare.conflicts(post, approved)
    assert compare.conflicts(facts.extract("Du har inte varit på någon av platserna.", "sv"), approved)


@pytest.mark.parametrize(
    ("text", "language", "slot"),
    [
        ("Tåget kom till City 08.05.", "sv", "time:at"),  # Swedish writes no date so
        ("De trein kwam om 08.05. Daarna niets.", "nl", "time:at"),
        ("Vaccination den 08.05.", "sv", "date"),
        ("Juna saapui 08.05.", "fi", "date"),  # Finnish and German do
    ],
)
def test_a_dotted_pair_ending_a_sentence_is_a_time_where_dates_are_not_written_so(
    text: str, language: str, slot: str
) -> None:
    assert [f.slot for f in facts.extract(text, language) if f.slot in ("date", "time:at")] == [slot]


@pytest.mark.parametrize(
    ("approved", "post", "language"),
    [
        ("Färjan till Vaxholm går i dag.", "Färjan till Vaxholm går inte i dag.", "sv"),
        ("De veerboot naar Vlieland vaart vandaag.", "De veerboot naar Vlieland vaart vandaag niet.", "nl"),
        ("Bus 55 stops at Central Station.", "Bus 55 does not stop at Central Station, instead it stops at Park Street.", "en"),
        ("Patients at Kista hospital have been moved to Solna.", "Patients at Kista hospital have (not yet) been moved to Solna.", "en"),
        ("In der Turnhalle gibt es kein Trinkwasser.", "In der Turnhalle gibt es Trinkwasser aber im Rathaus nicht.", "de"),
    ],
)  # fmt: skip
def test_a_denial_is_still_a_denial(approved: str, post: str, language: str) -> None:
    # The narrower readings above (conditions, asides, values taken back, particles) leave these alone.
    assert "claim" in [
        c.kind for c in compare.conflicts(facts.extract(post, language), facts.extract(approved, language))
    ]


@pytest.mark.parametrize(
    ("text", "language", "slot"),
    [
        ("De informatiebijeenkomst in Ede staat gepland voor 20.00 uur.", "nl", "time:at"),  # "voor" is "for" too
        ("Meld u vóór 12.00 uur bij de balie.", "nl", "time:until"),
        ("Skolan i Kista håller stängt till och med fredag 08.05.", "sv", "date"),  # a weekday before it
    ],
)
def test_words_that_keep_a_time_or_a_date_what_it_is(text: str, language: str, slot: str) -> None:
    assert slot in [f.slot for f in facts.extract(text, language)]


def test_a_finnish_place_left_is_read_after_the_verb() -> None:
    found = facts.extract("Evakuointikeskus siirtyy Hotelli Levistä Kittilän koululle.", "fi")
    assert [(f.slot, f.value) for f in found if f.slot == facts.CONTRAST] == [(facts.CONTRAST, "hotel,lev")]


@pytest.mark.parametrize(
    ("text", "language", "time"),
    [
        ("Broadway opens again at 8 tonight.", "en", "20:00"),
        ("Vesipiste aukeaa klo 8 illalla.", "fi", "20:00"),
        ("Die Halle öffnet um 8 Uhr abends.", "de", "20:00"),
        ("De opvang sluit om 8 uur vanavond.", "nl", "20:00"),
        ("The road opens from 8 until 10 tonight.", "en", "08:00?"),  # only the hour the words follow
    ],
)
def test_a_bare_hour_followed_by_the_evening_is_in_the_evening(text: str, language: str, time: str) -> None:
    assert next(f.value for f in facts.extract(text, language) if f.slot.startswith("time")) == time


def test_a_statement_and_its_negation_conflict() -> None:
    approved = facts.extract("Chlorine leaked from the plant.", "en")
    assert [c.kind for c in compare.conflicts(facts.extract("No chlorine leaked from the plant.", "en"), approved)] == [
        "claim"
    ]


def test_numbers_written_as_words_and_casualty_counts() -> None:
    assert ("people", "2") in slots("Two people were injured at the plant.", "en")
    assert ("people", "3") in slots("Drei Verletzte wurden ins Spital gebracht.", "de")


def test_a_shelter_is_a_place_fact_and_moves_only_when_a_message_says_so() -> None:
    (first,) = [
        f for f in facts.extract("The rest centre at Pyynikki School is open.", "en") if f.slot.startswith("place")
    ]
    (moved,) = [
        f for f in facts.extract("The rest centre moves to Hervanta Library.", "en") if f.slot.startswith("place")
    ]
    (second,) = [
        f for f in facts.extract("A second rest centre opens at Hervanta Library.", "en") if f.slot.startswith("place")
    ]
    assert not compare.same_value(first.value, moved.value)
    assert compare.supersedes(moved, first) and not compare.supersedes(second, first)


@pytest.mark.parametrize(
    ("moves", "old", "new", "language"),
    [
        ("Värmestugan flyttas från Morö Backe skola till Anderstorps sporthall.", "Värmestugan är i Morö Backe skola.",
         "Värmestugan är i Anderstorps sporthall.", "sv"),
        ("The rest centre has moved from Ripon Library to the Hugh Ripley Hall.", "The rest centre is at Ripon Library.",
         "The rest centre is at the Hugh Ripley Hall.", "en"),
        ("Evakuointikeskus on siirretty Kortepohjan koululta Kuokkalan kirjastoon.",
         "Evakuointikeskus on Kortepohjan koululla.", "Evakuointikeskus on Kuokkalan kirjastossa.", "fi"),
    ],
)  # fmt: skip
def test_a_shelter_that_moves_is_where_it_moves_to_not_where_it_was(
    moves: str, old: str, new: str, language: str
) -> None:
    def place(text: str) -> facts.Fact:
        return next(f for f in facts.extract(text, language) if f.slot.startswith("place"))

    assert not compare.same_value(place(moves).value, place(old).value)
    assert compare.same_value(place(moves).value, place(new).value) and "moved" in place(moves).subject


@pytest.mark.parametrize(
    ("text", "language"),
    [("Öppet kl. 9–21 i dag.", "sv"), ("Geöffnet 9.00–21.00 Uhr.", "de"), ("The clinic is open 9am-9pm.", "en")],
)
def test_a_time_range_is_a_from_and_an_until(text: str, language: str) -> None:
    assert {("time:from", "09:00"), ("time:until", "21:00")} <= set(slots(text, language))


def test_phone_numbers_and_english_dates() -> None:
    assert slots("Call 613-555-0142 now.", "en") == []
    assert ("date", "17.3.") in slots("Pupils stay home until March 17th.", "en")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("All pupils stay at home until 17 March.", "en", ("date", "17.3.")),
        ("Die Schule bleibt bis 3. Mai geschlossen.", "de", ("date", "3.5.")),
    ],
)
def test_a_number_before_a_month_is_a_date_not_a_time(text: str, language: str, expected: tuple[str, str]) -> None:
    found = slots(text, language)
    assert expected in found and not any(slot.startswith("time:") for slot, _ in found)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Informationsmötet börjar kl. 17 i skolan.", "sv"),
        ("The public meeting starts at 5 pm.", "en"),
        ("Die Versammlung beginnt um 17 Uhr.", "de"),
    ],
)
def test_a_start_is_the_time_something_runs_from(text: str, language: str) -> None:
    assert ("time:from", "17:00") in slots(text, language)


def test_a_sentence_opening_with_a_pronoun_speaks_of_the_place_before() -> None:
    (closing,) = [
        f for f in facts.extract("Kommunen öppnar en värmestuga i Kåge. Den är öppen till kl. 20.00.", "sv")
        if f.slot == "time:until"
    ]  # fmt: skip
    assert "kåg" in closing.names and facts.FACILITY <= closing.subject


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Notrufnummern sind weder übers Festnetz noch übers Handy erreichbar.", "de"),
        ("Nödnumren går varken att nå via fast telefon eller mobil.", "sv"),
        ("Emergency numbers can be reached neither by landline nor by mobile.", "en"),
    ],
)
def test_neither_nor_negates_a_statement(text: str, language: str) -> None:
    assert [f.value for f in facts.extract(text, language) if f.slot == "claim"] == ["negative"]


def test_finnish_evacuation_in_everyday_words_is_an_instruction() -> None:
    assert ("shelter", "evacuate") in slots("Asukkaita pyydetään siirtymään evakkoon klo 14 mennessä.", "fi")
    assert ("shelter", "indoors") in slots("Evakkoon ei tarvitse lähteä, pysykää kotona.", "fi")


def test_days_are_read_as_dates_from_the_moment_of_writing() -> None:
    wednesday = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    approved = facts.on(facts.extract("The school stays closed until Thursday.", "en"), wednesday, "en")
    post = facts.on(facts.extract("Die Schule bleibt bis morgen zu.", "de"), wednesday, "de")
    assert [f.value for f in approved if f.slot == "date"] == ["5.3."]
    assert [f.value for f in post if f.slot == "date"] == ["5.3."]
    # The same "tomorrow" a day later is another day.
    later = facts.on(facts.extract("Die Schule bleibt bis morgen zu.", "de"), wednesday + timedelta(days=1), "de")
    assert [f.value for f in later if f.slot == "date"] == ["6.3."]


@pytest.mark.parametrize(
    ("language", "utc", "day"),
    [
        ("fi", datetime(2026, 3, 4, 22, 30, tzinfo=UTC), "6.3."),  # 00:30 on Thursday in Helsinki
        ("sv", datetime(2026, 3, 4, 22, 30, tzinfo=UTC), "5.3."),  # 23:30 on Wednesday in Stockholm
        ("de", datetime(2026, 6, 30, 22, 15, tzinfo=UTC), "2.7."),  # 00:15 on 1 July in Berlin (summer time)
        ("en", datetime(2026, 6, 30, 22, 15, tzinfo=UTC), "1.7."),  # 23:15 on 30 June in London
    ],
)
def test_days_are_read_on_the_calendar_where_the_language_is_written(language: str, utc: datetime, day: str) -> None:
    # The desk stores UTC: a bulletin of 00:30 in Helsinki was written on Thursday, and its "tomorrow" is Friday.
    tomorrow = {"fi": "Koulu on suljettu huomenna.", "sv": "Skolan är stängd i morgon.",
                "de": "Die Schule bleibt morgen zu.", "en": "The school is closed tomorrow."}  # fmt: skip
    read = facts.on(facts.extract(tomorrow[language], language), utc, language)
    assert [f.value for f in read if f.slot == "date"] == [day]


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        ("Rokotus lauantaina klo 10.", "fi", "7.3."),  # an inflected Finnish day
        ("Tre barn blev sjuka efter badet i söndags.", "sv", "1.3."),  # the past week's
        ("We swam there last Sunday.", "en", "1.3."),
        ("Am letzten Sonntag waren wir dort.", "de", "1.3."),
        ("Afgelopen zondag zwommen we daar.", "nl", "1.3."),
        ("Viime sunnuntaina uimme siellä.", "fi", "1.3."),
        ("Die Halle öffnet am Sonntag.", "de", "8.3."),  # the coming one
        ("The last Sunday of March is the day.", "en", "8.3."),  # a month's last, not the past week's
    ],
)
def test_a_weekday_is_the_coming_one_unless_said_of_the_past_week(text: str, language: str, day: str) -> None:
    wednesday = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert [f.value for f in facts.on(facts.extract(text, language), wednesday, language) if f.slot == "date"] == [day]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Guten Morgen! Die Halle ist offen.", "de"),
        ("Heute Morgen war es ruhig.", "de"),
        ("Vanmorgen was het rustig.", "nl"),
    ],
)
def test_the_morning_is_not_tomorrow(text: str, language: str) -> None:
    assert not [f for f in facts.extract(text, language) if f.slot == "date"]


def test_a_verbatim_repost_changes_no_fact_in_its_words() -> None:
    day = datetime(2026, 1, 30, 13, 0, tzinfo=UTC)
    text = "Woonboten in de Ossenwaard moeten uiterlijk morgen 10.00 uur verlaten worden."
    message = facts.on(facts.extract(text, "nl"), day, "nl")
    repost = facts.on(facts.extract(text, "nl"), day + timedelta(days=1), "nl")
    assert compare.conflicts(repost, message) and not compare.changed(repost, message)


@pytest.mark.parametrize(
    ("failed", "negated", "language"),
    [
        ("Das Festnetz ist weiterhin gestört.", "Das Festnetz ist weiterhin nicht erreichbar.", "de"),
        (
            "The emergency numbers are unreachable from landlines.",
            "The emergency numbers are not reachable from landlines.",
            "en",
        ),
        ("Telefonlinjen till kommunhuset är nere.", "Telefonlinjen till kommunhuset fungerar inte.", "sv"),
    ],
)
def test_a_word_of_failure_states_a_negative_like_a_negation(failed: str, negated: str, language: str) -> None:
    def polarity(text: str) -> list[str]:
        return [f.value for f in facts.extract(text, language) if f.slot == "claim"]

    assert polarity(failed) == polarity(negated) == ["negative"]


def test_an_attribution_alone_states_nothing() -> None:
    claims = [f.text for f in facts.extract("According to the weather service, the heat warning runs to Friday.", "en")
              if f.slot == "claim"]  # fmt: skip
    assert claims and not any(c.lower().startswith("according to") for c in claims)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Het advies om ramen en deuren te sluiten is ingetrokken.", "nl"),
        ("Uppmaningen att hålla dörrar och fönster stängda upphörde kl 21.00.", "sv"),
        ("Die Empfehlung, Fenster und Türen geschlossen zu halten, ist aufgehoben.", "de"),
        ("The advice to keep windows closed has been lifted.", "en"),
    ],
)
def test_lifted_advice_points_the_other_way(text: str, language: str) -> None:
    assert ("windows", "open") in slots(text, language)


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("Fenster und Türen müssen nicht mehr geschlossen bleiben.", "de", "open"),
        ("You no longer need to keep windows closed.", "en", "open"),
        ("You don't have to keep your windows closed any more.", "en", "open"),
        ("Residents no longer need to boil water.", "en", "safe"),
        # A negation the phrase names itself, and advice whose lifting is negated, keep their direction.
        ("Bitte nicht lüften.", "de", "closed"),
        ("Kraanwater niet drinken.", "nl", "boil"),
        ("Keep your windows shut in Morfa folks, council hasn't lifted it yet", "en", "closed"),
        ("Die Empfehlung, Fenster geschlossen zu halten, ist noch nicht aufgehoben.", "de", "closed"),
    ],
)
def test_advice_one_need_not_follow_any_more_points_the_other_way(text: str, language: str, value: str) -> None:
    assert [v for s, v in slots(text, language) if s in ("windows", "water")] == [value]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # A need the sentence states, not one a negation lifts.
        ("Can't believe we have to boil water again", "en", [("water", "boil")]),
        ("Residents who are not sure have to stay indoors", "en", [("shelter", "indoors")]),
        # A negated lifting says the advice holds; its negation is not the advice's.
        ("Police haven't lifted the evacuation of Morfa Lane yet.", "en", [("shelter", "evacuate")]),
        ("They haven't lifted the boil water notice for Morfa yet.", "en", [("water", "boil")]),
        # A negation in the advice's own name does not negate its lifting.
        ("Rådet att inte dricka vattnet gäller inte längre.", "sv", [("water", "safe")]),
    ],
)
def test_a_negation_belongs_to_the_words_it_stands_before(text: str, language: str, expected: list) -> None:
    assert [s for s in slots(text, language) if s[0] in ("water", "shelter", "windows")] == expected


def test_a_question_with_an_emoji_after_its_mark_states_nothing() -> None:
    assert slots("Ik kan mijn kinderen pas om 9u15 brengen, nemen ze die dan nog aan in Netepark? 🙏", "nl") == []
    # A tag question still states; "?!" exclaims; a question in brackets is an aside of a statement.
    assert ("shelter", "outdoors") in slots("Morfa residents can go outside again, right? 😅", "en")
    assert ("time:at", "20:00") in slots("They are closing the Withybush rest centre at 8pm?!", "en")
    assert ("time:until", "20:00") in slots("Rest centre open until 8pm (anyone know if pets are allowed?)", "en")


@pytest.mark.parametrize(
    ("text", "language", "denied"),
    [
        ("Ein Notquartier steht im Pfarrsaal bereit, nicht wie zuerst gemeldet in der Sporthalle Haselstauden.", "de",
         ["haselstaud"]),
        ("The rest centre opens at Hope Hall, not as announced earlier at the Brunel Centre.", "en", ["brunel,centr"]),
        ("De opvang is in 't Schaliken en niet, zoals eerder gemeld, in Netepark.", "nl", ["netepark"]),
        # "not only" denies nothing; "not as bad as reported by" names a source, not a place set aside.
        ("Residents must boil tap water in all of Pembroke Dock, not only Morfa.", "en", []),
        ("The smoke over Morfa is not as bad as reported by Western Telegraph.", "en", []),
    ],
)  # fmt: skip
def test_a_place_set_aside_as_it_was_first_announced_is_denied(text: str, language: str, denied: list) -> None:
    assert [v for s, v in slots(text, language) if s == "contrast"] == denied


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr Uferwäg isch ab füfi wieder offe", [("time:from", "05:00?")]),
        ("Gottesdienst isch hüt am zäni uf dr Schützematt", [("time:at", "10:00?")]),
        ("Morn isch de Schalter nur bis am 12i offe", [("time:until", "12:00?")]),
        # An hour set aside, a clock face this does not read, and a count are no hours here.
        ("nid am zäni sondern am elfi gahts wiiter", [("time:at", "11:00?")]),
        ("Erschte Zug wieder dure am viertel ab sächsi", []),
        ("Das Haus hat vieri Zimmer.", []),
    ],
)
def test_swiss_german_hours_with_their_i(text: str, expected: list[tuple[str, str]]) -> None:
    assert [s for s in slots(text, "de") if s[0].startswith("time")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Neuvonta aukeaa huomenna vasta seittemältä.", ("time:from", "07:00?")),
        ("Auki kaheksaan asti.", ("time:until", "08:00?")),
        ("Tuu ennen seittemää.", ("time:until", "07:00?")),
        ("Kaupunki kerää kalat tänään kello kahdesta alkaen.", ("time:from", "02:00?")),
    ],
)
def test_spoken_finnish_hours_and_the_hour_something_starts_from(text: str, expected: tuple[str, str]) -> None:
    assert expected in slots(text, "fi")
    assert slots("Kahdesta lapsesta toinen on sairas.", "fi") == []  # of two children: no hour


def test_each_clause_keeps_its_own_place_for_an_instruction() -> None:
    found = [(f.slot, f.value, sorted(f.names)) for f in facts.extract(
        "Het advies om ramen te sluiten geldt alleen nog voor Bennekom; in Ede-Zuid mogen ramen weer open.", "nl")
        if f.slot == "windows"]  # fmt: skip
    assert found == [("windows", "closed", ["bennekom"]), ("windows", "open", ["ede-zuid"])]


def test_one_kind_of_shelter_however_it_is_inflected() -> None:
    kinds = {f.slot for text in ("En värmestuga öppnar i Kåge skola.", "Värmestugan i Kåge skola är öppen.")
             for f in facts.extract(text, "sv") if f.slot.startswith("place:")}  # fmt: skip
    assert kinds == {"place:värmestug"}


def test_a_duration_in_two_parts_is_one_duration() -> None:
    assert slots("Seisoin Prostvikissa 2 h 10 min.", "fi") == [("duration", "7800")]
    assert slots("Die Wartezeit beträgt 1 Stunde 30 Minuten.", "de") == [("duration", "5400")]
    assert slots("Boil for 5 minutes and cool for 10 minutes.", "en") == [("duration", "300"), ("duration", "600")]


@pytest.mark.parametrize(
    ("text", "language", "minutes"),
    [("Buses run every 30 minutes.", "en", ["30"]), ("The ferry runs hourly.", "en", ["60"]),
     ("Bussarna går varannan timme.", "sv", ["120"]), ("Tåg var 20:e minut.", "sv", ["20"]),
     ("Lautta kulkee puolen tunnin välein.", "fi", ["30"]), ("Alus kulkee kahden tunnin välein.", "fi", ["120"]),
     ("Die Fähre fährt alle zwei Stunden.", "de", ["120"]), ("Der Bus fährt stündlich.", "de", ["60"]),
     ("De pont vaart om het half uur.", "nl", ["30"]), ("De bus rijdt elk kwartier.", "nl", ["15"]),
     ("Vänta en timme innan du dricker vattnet.", "sv", []),
     ("Väntetiden på akuten var 1 timme i går.", "sv", []), ("Bussen går varje timme.", "sv", ["60"])],
)  # fmt: skip
def test_how_often_something_runs_is_a_frequency_not_a_duration(text: str, language: str, minutes: list[str]) -> None:
    found = facts.extract(text, language)
    assert [f.value for f in found if f.slot == facts.FREQUENCY] == minutes
    assert not minutes or not [f for f in found if f.slot == "duration"]


def test_a_bound_agrees_with_a_value_on_its_side() -> None:
    (over,) = [f for f in facts.extract("Odotusaika voi olla yli kaksi tuntia.", "fi") if f.slot == "duration"]
    (most,) = [f for f in facts.extract("Sperrung im Umkreis von höchstens 500 Metern.", "de") if f.slot == "distance"]
    assert (over.value, most.value) == (">7200", "<500")
    assert compare.same_value(over.value, "7800") and not compare.same_value(over.value, "3600")
    assert compare.same_value(most.value, "300") and not compare.same_value(most.value, "2000")
    assert compare.same_value(">600", "<1200"), "two bounds of opposite directions say too little"
    assert not compare.same_value(">180", ">300"), "boiling at least 3 minutes is not at least 5"
    assert not compare.same_value("<2000", ">5000"), "at most 2 km and more than 5 km cannot both hold"
    # Swedish "under" is "for" as often as "less than": "avstängd under 3 timmar" is closed for 3 hours.
    assert ("duration", "10800") in slots("Vägen är avstängd under 3 timmar.", "sv")


def test_a_word_that_starts_with_a_number_word_is_no_quantity() -> None:
    # "am" is not "a m(etre)"; "a km" is a kilometre.
    assert [s for s in slots("Wir treffen uns am Rosenplatz.", "de") if s[0] == "distance"] == []
    assert [s for s in slots("Stay a km away.", "en") if s[0] == "distance"] == [("distance", "1000")]


def claims(text: str, language: str) -> list[str]:
    return [f.value for f in facts.extract(text, language) if f.slot == "claim"]


def test_a_negation_reaches_to_and_not_past_it() -> None:
    # "Warns residents not to touch debris and to keep children and pets inside": one negative, one positive.
    found = claims("De gemeente waarschuwt om brandresten niet aan te raken en kinderen en huisdieren binnen te houden.",
                   "nl")  # fmt: skip
    assert "negative" in found and "positive" in found
    # Two nouns joined by "and" are one side: "children and pets" stays with what is said of them.
    assert claims("Kinderen en huisdieren moeten niet naar buiten.", "nl") == ["negative"]


def test_finnish_conjunctions_with_the_negation_verb_negate() -> None:
    # "ettei" is "että ei": "the city says that no dangerous levels were found".
    assert claims("Kaupunki kertoo, ettei mittauksissa ole havaittu vaarallisia pitoisuuksia.", "fi")[-1] == "negative"


def test_a_german_noun_in_a_sentence_about_a_shelter_is_no_place() -> None:
    assert not [s for s in slots("In der Notunterkunft können leider keine Haustiere aufgenommen werden.", "de")
                if s[0].startswith("place:")]  # fmt: skip
    assert [s for s in slots("Die Notunterkunft ist in der Gesamtschule Schinkel.", "de") if s[0].startswith("place:")]


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("Omwonenden mogen vanaf half acht terug naar huis.", "nl", "07:30?"),
        ("Die Entschärfung beginnt um halb fünf.", "de", "04:30?"),
        ("Vi öppnar kvart i tolv.", "sv", "11:45?"),
        ("Bussi lähtee puoli kahdeksan.", "fi", "07:30?"),
        ("Doors open at half past seven.", "en", "07:30?"),
        ("Treffen um Viertel nach 3.", "de", "03:15?"),
    ],
)
def test_a_time_read_off_the_clock_face_in_words(text: str, language: str, value: str) -> None:
    assert [v for s, v in slots(text, language) if s.startswith("time:")] == [value]
    # Either half of the day, as a bare hour: "half acht" agrees with 19:30.
    assert compare.same_value(value, f"{int(value[:2]) + 12}:{value[3:5]}")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Do Not Swim notice at Silverstrand has been lifted.", "en"),
        ("Die Sperrung der Brücke ist aufgehoben.", "de"),
        ("Avspärrningen vid skolan är hävd.", "sv"),
        ("De afzetting in Osseveld is opgeheven.", "nl"),
        ("Uimakielto on poistettu.", "fi"),
    ],
)
def test_a_ban_that_is_lifted_leaves_something_open(text: str, language: str) -> None:
    assert ("state", "open") in slots(text, language)


def test_a_number_in_words_after_a_negation_is_a_value_set_aside_not_a_denial() -> None:
    # "closes at half seven, not eight" states the closing, as "not 20:00" would.
    assert claims("The queue closes at half seven not eight.", "en") == ["positive"]
    assert claims("Die Ausgabe schliesst um sieben, nicht um acht.", "de")[0] == "positive"
    # "one" is as often an article: "not one bus" still denies; and a number that counts what the
    # statement denies is part of it.
    assert claims("Not one bus came to the stop this morning.", "en") == ["negative"]
    assert claims("None of the three injured is in critical condition.", "en") == ["negative"]
    assert claims("Keine der drei Schulen ist vom Wasserausfall betroffen.", "de") == ["negative"]
    assert claims("Die Warnung darf nicht außer Acht gelassen werden.", "de") == ["negative"]
    # "no more than two packs" bounds a value, which "max 2 packs" agrees with.
    assert claims("Please take no more than two packs per household.", "en") == ["positive"]


def test_an_english_contracted_negation_negates() -> None:
    # The tokenizer cuts "don't" into "don", "t": the negation is read before that.
    assert claims("Please don't swim or paddle at Ladies Beach.", "en") == ["negative"]
    assert claims("Please don’t swim or paddle at Ladies Beach.", "en") == ["negative"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Do Not Swim notice remains in place at Ladies Beach.", "en"),
        ("Das Badeverbot gilt weiterhin.", "de"),
        ("Badförbudet kvarstår.", "sv"),
        ("Het zwemverbod blijft van kracht.", "nl"),
        ("Uimakielto on edelleen voimassa.", "fi"),
    ],
)
def test_a_ban_that_still_holds_keeps_something_closed(text: str, language: str) -> None:
    assert ("state", "closed") in slots(text, language)


def test_stems_agreeing_on_a_prefix_count_once_as_a_shared_word() -> None:
    # A village and the street named after it share one word with "the village hall", not two.
    assert compare.shared_subject(frozenset({"hissö", "hissöväg"}), frozenset({"hissö", "bygdegård"})) == {"hissö"}
    assert compare.shared_subject(frozenset({"bürgertelefons"}), frozenset({"bürgertelefon"})) == {"bürgertelefons"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Evakuoitujen kokoontumispaikka on siirretty Verkatehtaalle.", "fi"),
        ("Die Evakuierten sind im Pfarrsaal untergebracht.", "de"),
        ("De geëvacueerden worden opgevangen in het gemeentehuis.", "nl"),
        ("De evakuerade boende har fått tak över huvudet på hotellet.", "sv"),
        ("The evacuated residents are at the school.", "en"),
    ],
)
def test_the_people_an_evacuation_moved_are_no_advice_to_leave(text: str, language: str) -> None:
    assert not [value for slot, value in slots(text, language) if slot == "shelter"]
    assert ("shelter", "evacuate") in slots("Uimahalli on evakuoitu. Poistukaa alueelta.", "fi")


def test_a_stay_inside_advice_named_as_a_noun_is_the_advice() -> None:
    assert ("shelter", "indoors") in slots("Sisällä pysymisen kehotus laajenee 500 metrin säteelle.", "fi")


@pytest.mark.parametrize(
    ("text", "state"),
    [("Da Soleleitungsweg is imma no gsperrt.", "closed"), ("De Seestroß is wieda offn.", "open")],
)
def test_bavarian_and_austrian_states(text: str, state: str) -> None:
    assert ("state", state) in slots(text, "de")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Anmäl frånvaro per telefon mellan 08 och 10.", "sv", [("time:from", "08:00"), ("time:until", "10:00")]),
        ("Ring expeditionen mellan 7 och 9 imorgon!", "sv", [("time:from", "07:00?"), ("time:until", "09:00?")]),
        ("Das Bürgertelefon ist zwischen 7 und 9 Uhr erreichbar.", "de", [("time:from", "07:00?"), ("time:until", "09:00?")]),
        ("Het loket is tussen 13.00 en 17.00 uur open.", "nl", [("time:from", "13:00"), ("time:until", "17:00")]),
        ("Escorted visits between 2 and 4 pm.", "en", [("time:from", "14:00"), ("time:until", "16:00")]),
        ("Neuvonta palvelee klo 9 ja 15 välillä.", "fi", [("time:from", "09:00?"), ("time:until", "15:00")]),
        ("Between 7 and 9 people were hurt.", "en", []),
        ("Take it easy outdoors between noon and 7pm.", "en", [("time:from", "12:00"), ("time:until", "19:00")]),
        ("Bleiben Sie zwischen Mittag und 19 Uhr drinnen.", "de", [("time:from", "12:00"), ("time:until", "19:00")]),
        ("Open between 9am and noon.", "en", [("time:from", "09:00"), ("time:until", "12:00")]),
        ("Between the school and the church at 7pm there is a meeting.", "en", [("time:at", "19:00")]),
        ("Ring mellan klockan 07.00 och 09.00.", "sv", [("time:from", "07:00"), ("time:until", "09:00")]),
        ("Open between 12 noon and 7pm.", "en", [("time:from", "12:00"), ("time:until", "19:00")]),
    ],
)  # fmt: skip
def test_a_range_of_hours_in_words(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert [s for s in slots(text, language) if s[0].startswith("time:")] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Alla inom 2 km ska stanna inomhus.", "sv"),
        ("Pidä ikkunat kiinni 2 km:n säteellä.", "fi"),
        ("Fenster im Umkreis von 500 Metern geschlossen halten.", "de"),
        ("Der Evakuierungsbereich wird auf 1 km erweitert.", "de"),
        ("Binnen 800 meter ramen dicht.", "nl"),
        ("The cordon is now 800 metres.", "en"),
        ("Evakuointisäde on kolme kilometriä.", "fi"),
        ("Laut Stadt ist der Radius wieder auf 200 Meter verkleinert.", "de"),
        ("A 1.5 km evacuation zone is in place.", "en"),
        ("Die Sperrzone umfasst ca. 2 km.", "de"),
    ],
)
def test_a_distance_that_is_a_zones_reach_is_read_as_a_radius(text: str, lang: str) -> None:
    distances = [f for f in facts.extract(text, lang) if f.slot == "distance"]
    assert distances and all(f.radius for f in distances)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I live 1 km from the cordon area.", "en"),
        ("Jääpadon pituus on noin kolme kilometriä.", "fi"),  # a length
        ("Vedenpinta nousee vielä 1,2 metriä.", "fi"),  # a height
        ("Wir wohnen 2 km vom Sperrgebiet entfernt.", "de"),
        ("Översvämning: vattnet har stigit 1,2 meter i området vid bron.", "sv"),  # a plain word for an area
        ("Gas leak: ozone readings are normal 3 km downwind.", "en"),
        ("We live 3 km outside the zone, all quiet here.", "en"),
        ("Kaasuvuoto: asumme 2 km:n päässä eristetyltä alueelta.", "fi"),
        ("Im Bereich der Brücke ist der Pegel um 1,5 Meter gestiegen.", "de"),
    ],
)
def test_a_length_a_height_or_a_distance_from_a_point_is_no_radius(text: str, lang: str) -> None:
    distances = [f for f in facts.extract(text, lang) if f.slot == "distance"]
    assert distances and not any(f.radius for f in distances)


def test_finnish_number_words_are_read_in_the_genitive_too() -> None:
    assert ("distance", "2000") in slots("Pidä ikkunat kiinni kahden kilometrin säteellä.", "fi")
    assert ("duration", "300") in slots("Keittäkää vesi viiden minuutin ajan.", "fi")


@pytest.mark.parametrize(
    ("text", "lang", "slot", "value"),
    [("Laut Gemeinde san eh nur 40 Leut' drin.", "de", "people", "40"),
     ("Akuten har 12 patienter i väntrummet.", "sv", "people", "12"),
     ("20 families were moved out overnight.", "en", "households", "20"),
     ("20 Familien wurden evakuiert.", "de", "households", "20")],
)  # fmt: skip
def test_everyday_words_for_people_and_households_count_them(text: str, lang: str, slot: str, value: str) -> None:
    assert (slot, value) in slots(text, lang)


def test_english_words_match_their_own_inflections_only() -> None:
    # "shuttle" had read as "shut": the bus running until 20:00 became a closure ending at 20:00.
    assert ("time:until", "20:00") in slots("The shuttle bus runs until 20:00 from Mill Lane.", "en")
    assert not any(slot == "state" for slot, _ in slots("The shuttle bus runs every hour.", "en"))
    assert ("state", "closed") in slots("The A61 is shut.", "en")
    assert ("state", "closed") in slots("The footbridge shuts when the wind picks up.", "en")
    assert ("state", "open") in slots("The bridge reopened this morning.", "en")


@pytest.mark.parametrize(
    ("text", "language", "direction"),
    [
        ("Bewoners van de flat mogen vanavond weer naar binnen.", "nl", "return"),
        ("De boende i nummer 14 får nu återvända till sina lägenheter.", "sv", "return"),
        ("Kotiin voi palata aikaisintaan maanantaina.", "fi", "return"),
        ("Die Anwohner dürfen ab 19 Uhr zurück in ihre Wohnungen.", "de", "return"),
        ("Residents can now return home.", "en", "return"),
        # Not allowed home: still evacuated.
        ("De boende får inte flytta tillbaka förrän i morgon.", "sv", "evacuate"),
        ("Residents cannot return home tonight.", "en", "evacuate"),
    ],
)
def test_going_home_after_an_evacuation_is_the_shelter_instruction_s_other_direction(
    text: str, language: str, direction: str
) -> None:
    assert ("shelter", direction) in slots(text, language)


def test_a_neighbour_saying_they_may_go_home_contradicts_a_message_that_keeps_them_evacuated() -> None:
    approved = facts.extract("The homes on Mill Road stay evacuated tonight. The rest centre is open.", "en")
    post = facts.extract("Mill Road residents can return home tonight, the council says.", "en")
    assert [(c.kind, c.post, c.approved) for c in compare.conflicts(post, approved)] == [
        ("shelter", "return", "evacuate")
    ]


@pytest.mark.parametrize(
    ("text", "language", "direction"),
    [
        ("Evakueringen av Nyby är hävd och de boende får återvända hem.", "sv", "return"),
        ("Die Evakuierung ist beendet, die Bewohner dürfen zurück in ihre Wohnungen.", "de", "return"),
        ("Evakuointi on päättynyt ja asukkaat voivat palata kotiin.", "fi", "return"),
        ("Bewoners mogen nog niet terug naar huis.", "nl", "evacuate"),  # the negation inside the phrase
        ("Kehotus pysyä sisällä on päättynyt, mutta 500 metrin evakuointialue on edelleen voimassa.", "fi", "evacuate"),
    ],
)
def test_a_lifted_evacuation_sends_people_home_and_advice_still_in_force_is_not_lifted(
    text: str, language: str, direction: str
) -> None:
    assert {value for slot, value in slots(text, language) if slot == "shelter"} & {direction}
    assert ("shelter", "indoors" if direction == "return" else "return") not in slots(text, language)


@pytest.mark.parametrize("text", ["Pupils can go home at 12:00 today.", "Wir können Ihnen leider nicht zurückrufen."])
def test_going_home_from_school_or_calling_back_is_no_evacuation_instruction(text: str) -> None:
    assert not [s for s in slots(text, "en" if text.startswith("Pupils") else "de") if s[0] == "shelter"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # A word of time puts a bare hour word at the end of its clause, before a part of the day, or (in
        # German and Dutch) before the state it gives the time of.
        ("Värmestugan är öppen till sju i kväll.", "sv", ("time:until", "19:00")),
        ("Värmestugan är öppen till sju, sen stänger de.", "sv", ("time:until", "07:00?")),
        ("Die Halle ist bis drei offen.", "de", ("time:until", "03:00?")),
        ("Het opvangpunt is open tot acht vanavond.", "nl", ("time:until", "20:00")),
        ("The rest centre is open until two!", "en", ("time:until", "02:00?")),
        # British "half five" is half past five; Finnish "puoli kuuteen" half way to six.
        ("The rest centre is open till half five.", "en", ("time:until", "05:30?")),
        ("Vesipiste on auki puoli kuuteen asti.", "fi", ("time:until", "05:30?")),
        ("Lämpöpiste aukeaa klo puol kuus.", "fi", ("time:from", "05:30?")),
        # Not before a time is from it on, in any of the ways a language says "not before".
        ("Junat ei kulje ennen kuutta illalla.", "fi", ("time:from", "18:00")),
        ("Die Halle öffnet nicht vor 18 Uhr.", "de", ("time:from", "18:00")),
        ("The road will not reopen until 6 pm.", "en", ("time:from", "18:00")),
        ("Trygghetspunkten öppnar inte förrän vid elva har jag hört.", "sv", ("time:from", "11:00?")),
        ("De weg gaat niet voor 18.00 uur open.", "nl", ("time:from", "18:00")),
        ("Don't return until 6 pm.", "en", ("time:from", "18:00")),
        ("Residents may not return before 6 pm, but the school stays open.", "en", ("time:from", "18:00")),
    ],
)  # fmt: skip
def test_hours_people_write_in_words_or_after_a_negation(text: str, language: str, expected: tuple[str, str]) -> None:
    assert [s for s in slots(text, language) if s[0].startswith("time")] == [expected]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Sperre gilt bis drei Tage nach dem Einsatz.", "de"),  # an hour word that counts days
        ("Det tar upp till sju dagar.", "sv"),
        ("Een tafel voor twee personen.", "nl"),
        ("It is half a mile from the bridge.", "en"),
        ("Er is geen plek voor twee.", "nl"),  # "for two", and no "not before"
        ("Wir zählen bis drei.", "de"),
        ("We are all at one.", "en"),
        ("Ich hab vor zwei, drei Tagen gehört.", "de"),
        ("He said that half ten houses were evacuated.", "en"),
    ],
)
def test_a_number_word_that_counts_something_else_is_no_time(text: str, language: str) -> None:
    assert not [s for s in slots(text, language) if s[0].startswith("time")]


def test_a_time_set_aside_for_another_is_still_taken_back() -> None:
    # "not until 18 but until 20": the negation takes the first value back, it does not make it a start.
    for text in (
        "Die Halle ist nicht bis 18 Uhr, sondern bis 20 Uhr offen.",
        "Die Halle ist nicht bis 18, sondern bis 20 Uhr offen.",
    ):
        assert [s for s in slots(text, "de") if s[0].startswith("time")] == [("time:until", "20:00")]


@pytest.mark.parametrize(
    ("text", "language", "whole"),
    [
        ("Ja hörde på Netto att dom evakuerar hela centrum.", "sv", "centrum"),
        ("Des Wasser muasst jetzt in ganz Sellrain abkochen.", "de", "sellrain"),
        ("Alle Landshuter Schulen bleiben morgen geschlossen.", "de", "landshut"),
        ("Koko keskustan asukkaiden tulee pitää ikkunat kiinni.", "fi", "keskust"),
        ("All beaches in the city are now open for swimming.", "en", "citi"),
        ("Alla i Mariehamn ska hålla fönstren stängda hela dagen.", "sv", "mariehamn"),
        ("Die ganze Altstadt wird evakuiert.", "de", "altstadt"),
        ("Alla i familjen ska stanna inne.", "sv", ""),  # everyone of a family is no place
        # "All" of a thing is no place, and a radius limits what "all" reaches.
        ("Håll alla fönster stängda i huset.", "sv", ""),
        ("Mina: hela dagen evakueras Hamngatan och Strandgatan.", "sv", ""),  # all day, not all of a place
        ("Es ist ganz ruhig in Sellrain, die Schulen sind geschlossen.", "de", ""),  # "ganz" is "quite"
        ("All day the road in Lerwick was closed.", "en", ""),
        ("Alla inom 2 km ska evakueras i hela Hallsberg.", "sv", ""),
    ],
)
def test_an_advice_or_closure_stretched_over_all_of_a_place_knows_the_place(
    text: str, language: str, whole: str
) -> None:
    found = [f for f in facts.extract(text, language) if f.slot in compare.INSTRUCTIONS or f.slot == "state"]
    assert found and {f.whole for f in found} == {whole}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # The Finnish illative on the time is "until"; what is closed until then opens at it.
        ("Rantatunneli on suljettu ainakin kello 23:een.", "fi", [("time:from", "23:00")]),
        ("Rantatunneli pysyy kiinni keskiviikkona puoleenpäivään asti.", "fi", [("time:from", "12:00"), ("date", "weekday 2")]),
    ],
)  # fmt: skip
def test_finnish_cases_on_a_time_and_noon_in_words(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert slots(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("Zur Schule selbst soll niemand kommen.", "de"), ("Er mag niemand naar de school komen.", "nl"),
     ("Nobody should come to the school itself.", "en")],
)  # fmt: skip
def test_nobody_negates_a_statement(text: str, language: str) -> None:
    assert [f.value for f in facts.extract(text, language) if f.slot == "claim"] == ["negative"]


@pytest.mark.parametrize(
    ("language", "unit"), [("en", "until 9 pm "), ("sv", "stängd till kl 22 "), ("fi", "suljettu klo 20 asti ")]
)
def test_a_sentence_of_a_thousand_times_is_read_once_not_once_per_time(
    monkeypatch: pytest.MonkeyPatch, language: str, unit: str
) -> None:
    # A hostile feed's one sentence of 20,000 characters: the words before each time were read again for
    # every time (47 s). Counted in characters read, not seconds, so a busy machine cannot fail it.
    read = []
    spans = lexicon.Phrases.spans
    monkeypatch.setattr(
        lexicon.Phrases, "spans", lambda self, lowered: read.append(len(lowered)) or spans(self, lowered)
    )
    text = unit * (20_000 // len(unit))
    found = facts.extract(text, language)
    assert any(f.slot.startswith("time") for f in found)
    assert sum(read) < 100 * len(text)


@pytest.mark.parametrize(
    ("text", "language", "state"),
    [
        ("Förskolor och skolor i Nacksta håller stängt torsdag 22 januari.", "sv", "closed"),
        ("Die Schule bleibt am Freitag, 12.3., geschlossen.", "de", "closed"),
        ("Moray libraries will close on Thursday.", "en", "closed"),
    ],
)
def test_something_closed_on_a_day_is_closed_that_day(text: str, language: str, state: str) -> None:
    # A date after the state word is the day it holds, not a schedule the way "opens at 1 pm" is.
    assert ("state", state) in [(f.slot, f.value) for f in facts.extract(text, language)]


def test_a_date_that_ends_or_starts_something_still_states_it_as_a_schedule() -> None:
    found = [(f.slot, f.value) for f in facts.extract("Uimahalli on suljettu 12.3. asti.", "fi")]
    assert ("date", "12.3.") in found and not any(slot == "state" for slot, _ in found)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Skärgårdsbåtarna går som vanligt från Fisktorget i eftermiddag.", "sv"),
        ("Die Sprechstunden finden wie gewohnt statt.", "de"),
        ("De markt gaat gewoon door op zaterdag.", "nl"),
        ("Kirjaston palvelut toimivat normaalisti.", "fi"),
        ("The recycling centre is back to normal.", "en"),
    ],
)
def test_back_to_normal_is_open(text: str, language: str) -> None:
    assert ("state", "open") in slots(text, language)


@pytest.mark.parametrize(
    ("text", "language", "count"),
    [
        ("Update: het aantal gewonden is vijftien; vijf van hen liggen in het ziekenhuis.", "nl", "15"),
        ("The number of injured has risen to 15.", "en", "15"),
        ("Antalet skadade är nu tolv.", "sv", "12"),
        ("Die Zahl der Verletzten ist auf 18 gestiegen.", "de", "18"),
        ("Loukkaantuneiden määrä on 15.", "fi", "15"),
        ("Femton skadade har förts till sjukhus.", "sv", "15"),
        ("Fünfzehn Verletzte wurden behandelt.", "de", "15"),
        ("The number of injured rose by 5 to 20.", "en", "20"),  # the last count in reach, not the step
        ("Antalet skadade har stigit från tolv till femton.", "sv", "15"),
        ("Number of injured: 15", "en", "15"),
    ],
)
def test_a_count_in_words_past_twelve_or_after_the_number_of_its_unit(text: str, language: str, count: str) -> None:
    """Counts past twelve in words, and counts written after "the number of" their unit, are counts of it."""
    assert ("people", count) in slots(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The number of injured rose from 15 to 18.", "en"),
        ("Die Zahl der Verletzten stieg von 15 auf 18.", "de"),
        ("Antalet skadade ökade från 15 till 18.", "sv"),
    ],
)
def test_bare_numbers_after_the_number_of_are_counts_not_hours(text: str, language: str) -> None:
    assert slots(text, language) == [("people", "18")]


@pytest.mark.parametrize(
    ("text", "language", "time"),
    [
        ("A number of roads remain closed until 6.", "en", "06:00?"),  # "a number of" is "some"
        ("Een aantal wegen blijft afgesloten tot 12.", "nl", "12:00?"),
        ("Het aantal gewonden is 3; de opvang is open tot 22.", "nl", "22:00"),  # another statement
        ("Het aantal gewonden is 3, de opvang is open tot 22u.", "nl", "22:00"),
        ("Antalet platser är begränsat och värmestugan är öppen till 22.", "sv", "22:00"),
        ("Evakuoitujen määrä on 40 ja evakuointikeskus on auki kahdeksaan asti.", "fi", "08:00?"),
    ],
)
def test_a_count_reaches_no_further_than_its_own_statement(text: str, language: str, time: str) -> None:
    assert time in [value for slot, value in slots(text, language) if slot.startswith("time:")]


def test_a_clock_after_a_count_is_still_a_time() -> None:
    found = slots("Die Zahl der Verletzten ist 4; die Hotline ist ab 15 Uhr erreichbar.", "de")
    assert ("time:from", "15:00") in found and ("people", "4") in found
    assert ("time:from", "15:00") in slots("Antalet skadade är 18. Mottagningen är öppen från 15 till 18.", "sv")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The clinic runs 9am to 5pm.", "en"),
        ("Die Ausgabe ist 9 bis 17 Uhr geöffnet.", "de"),
        ("De opvang is open 9 tot 17 uur.", "nl"),
    ],
)
def test_a_range_in_words_with_a_clock_needs_no_word_before_it(text: str, language: str) -> None:
    assert slots(text, language)[:2] == [("time:from", "09:00"), ("time:until", "17:00")]


def test_a_range_in_words_without_a_clock_is_no_time() -> None:
    assert slots("Expect a wait of 5 to 10 minutes.", "en") == [("duration", "600")]


def test_a_pm_after_a_range_moves_its_first_hour_only_when_it_stays_before_the_second() -> None:
    assert slots("The helpline is open from 9 to 5 pm.", "en") == [("time:from", "09:00"), ("time:until", "17:00")]
    assert slots("Open 2-7pm today.", "en") == [("time:from", "14:00"), ("time:until", "19:00")]


def test_the_number_of_something_that_is_no_unit_counts_nothing() -> None:
    assert slots("Het aantal containers is bijgesteld naar 46.", "nl") == []
    assert slots("The number of the residents' helpline is 01437 775000.", "en") == []  # a phone number
    assert ("households", "1200") in slots("Het aantal huishoudens zonder stroom is 1.200.", "nl")  # thousands


@pytest.mark.parametrize(
    ("text", "language", "left"),
    [
        ("Vattentanken vid Skutnäs skola flyttas kl. 14 till K-Market Skutnäs parkering.", "sv", "skola"),
        ("The rest centre at Neuadd Ogwen moves to Ysgol Dyffryn Ogwen at 6pm.", "en", "neuadd"),
        ("Het opvangpunt bij sporthal De Vormt wordt verplaatst naar het gemeentehuis.", "nl", "sporthal"),
    ],
)
def test_a_place_moved_from_where_it_stands_is_left(text: str, language: str, left: str) -> None:
    """ "The tank at the school moves to …": where it stands, right before the verb that moves it, is the
    place it leaves, as "moves from the school to …" says it."""
    (place,) = [f for f in facts.extract(text, language) if f.slot.startswith("place:")]
    assert left not in place.value


def test_a_place_that_may_need_moving_has_not_moved() -> None:
    text = "Trygghetspunkten i Näsåker kan behöva flyttas, uppger kommunens samordnare till TÅ."
    assert not [f for f in facts.extract(text, "sv") if f.slot == facts.CONTRAST]
    (place,) = [f for f in facts.extract(text, "sv") if f.slot.startswith("place:")]
    assert "näsåk" in place.value


def test_each_time_of_a_sentence_is_tied_to_its_own_day() -> None:
    text = (
        "Help in person at the Customer First centre today until 6pm and tomorrow, Wednesday 11 March, from 9am to 5pm."
    )
    moment = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    days_of = {(f.slot, f.value): f.day for f in facts.on(facts.extract(text, "en"), moment, "en") if f.day}
    assert days_of == {
        ("time:until", "18:00"): "10.3.",
        ("time:from", "09:00"): "11.3.",
        ("time:until", "17:00"): "11.3.",
    }
    # A day written right after its time is its day; a weekday with its date is that date, whatever week.
    later = "The west bore reopens at 7pm tonight; the east bore stays closed until 6am on Saturday 14 March."
    assert [f.day for f in facts.on(facts.extract(later, "en"), moment, "en") if f.slot.startswith("time")] == [
        "10.3.", "14.3."]  # fmt: skip
    evening = "Neuvonta palvelee tänään klo 16 asti ja huomenna illalla klo 18–20."
    assert [f.day for f in facts.on(facts.extract(evening, "fi"), moment, "fi") if f.slot.startswith("time")] == [
        "11.3.", "11.3.", "10.3."]  # fmt: skip
    train = "Tåget avgick kl. 07.24 torsdag 5 mars och var i City kl. 08.05."
    assert {f.day for f in facts.on(facts.extract(train, "sv"), moment, "sv") if f.slot.startswith("time")} == {"5.3."}


def test_a_slashed_date_is_a_date_but_not_a_fraction_or_round_the_clock() -> None:
    assert ("date", "14.3.") in slots("Extra spreekuur za 14/3 van 9.00 tot 12.00 uur.", "nl")
    assert not [v for s, v in slots("Open 24/7 at the hall, 1/2 price for children.", "en") if s == "date"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Simhallen stängs i dag, informationsmöte i kväll kl 19.", "sv"),
        ("Uimahalli on suljettu tänään, tiedotustilaisuus illalla klo 19.", "fi"),
        ("Rest centre at St Mary's Hall in the West End at 7pm.", "en"),
    ],
)
def test_a_closing_in_another_clause_or_a_place_called_end_gives_no_end(text: str, language: str) -> None:
    assert ("time:at", "19:00") in slots(text, language)
