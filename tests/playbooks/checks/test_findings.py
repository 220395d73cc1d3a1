"""The checks of one post: what it is about, and each kind of finding with the evidence that explains it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from playbooks.checks import tokens
from playbooks.checks.findings import ApprovedMessage, Finding, IncidentContext, PostView, evaluate

T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def incident(
    keywords: tuple[str, ...], messages: tuple[ApprovedMessage, ...], title: str, organisation: str
) -> IncidentContext:
    """Incident 1, opened an hour before T0, with these approved messages."""
    return IncidentContext(1, keywords, T0 - timedelta(hours=1), messages, title, organisation)


FIRST = ApprovedMessage.of(7, "Brand i Östmark. Håll fönster stängda. Värmestugan i Folkets hus är öppen till kl. 20.00. "
                           "Nästa information kommer kl. 09.00.", "sv", T0)  # fmt: skip
# A later update moves the shelter's closing time; it does not revise the first message.
LATER = ApprovedMessage.of(8, "Värmestugan i Folkets hus är nu öppen till kl. 22.00.", "sv", T0 + timedelta(hours=2))
FIRE = incident(("brand", "rök"), (FIRST, LATER), "Brand i Östmark", "Torsby kommun")


def findings(text: str, kind: str | None = "watch", name: str = "", minutes: int = 10, title: str = "",
             author: str = "", platform: str = "") -> dict[str, Finding]:  # fmt: skip
    post = PostView(text, T0 + timedelta(minutes=minutes), kind, name, "sv", title, author, platform)
    return {f.kind: f for f in evaluate(post, [FIRE], "Torsby kommun", ("Torsby kommun",))}


def inconsistency(
    text: str, incident: IncidentContext, lang: str, after: timedelta = timedelta(minutes=10)
) -> Finding | None:
    """The `inconsistent` finding a watched post published `after` T0 gets in `incident`, if any."""
    post = PostView(text, T0 + after, "watch", "", lang)
    return next((f for f in evaluate(post, [incident], incident.organisation) if f.kind == "inconsistent"), None)


def test_a_rumour_flag_explains_itself() -> None:
    flag = findings("Jag hörde att röken är giftig!!! Sprid detta")["rumour"]
    assert flag.rule == "R2" and flag.incident == 1 and flag.score > 0.5
    assert "hearsay: jag hörde" in flag.evidence["cues"] and "share: sprid detta" in flag.evidence["cues"]
    assert flag.evidence["about"] == ["rök"]


def test_a_rumour_without_a_keyword_is_flagged_for_its_timing_with_a_lower_score() -> None:
    with_keyword = findings(
        "Det sägs att röken är giftig, min kusin som jobbar på sjukhuset säger att kommunen mörkar det"
    )
    without = findings("Det sägs att två är döda, min kusin som jobbar på sjukhuset säger att kommunen mörkar det")
    assert without["rumour"].evidence["about"] == ["only its timing: posted while the incident is open"]
    assert without["rumour"].score < with_keyword["rumour"].score


def test_the_units_own_posts_are_not_rumours_but_routed_or_not() -> None:
    assert "rumour" not in findings("Det sägs att röken är giftig. Sprid!", kind="social")


def test_an_inconsistency_shows_the_facts_side_by_side() -> None:
    flag = findings("Branden: nästa information kl. 11.00")["inconsistent"]
    assert flag.message == 7
    (conflict,) = flag.evidence["conflicts"]
    assert (conflict["kind"], conflict["post"], conflict["approved"]) == ("time:next", "11:00", "09:00")


def test_facts_are_read_as_of_the_posts_time() -> None:
    before, after = 30, 180  # minutes: before and after the later update moved the closing time
    assert "inconsistent" not in findings("Branden: värmestugan i Folkets hus är öppen till kl. 20.00", minutes=before)
    stale = findings("Branden: värmestugan i Folkets hus är öppen till kl. 20.00", minutes=after)["inconsistent"]
    (conflict,) = stale.evidence["conflicts"]
    assert conflict["superseded_by"] == 8 and conflict["approved"] == "22:00"
    assert "inconsistent" not in findings("Branden: värmestugan i Folkets hus är öppen till kl. 22.00", minutes=after)


def test_a_fact_the_approved_messages_do_not_state_is_not_a_contradiction() -> None:
    assert "inconsistent" not in findings("Branden: skolan stänger kl. 12.00")


def test_an_instruction_of_the_opposite_direction_contradicts() -> None:
    assert "inconsistent" in findings("Branden är över, ni kan öppna fönstren igen")


def test_a_cut_title_states_no_time_and_a_headline_is_no_next_update() -> None:
    cut = findings("Värmestugan i Folkets hus är nu öppen till kl. 22.00.", kind="website", minutes=150,
                   title="Värmestugan i Folkets hus är nu öppen till kl. 2…")  # fmt: skip
    assert "inconsistent" not in cut and "unrouted" not in cut
    headline = findings("Värmestugan i Folkets hus är nu öppen till kl. 22.00.", kind="website", minutes=150,
                        title="Uppdatering: värmestugan öppen till kl. 22.00")  # fmt: skip
    assert "inconsistent" not in headline


def test_an_official_post_that_is_no_approved_message_is_unrouted() -> None:
    flag = findings("På grund av branden är biblioteket i Östmark stängt i dag.", kind="social")["unrouted"]
    assert flag.rule == "R1" and flag.evidence["closest_message"] in (7, 8, None)
    assert "unrouted" not in findings("Biblioteket har öppet till kl. 19 i kväll.", kind="social")  # not about the fire


def test_a_faithful_shortened_copy_with_a_link_is_routed() -> None:
    text = "Brand i Östmark: håll fönster stängda. Värmestugan i Folkets hus är öppen till kl. 20.00. https://torsby.se/brand"
    assert findings(text, kind="social") == {}


def test_one_sentence_of_a_message_posted_alone_is_routed_but_not_once_negated() -> None:
    """Too few words to pass as a shortened copy of the whole message, and nothing of its own."""
    assert findings("Håll fönster stängda. Mer: https://torsby.se/brand", kind="social") == {}
    assert "unrouted" in findings("Håll inte fönster stängda. Mer: https://torsby.se/brand", kind="social")


def test_sentences_of_two_messages_in_force_put_together_are_routed() -> None:
    """The update's news with an instruction of the first message, both in force: approved words only."""
    update = ApprovedMessage.of(9, "Branden är under kontroll. Räddningstjänsten stannar kvar under natten. Vägen "
                                "mellan Östmark och Lekvattnet är avstängd.", "sv", T0 + timedelta(hours=2))  # fmt: skip
    fire = incident(("brand", "rök"), (FIRST, LATER, update), "Brand i Östmark", "Torsby kommun")

    def flags(text: str) -> set[str]:
        post = PostView(text, T0 + timedelta(minutes=150), "social", "Torsby kommun", "sv")
        return {f.kind for f in evaluate(post, [fire], "Torsby kommun", ("Torsby kommun",))}

    assert flags("Branden är under kontroll. Håll fönster stängda.") == set()
    assert "unrouted" in flags("Branden är under kontroll. Håll fönster öppna.")
    # The first message's own sentence, but its closing time moved by the later update: no longer in force.
    assert {"unrouted", "inconsistent"} <= flags("Branden är under kontroll. Värmestugan i Folkets hus är öppen "
                                                  "till kl. 20.00.")  # fmt: skip


def test_a_post_from_long_before_the_incident_or_about_something_else_is_left_alone() -> None:
    assert findings("Jag hörde att röken är giftig!!!", minutes=-5 * 60) == {}  # four hours before it opened
    assert findings("Bussen till Oslo är inställd i dag enligt Värmlandstrafik") == {}


def test_a_rumour_of_the_hours_before_the_incident_opened_is_flagged_with_its_lead() -> None:
    early = findings("Jag hörde att röken är giftig!!!", minutes=-120)["rumour"]
    assert early.evidence["about"][-1] == "posted 60 min before the incident was opened"
    # In the hour before the opening a strong rumour that does not name the incident is linked by its timing
    # alone, with a lower score; earlier than that, timing links nothing.
    unnamed = "Jag hörde att det är giftigt och att de tystar ner det!!! Sprid!"
    timed = findings(unnamed, minutes=-90)["rumour"]
    assert timed.evidence["about"] == ["only its timing: posted 30 min before the incident was opened"]
    assert timed.score == findings(unnamed, minutes=10)["rumour"].score  # as while the incident is open
    assert findings(unnamed, minutes=-150) == {}


@pytest.mark.parametrize("name", ["Torsby Kommun Info", "TorsbyKommunNyheter", "Torsbv kommun", "Torsby Nyheter"])
def test_a_look_alike_name_is_impersonation(name: str) -> None:
    flag = findings("Alla i Östmark ska lämna sina hem nu.", author=name)["impersonation"]
    assert flag.rule == "R5" and flag.evidence["account_name"] == name


@pytest.mark.parametrize("name", ["NWT", "Torsby", "Radio Värmland", "Fryksdalens Nyheter"])
def test_other_names_are_not(name: str) -> None:
    assert "impersonation" not in findings("Brand i Östmark, röken syns långt.", name=name)


def test_speaking_in_the_organisations_name_is_impersonation_unless_a_medium_reports_it() -> None:
    assert "impersonation" in findings("Torsby kommun informerar: stanna inomhus", kind=None)
    assert "impersonation" not in findings("Torsby kommun informerar: stanna inomhus", name="NWT", platform="news")
    assert "impersonation" not in findings("Enligt Torsby kommun ska man stanna inomhus")


def test_a_closing_time_of_the_shelter_is_compared_with_its_approved_hours() -> None:
    # One shared word (the shelter) and no place: the shelter itself says it is the same thing.
    stale = findings("Värmestugan stänger kl. 20 ikväll, kom i tid", minutes=180)["inconsistent"]
    (conflict,) = stale.evidence["conflicts"]
    assert (conflict["post"], conflict["approved"], conflict["superseded_by"]) == ("20:00", "22:00", 8)


def test_a_start_time_is_compared_with_an_approved_time_of_the_same_meeting() -> None:
    meeting = ApprovedMessage.of(9, "Informationsmöte i Östmarks skola kl. 18–20 om branden.", "sv", T0)
    fire = incident(("brand",), (meeting,), "Brand i Östmark", "Torsby kommun")

    def flagged(text: str) -> bool:
        return inconsistency(text, fire, "sv") is not None

    assert flagged("Påminnelse: mötet i Östmarks skola om branden börjar kl. 17 ikväll.")
    assert not flagged("Påminnelse: mötet i Östmarks skola om branden börjar kl. 18 ikväll.")


def test_a_value_is_compared_with_the_approved_fact_about_the_most_nearly_same_thing() -> None:
    # The ferry usually runs every hour; the replacement boat between two named piers every two hours.
    ferry = ApprovedMessage.of(9, "Lautta kulkee normaalisti tunnin välein. Korvaava yhteysalus liikennöi "
                                  "Prostvikin ja Lillmälön välillä kahden tunnin välein.", "fi", T0)  # fmt: skip
    breakdown = incident(("lautta",), (ferry,), "Lautta rikki", "Paraisten kaupunki")

    def flagged(text: str) -> Finding | None:
        return inconsistency(text, breakdown, "fi")

    found = flagged("Korvaava yhteysalus kulkee tunnin välein Prostvikin ja Lillmälön välillä.")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "120"
    assert flagged("Korvaava yhteysalus kulkee kahden tunnin välein Prostvikin ja Lillmälön välillä.") is None


def test_an_instruction_of_the_incident_makes_a_post_about_it_without_a_keyword() -> None:
    assert "inconsistent" in findings("Ni kan öppna fönstren igen nu, skönt!")


def test_another_building_of_the_same_village_is_another_place() -> None:
    shelter = ApprovedMessage.of(9, "Den andra värmestugan öppnar kl. 16.00 i Ersmarks bygdegård, inte i Ersmarks "
                                    "skola som vi skrev tidigare.", "sv", T0)  # fmt: skip
    cold = IncidentContext(
        1, ("strömavbrott",), T0 - timedelta(hours=1), (shelter,), "Strömavbrott", "Skellefteå kommun"
    )

    def flagged(text: str) -> bool:
        return inconsistency(text, cold, "sv") is not None

    assert flagged("Andra värmestugan är i Ersmarks skola, öppet till 22.")
    assert not flagged("Andra värmestugan är i Ersmarks bygdegård, öppet till 22.")


def test_a_post_setting_another_place_against_the_approved_one_contradicts_it() -> None:
    buses = ApprovedMessage.of(9, "Tågtrafiken är inställd. Ersättningsbussar går från Folkets hus.", "sv", T0)
    moved = ApprovedMessage.of(10, "Ersättningsbussar går nu från resecentrum, inte från Folkets hus.", "sv",
                               T0 + timedelta(hours=2))  # fmt: skip
    trains = incident(("tåg",), (buses,), "Urspårning", "Hallsbergs kommun")
    later = incident(("tåg",), (buses, moved), "Urspårning", "Hallsbergs kommun")

    def flagged(text: str, incident: IncidentContext = trains) -> Finding | None:
        return inconsistency(text, incident, "sv", after=timedelta(hours=3))

    found = flagged("Ersättningsbussarna går från resecentrum, inte Folkets hus. Stod på skylten.")
    assert found is not None and found.evidence["conflicts"][0]["kind"] == "contrast"
    assert flagged("Ersättningsbussarna går från Folkets hus, inte resecentrum.") is None  # it repeats the message
    # Once a message itself moves the buses away from Folkets hus, the post says what it says.
    assert flagged("Ersättningsbussarna går från resecentrum, inte Folkets hus.", later) is None
    assert flagged("Tåget går inte, ta bussen.") is None  # a negated verb sets no name against another


def test_a_german_noun_after_nicht_is_no_name_set_against_another() -> None:
    windows = ApprovedMessage.of(9, "Anwohner sollen Fenster und Türen bis 18 Uhr geschlossen halten.", "de", T0)
    smoke = incident(("brand",), (windows,), "Brand", "Stadt Celle")

    def flagged(text: str) -> bool:
        return inconsistency(text, smoke, "de") is not None

    assert not flagged("Wegen dem Brand: Anwohner sollen bitte nicht Fenster öffnen, sagt die Stadt.")


def test_one_shared_long_compound_ties_a_time_to_the_approved_one() -> None:
    phone = ApprovedMessage.of(9, "Das Bürgertelefon ist täglich von 8 bis 20 Uhr erreichbar.", "de", T0)
    flu = incident(("geflügelpest",), (phone,), "Geflügelpest", "Landkreis Celle")

    def flagged(text: str) -> bool:
        return inconsistency(text, flu, "de") is not None

    assert flagged("Geflügelpest: Bürgertelefon is nur bis 18 Uhr besetzt, also ranhalten Leute")
    assert not flagged("Geflügelpest: Bürgertelefon is bis 20 Uhr besetzt, also ranhalten Leute")


@pytest.mark.parametrize(
    ("language", "approved", "other_end", "same_ends"),
    [("de", "Die B306 zwischen Siegsdorf und Inzell ist gesperrt.", "Die B306 ist zwischen Siegsdorf und Ruhpolding "
      "gesperrt, sagt mein Nachbar.", "Die B306 ist zwischen Inzell und Siegsdorf gesperrt, sagt mein Nachbar."),
     ("nl", "De Bornsestraat is afgesloten tussen de Wierdensestraat en de Haghoekweg.", "Bornsestraat afgesloten "
      "tussen de Wierdensestraat en de Ootmarsumsestraat hoor", "Bornsestraat afgesloten tussen de Haghoekweg en de "
      "Wierdensestraat hoor")],
)  # fmt: skip
def test_a_stretch_with_another_end_contradicts_the_approved_one(language, approved, other_end, same_ends) -> None:
    road = ApprovedMessage.of(9, approved, language, T0)
    closed = incident(("sperrung", "afgesloten"), (road,), "Sperrung", "Landkreis")

    def flagged(text: str) -> bool:
        return inconsistency(text, closed, language) is not None

    assert flagged(other_end)
    assert not flagged(same_ends)  # the same two ends in the other order


def test_another_frequency_of_the_same_service_contradicts_the_approved_one() -> None:
    ferry = ApprovedMessage.of(9, "Lautta kulkee tunnin välein klo 22 asti. Korvaava yhteysalus kulkee kahden tunnin "
                                  "välein.", "fi", T0)  # fmt: skip
    broken = incident(("lautta",), (ferry,), "Lautta", "Paraisten kaupunki")

    def flagged(text: str) -> bool:
        return inconsistency(text, broken, "fi") is not None

    assert flagged("Lautta kulkee puolen tunnin välein, jakakaa")
    assert not flagged("Lautta kulkee tunnin välein, jakakaa")
    assert not flagged("Korvaava yhteysalus kulkee kahden tunnin välein, jakakaa")  # the other service's own


def test_an_instruction_for_several_places_is_compared_place_by_place() -> None:
    first = ApprovedMessage.of(9, "Door de rook adviseren wij inwoners van Ede-Zuid en Bennekom ramen en deuren te "
                                  "sluiten.", "nl", T0)  # fmt: skip
    lifted = ApprovedMessage.of(10, "Het advies om ramen en deuren te sluiten geldt alleen nog voor Bennekom; in "
                                    "Ede-Zuid mogen ramen weer open.", "nl", T0 + timedelta(hours=3))  # fmt: skip
    fire = incident(("natuurbrand",), (first, lifted), "Natuurbrand", "Gemeente Ede")

    def flagged(text: str) -> bool:
        return inconsistency(text, fire, "nl", after=timedelta(hours=4)) is not None

    assert flagged("Inwoners van Ede-Zuid en Bennekom moeten hun ramen nog steeds gesloten houden.")
    assert not flagged("Inwoners van Bennekom moeten hun ramen nog steeds gesloten houden.")


def test_a_state_is_compared_with_the_place_it_names_not_with_one_sharing_its_state_word() -> None:
    # "Avstängd" in the post and "avstängda" in the message are the value, not a shared subject: the post
    # speaks of Norrmalm, which the message says is open again.
    roads = ApprovedMessage.of(9, "De avstängda vägarna i Söder och Väster förblir stängda till i morgon. "
                                  "Norrmalm är öppnat igen.", "sv", T0)  # fmt: skip
    flood = incident(("översvämning",), (roads,), "Översvämning", "Torsby kommun")
    found = inconsistency("Norrmalm är fortfarande avstängd, åk inte dit", flood, "sv")
    assert found is not None
    (conflict,) = found.evidence["conflicts"]
    assert (conflict["post"], conflict["approved"]) == ("closed", "open")
    assert inconsistency("Söder är fortfarande avstängd, åk inte dit", flood, "sv") is None


def test_the_units_own_post_tied_to_an_approved_time_by_the_place_alone_announces_something_else() -> None:
    hut = ApprovedMessage.of(9, "Strömavbrott i Ersmark. Värmestugan i Ersmark är öppen till kl. 20.00.", "sv", T0)
    cold = incident(("strömavbrott",), (hut,), "Strömavbrott", "Skellefteå kommun")

    def kinds(text: str, kind: str) -> set[str]:
        post = PostView(text, T0 + timedelta(minutes=10), kind, "", "sv")
        return {f.kind for f in evaluate(post, [cold], "Skellefteå kommun")}

    # The unit's post names what it speaks of (candles handed out), so it is unrouted, not a wrong time.
    assert kinds("Strömavbrottet: vi delar ut filtar och ljus i Ersmark fram till kl. 14.00.", "social") == {"unrouted"}
    # It still contradicts the hut's time where it names the hut; a neighbour's post that names only the
    # place may well mean the hut.
    assert kinds("Värmestugan i Ersmark är öppen till kl. 18.00.", "social") == {"unrouted", "inconsistent"}
    assert kinds("I Ersmark stänger de redan kl 18 har jag hört", "watch") >= {"inconsistent"}


def test_the_one_end_time_in_force_is_what_a_neighbours_until_time_sharing_a_word_with_it_speaks_of() -> None:
    # The message names the street a sentence before its time; the post names the street with its time.
    crash = ApprovedMessage.of(9, "En tankbil har vält vid Storgatan i Ersmark. Området runt olycksplatsen är "
                                  "avspärrat medan bärgningen pågår, beräknat till kl. 13.00.", "sv", T0)  # fmt: skip
    road = incident(("tankbil",), (crash,), "Tankbil", "Skellefteå kommun")
    found = inconsistency("Storgatan är avspärrad till kl 15 idag, ta en annan väg", road, "sv")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "13:00"
    assert inconsistency("Storgatan är avspärrad till kl 13 idag, ta en annan väg", road, "sv") is None
    assert inconsistency("Biblioteket i Ersmark har öppet till kl 19 idag", road, "sv") is None


def test_a_street_reopening_at_another_time_contradicts_its_closure() -> None:
    collapse = ApprovedMessage.of(4, "Resterna av ställningen måste monteras ned med kran, och Kungsgatan mellan "
                                     "Kålgårdsgatan och Norra Drottninggatan är därför avstängd till och med onsdag "
                                     "15 april klockan 16.00.", "sv", T0)  # fmt: skip
    street = incident(("ställning",), (collapse,), "Ras", "Uddevalla kommun")
    found = inconsistency("Uppdatering: Kungsgatan öppnar för trafik igen kl 18 i kväll. Tack för ert tålamod!",
                          street, "sv")  # fmt: skip
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "16:00"
    assert inconsistency("Uppdatering: Kungsgatan öppnar igen på onsdag kl 16.", street, "sv") is None


def test_one_shared_compound_of_nine_letters_names_the_service_a_time_is_about() -> None:
    # "Koelteplek" (a cooling spot) is one service however many places the message lists for it.
    spots = ApprovedMessage.of(2, "Vermijd zware inspanningen tussen 12 en 17 uur. De koelteplekken in de "
                                  "bibliotheek en op Sportcampus Lange Munte blijven open tot 21 uur.", "nl", T0)  # fmt: skip
    heat = incident(("hittegolf",), (spots,), "Hittegolf", "Stad Kortrijk")
    found = inconsistency("De koelteplekken sluiten vandaag al om 15 uur wegens te veel volk.", heat, "nl")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "21:00"
    assert inconsistency("De koelteplekken sluiten vandaag om 21 uur.", heat, "nl") is None


def test_two_days_of_one_sentence_each_stated_by_the_message_are_no_conflict() -> None:
    points = ApprovedMessage.of(
        4, "Vesipisteet ovat auki keskiviikkona klo 7–21. Tulokset saadaan torstaina.", "fi", T0
    )
    water = incident(("vesipiste",), (points,), "E. coli", "Seinäjoen kaupunki")
    assert inconsistency("Eli keskiviikkona pisteet auki 7-21 ja tuloksia torstaina. Selvä 👍", water, "fi") is None
    found = inconsistency("Eli perjantaina pisteet auki 7-21 ja tuloksia torstaina.", water, "fi")
    assert found is not None and found.evidence["conflicts"][0]["kind"] == "date"


def test_the_units_own_post_naming_only_a_street_speaks_of_the_street() -> None:
    road = ApprovedMessage.of(3, "Universitetsvägen öppnar igen kl. 16.30.", "sv", T0)
    leak = incident(("ammoniak",), (road,), "Ammoniak", "Karlstads kommun")
    post = PostView("Universitetsvägen är öppen igen från kl. 16.00.", T0 + timedelta(minutes=5), "social", "", "sv")
    assert "inconsistent" in {f.kind for f in evaluate(post, [leak], leak.organisation)}
    # A post naming the place and nothing else ("in Kåge until 14") still speaks of something else there.
    hut = ApprovedMessage.of(2, "Värmestugan i Kåge är öppen till kl 20.", "sv", T0)
    cold = incident(("strömavbrott",), (hut,), "Strömavbrott", "Skellefteå kommun")
    there = PostView("I Kåge till kl 14 idag.", T0 + timedelta(minutes=5), "social", "", "sv")
    assert "inconsistent" not in {f.kind for f in evaluate(there, [cold], cold.organisation)}


def test_a_value_another_approved_sentence_about_the_same_thing_states_agrees() -> None:
    # The post names Ersmark, which the sentence of the find names; its date is the zone's, which the next
    # sentence gives.
    fever = ApprovedMessage.of(9, "Ett vildsvin med afrikansk svinpest hittades i tisdags vid Ersmark. Skyddszonen runt "
                                  "fyndplatsen gäller från fredag 10 juli kl. 00.00 och har en radie av 15 kilometer.",
                               "sv", T0)  # fmt: skip
    zone = incident(("svinpest",), (fever,), "Svinpest", "Skellefteå kommun")
    assert inconsistency("Från 10.7. gäller skyddszonen runt fyndplatsen vid Ersmark.", zone, "sv") is None
    assert inconsistency("Från 12.7. gäller skyddszonen runt fyndplatsen vid Ersmark.", zone, "sv") is not None


def test_a_post_naming_the_place_a_message_set_aside_contradicts_it() -> None:
    first = ApprovedMessage.of(9, "Residents can return briefly between 2pm and 4pm today, meeting at the junction of "
                                  "Mill Lane and Park Drive.", "en", T0)  # fmt: skip
    moved = ApprovedMessage.of(10, "Escorted visits continue tomorrow from 10am to 12 noon, now meeting at the Town Hall "
                                   "rather than the Mill Lane junction.", "en", T0 + timedelta(hours=2))  # fmt: skip
    sinkhole = IncidentContext(
        1, ("sinkhole",), T0 - timedelta(hours=1), (first, moved), "Sinkhole", "Testtown Council"
    )

    def flagged(text: str) -> Finding | None:
        return inconsistency(text, sinkhole, "en", after=timedelta(hours=3))

    found = flagged("Escorted visits tomorrow 10am to 12 noon, meeting at the Mill Lane junction.")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "not lane,mill"
    assert flagged("Escorted visits tomorrow, now meeting at the Town Hall rather than the Mill Lane junction.") is None
    assert flagged("Escorted visits tomorrow, meet at the Town Hall, not the Mill Lane junction.") is None
    assert flagged("Road works continue on Mill Lane this week.") is None


def test_a_shelter_said_to_be_now_elsewhere_has_moved_and_the_old_place_is_stale() -> None:
    first = ApprovedMessage.of(9, "Eine Notunterkunft ist in der Gesamtschule Eversburg eingerichtet.", "de", T0)
    moved = ApprovedMessage.of(10, "Die Notunterkunft befindet sich jetzt in der WesterbergHalle.", "de",
                               T0 + timedelta(hours=2))  # fmt: skip
    bomb = incident(("Bombe",), (first, moved), "Bombe", "Stadt Osnabrück")
    stale = inconsistency("Notunterkunft ist in der Gesamtschule Eversburg, da gibt's Kaffee.", bomb, "de",
                          after=timedelta(hours=3))  # fmt: skip
    assert stale is not None and stale.evidence["conflicts"][0]["superseded_by"] == 10
    assert inconsistency("Notunterkunft ist jetzt in der WesterbergHalle, da gibt's Kaffee.", bomb, "de",
                         after=timedelta(hours=3)) is None  # fmt: skip


def test_an_instruction_for_places_the_message_does_not_name_is_one_conflict() -> None:
    boil = ApprovedMessage.of(9, "Ni behöver inte koka vattnet längre.", "sv", T0)
    water = incident(("vatten",), (boil,), "Vatten", "Torsby kommun")
    post = PostView("Koka vattnet i Östmark och Lekvattnet!", T0 + timedelta(minutes=10), "watch", "", "sv")
    assert [sorted(f.names) for f in post.facts if f.slot == "water"] == [["lekvattnet", "östmark"]]
    (found,) = [f for f in evaluate(post, [water], "Torsby kommun") if f.kind == "inconsistent"]
    assert len(found.evidence["conflicts"]) == 1 and found.score == 0.85


def test_two_times_of_one_sentence_are_each_compared_with_the_approved_time_they_match() -> None:
    # "The hut moves at 13, the heating is back at 20 at the earliest": two approved times, two things.
    moved = ApprovedMessage.of(9, "Värmestugan flyttar kl. 13.00 till fritidsgården på Björkskatan. Värmen väntas "
                                  "vara tillbaka tidigast kl. 20.00.", "sv", T0)  # fmt: skip
    cold = incident(("fjärrvärme",), (moved,), "Fjärrvärmeavbrott", "Luleå kommun")
    assert inconsistency("Kommunen: värmestugan flyttar till fritidsgården på Björkskatan kl 13, värmen tidigast kl 20",
                         cold, "sv") is None  # fmt: skip
    wrong = inconsistency(
        "Värmestugan flyttar till fritidsgården på Björkskatan kl 15, värmen tidigast kl 20", cold, "sv"
    )
    assert wrong is not None and wrong.evidence["conflicts"][0]["post"] == "15:00"


def test_a_post_saying_it_is_still_closed_contradicts_a_lifted_ban() -> None:
    lifted = ApprovedMessage.of(9, "The Do Not Swim notice at Silverstrand beach has been lifted.", "en", T0)
    beach = IncidentContext(
        1, ("sewage",), T0 - timedelta(hours=1), (lifted,), "Sewage overflow", "Galway City Council"
    )
    post = PostView("Silverstrand beach is still closed, don't bother driving out.", T0 + timedelta(minutes=10),
                    "watch", "", "en")  # fmt: skip
    assert "inconsistent" in {f.kind for f in evaluate(post, [beach], beach.organisation)}


def test_a_post_about_one_thing_names_it_by_that_one_word() -> None:
    line = ApprovedMessage.of(9, "De hulplijn blijft vandaag open tot 22.00 uur. Het infocentrum sluit om 18.00 uur.",
                              "nl", T0)  # fmt: skip
    food = incident(("voedselvergiftiging",), (line,), "Voedsel", "Stad Gent")
    found = inconsistency("Hulplijn tot 20u vandaag! Bel gerust.", food, "nl")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "22:00"
    assert inconsistency("Hulplijn tot 22u vandaag! Bel gerust.", food, "nl") is None


def test_a_compound_names_what_its_last_part_names() -> None:
    evening = ApprovedMessage.of(9, "De infoavond is om 19.30 uur in de Stadsschouwburg.", "nl", T0)
    food = incident(("voedselvergiftiging",), (evening,), "Voedsel", "Stad Gent")
    assert inconsistency("Infoavond in de schouwburg om 20u, niet vergeten", food, "nl") is not None
    assert inconsistency("Infoavond in de schouwburg om 19u30, niet vergeten", food, "nl") is None


def test_a_word_the_message_uses_plainly_is_no_other_place_but_a_longer_compound_is_another_thing() -> None:
    meeting = ApprovedMessage.of(9, "Die Bürgerinformation zur Schweinepest beginnt um 19 Uhr in der Sporthalle "
                                    "der Prälat-Diehl-Schule, Einlass ab 18.30 Uhr.", "de", T0)  # fmt: skip
    pest = incident(("schweinepest",), (meeting,), "Schweinepest", "Groß-Gerau")
    assert inconsistency("Einlass zur Bürgerinfo schon ab 18 Uhr, früh kommen lohnt sich", pest, "de") is not None
    assert inconsistency("Unsere Sporthallenzeit dienstags 20 Uhr ist frei geworden, Volleyball.", pest, "de") is None


def test_a_sentence_opening_one_path_and_keeping_another_closed_states_both() -> None:
    rock = ApprovedMessage.of(9, "Der Soleleitungsweg und der Weg zum Rudolfsturm sind gesperrt.", "de", T0)
    later = ApprovedMessage.of(10, "Der Soleleitungsweg ist wieder geöffnet, der Weg zum Rudolfsturm bleibt gesperrt.",
                               "de", T0 + timedelta(hours=1))  # fmt: skip
    fall = incident(("felssturz",), (rock, later), "Felssturz", "Hallstatt")
    two_hours = timedelta(hours=2)
    assert inconsistency("Felssturz: Soleleitungsweg wieder offen, super", fall, "de", two_hours) is None
    assert inconsistency("Felssturz: Soleleitungsweg immer noch gesperrt", fall, "de", two_hours) is not None
    assert inconsistency("Felssturz: Weg zum Rudolfsturm wieder offen", fall, "de", two_hours) is not None


def test_one_service_named_by_two_of_its_places_is_one_thing() -> None:
    # Two end times in force: the post's must be tied to the ferry's by what it says, not by elimination.
    ferry = ApprovedMessage.of(9, "De brug blijft dicht tot 18.00 uur. Het gratis pontje voor fietsers en voetgangers "
                                  "vaart vanaf de Rijnkade van 06.00 tot 22.00 uur.", "nl", T0)  # fmt: skip
    bridge = incident(("brug",), (ferry,), "Brug", "Gemeente Alphen")
    post = "Het gratis pontje voor fietsers en voetgangers bij de Schweitzerbrug vaart van 06.00 tot 20.00 uur."
    assert inconsistency(post, bridge, "nl") is not None
    # Another thing at another place shares a word or two, not the description.
    assert inconsistency("De bibliotheek bij de Schweitzerbrug is open tot 20.00 uur.", bridge, "nl") is None


GAS = incident(("gasläcka",), (ApprovedMessage.of(
    3, "Gasläcka vid bangården i Hallsberg. Alla inom 1 km ska stanna inomhus med stängda fönster.", "sv", T0),),
    "Gasläcka i Hallsberg", "Hallsbergs kommun")  # fmt: skip


def gas_findings(text: str, name: str) -> dict[str, Finding]:
    post = PostView(text, T0 + timedelta(minutes=30), None, name, "sv")
    return {f.kind: f for f in evaluate(post, [GAS], "Hallsbergs kommun", ("Hallsbergs kommun",))}


def test_a_look_alike_speaking_as_the_organisation_is_held_against_the_facts_without_a_keyword() -> None:
    # No keyword of the incident: what ties it to the incident is that it issues the organisation's word.
    flagged = gas_findings("Hallsbergs kommun informerar: zonen gäller nu alla inom 2 km.", "Hallsberg Nyheter")
    assert {"impersonation", "inconsistent"} <= set(flagged)
    assert flagged["inconsistent"].evidence["about"] == ["speaks as the organisation during the incident"]


def test_what_a_post_says_a_public_body_said_is_held_against_the_facts_without_a_keyword() -> None:
    bomb = incident(("Fliegerbombe",), (ApprovedMessage.of(
        2, "Fliegerbombe am Güterbahnhof: Der Sperrradius beträgt 500 Meter.", "de", T0),), "Fliegerbombe", "Stadt Gießen")  # fmt: skip

    def flags(text: str) -> dict[str, Finding]:
        post = PostView(text, T0 + timedelta(minutes=30), "watch", "Eva", "de")
        return {f.kind: f for f in evaluate(post, [bomb], "Stadt Gießen")}

    # No keyword, no place of the message: what ties the post to the incident is the body it quotes.
    flagged = flags("Laut Stadt ist der Radius jetzt auf 200 Meter verkleinert.")
    assert flagged["inconsistent"].evidence["about"] == ["relays a public body during the incident (laut … stadt)"]
    # The same words with nobody quoted are about nothing of the incident's, and a relative's word is no body's.
    assert flags("Der Radius ist jetzt auf 200 Meter verkleinert.") == {}
    assert flags("Mein Schwager ist bei der Stadt, laut ihm ist der Radius jetzt 200 Meter.") == {}


def test_an_advice_for_some_places_stretched_over_the_whole_town_is_inconsistent() -> None:
    mine = incident(("mina",), (ApprovedMessage.of(
        1, "En sjömina har hittats i hamnen. Hamngatan och Strandgatan evakueras.", "sv", T0),), "Mina", "Trelleborgs kommun")  # fmt: skip
    found = inconsistency("Dom evakuerar hela centrum, har jag hört.", mine, "sv")
    assert found is not None and found.evidence["conflicts"][0]["post"] == "evacuate: all of centrum"
    # The places the message names, or all of them, are what it says.
    assert inconsistency("Dom evakuerar Hamngatan och Strandgatan.", mine, "sv") is None


def test_a_post_naming_where_a_shelter_is_speaks_of_the_shelter() -> None:
    storm = incident(("storm",), (ApprovedMessage.of(
        1, "Trygghetspunkten i Ramsele (Folkets hus) öppnar kl. 10.00. Trygghetspunkterna har öppet till kl. 20.00.",
        "sv", T0),), "Storm", "Sollefteå kommun")  # fmt: skip
    found = inconsistency("Folkets hus i Ramsele ska stänga redan kl 15, så passa på.", storm, "sv")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "20:00"
    # The village alone is not the shelter: the shop there closes when it closes.
    assert inconsistency("Konsum i Ramsele stänger redan kl 15 i dag.", storm, "sv") is None
    assert inconsistency("Folkets park i Ramsele stänger redan kl 15 i dag.", storm, "sv") is None


def test_another_sentence_naming_the_shelter_s_building_does_not_make_a_school_the_shelter() -> None:
    # The shelter was corrected away from Morö Backe; the preschools there and in Anderstorp are another thing.
    heat = incident(("fjärrvärme",), (ApprovedMessage.of(
        1, "Rättelse: Värmestugan öppnar kl. 10.00 i Anderstorps sporthall, inte i Morö Backe skola.", "sv", T0),),
        "Fjärrvärmeavbrott", "Skellefteå kommun")  # fmt: skip
    page = ("Värmestugan i Anderstorps sporthall håller öppet hela natten. Förskolorna i Morö Backe och Anderstorp "
            "är stängda i morgon och öppnar igen på torsdag.")  # fmt: skip
    assert inconsistency(page, heat, "sv") is None
    # The shelter said to be where the correction moved it from still contradicts it.
    found = inconsistency("Värmestugan öppnar kl. 10 i Morö Backe skola, åk dit.", heat, "sv")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "not back,morö"


def test_a_post_sending_people_where_a_shelter_moved_away_from_is_stale() -> None:
    sinkhole = incident(("slukhål",), (
        ApprovedMessage.of(1, "De evakuerade samlas i Kulturhuset.", "sv", T0),
        ApprovedMessage.of(2, "Samlingsplatsen för de evakuerade från Allégatan flyttas från Kulturhuset till Åhaga.",
                           "sv", T0 + timedelta(minutes=5)),
    ), "Slukhål på Allégatan", "Borås Stad")  # fmt: skip
    found = inconsistency("Till alla evakuerade från Allégatan: gå till Kulturhuset, där finns fika!", sinkhole, "sv")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "not kulturhus"
    assert inconsistency("Till alla evakuerade från Allégatan: gå till Åhaga, där finns fika!", sinkhole, "sv") is None
    # Another facility named beside the district it left is no shelter sent back there.
    water = incident(("vesijohto",), (
        ApprovedMessage.of(1, "Vesipiste siirtyy Kortepohjan koulun pihalta Ylistönmäen K-Marketin parkkipaikalle.",
                           "fi", T0),
    ), "Vesijohtovaurio", "Jyväskylän kaupunki")  # fmt: skip
    assert inconsistency("Vedenjakelu Kortepohjaan ja Ylistönmäelle on palautettu.", water, "fi") is None


def test_a_post_giving_a_number_the_unit_set_aside_is_about_the_incident_and_stale() -> None:
    attack = incident(("cyberaanval",), (
        ApprovedMessage.of(1, "De gemeente is telefonisch bereikbaar via 14 0575.", "nl", T0),
        ApprovedMessage.of(2, "Het nummer 14 0575 werkt tijdelijk niet; de gemeente is bereikbaar via het noodnummer "
                              "0575 51 23 00.", "nl", T0 + timedelta(minutes=5)),
    ), "Cyberaanval", "Gemeente Zutphen")  # fmt: skip
    found = inconsistency("Bel gewoon 14 0575, daar nemen ze nog gewoon op", attack, "nl")
    assert found is not None and found.evidence["about"] == ["gives the number 14 0575"]
    assert found.evidence["conflicts"][0]["approved"] == "0575 51 23 00"
    assert inconsistency("Bel gewoon 0575 51 23 00, daar nemen ze op", attack, "nl") is None


def test_with_two_incidents_open_a_look_alike_is_held_only_against_the_one_it_names() -> None:
    fire = IncidentContext(2, ("skogsbrand",), T0, (ApprovedMessage.of(
        4, "Skogsbrand vid Tisaren. Alla inom 3 km ska lämna sina hem.", "sv", T0),), "Skogsbrand", "Hallsbergs kommun")  # fmt: skip
    post = PostView("Hallsbergs kommun informerar: skogsbranden vid Tisaren, alla inom 3 km ska lämna sina hem.",
                    T0 + timedelta(minutes=30), None, "Hallsberg Nyheter", "sv")  # fmt: skip
    flags = evaluate(post, [GAS, fire], "Hallsbergs kommun", ("Hallsbergs kommun",))
    assert [(f.kind, f.incident) for f in flags] == [("impersonation", 2)]


def test_a_distance_from_somewhere_is_not_held_against_the_zones_reach() -> None:
    assert "inconsistent" not in gas_findings("Gasläckan märks inte här, vi bor 2 km från bangården.", "Eva")
    assert "inconsistent" in gas_findings("Gasläckan: alla inom 3 km ska stanna inne!", "Eva")


def test_a_detours_length_is_neither_held_against_the_radius_nor_moves_it() -> None:
    detour = ApprovedMessage.of(5, "Trafiken leds om via en 4 km lång omväg.", "sv", T0 + timedelta(minutes=10))
    gas = incident(("gasläcka",), (GAS.messages[0], detour), "Gasläcka i Hallsberg", "Hallsbergs kommun")
    assert inconsistency("Gasläckan: alla inom 1 km ska stanna inne.", gas, "sv", timedelta(hours=1)) is None
    assert inconsistency("Gasläckan: alla inom 3 km ska stanna inne.", gas, "sv", timedelta(hours=1)) is not None


def test_a_radius_alone_does_not_make_another_zone_about_the_incident() -> None:
    gas = incident(("gas leak",), (ApprovedMessage.of(
        3, "Gas leak at the Hallam plant. Residents within 1 km must stay indoors.", "en", T0),), "Gas leak", "Council")  # fmt: skip
    post = PostView("Sunday's fun run: residents within 500 m of the route should expect road closures.",
                    T0 + timedelta(hours=1), "watch", "", "en")  # fmt: skip
    assert evaluate(post, [gas], "Council") == []


def test_a_headline_that_is_the_incidents_name_states_nothing_that_holds_now() -> None:
    evacuated = ApprovedMessage.of(1, "Bij een flat aan de Bornsestraat is een gaslek ontstaan. De brandweer heeft de "
                                   "flat en de woningen binnen 100 meter ontruimd.", "nl", T0)  # fmt: skip
    back = ApprovedMessage.of(2, "Het gaslek is gedicht. Bewoners van de omliggende woningen mogen vanaf 20.30 uur "
                              "terug naar huis.", "nl", T0 + timedelta(hours=2))  # fmt: skip
    reopened = ApprovedMessage.of(3, "De Bornsestraat is weer open. Bewoners van de flat kunnen morgen vanaf 10.00 uur "
                                  "spullen ophalen.", "nl", T0 + timedelta(hours=4))  # fmt: skip
    leak = incident(("gaslek",), (evacuated, back, reopened), "Gaslek bij flat aan de Bornsestraat, woningen ontruimd",
                    "Gemeente Almelo")  # fmt: skip
    title = "Update 8 september 22:20: Gaslek bij flat aan de Bornsestraat, woningen ontruimd"
    page = PostView(reopened.text, T0 + timedelta(hours=4, minutes=5), "website", "Gemeente Almelo", "nl", title)
    # A live page headed with the incident's name (and a stamp) carries the update faithfully...
    assert evaluate(page, [leak], "Gemeente Almelo") == []
    # ...though read alone its headline says the homes are evacuated, which a later message moved.
    assert any(f.slot == "shelter" for f in page.facts) and not any(f.slot == "shelter" for f in page.facts_about(leak))


@pytest.mark.parametrize("case", [str, str.lower, str.upper])
def test_a_post_in_lower_case_or_in_capitals_is_read_with_the_incidents_names(case: Callable[[str], str]) -> None:
    shelters = ApprovedMessage.of(1, "Strömavbrott i Skellefteå. Värmestugan i Kåge har öppet till kl. 22.00. "
                                  "Värmestugan i Byske har öppet till kl. 20.00.", "sv", T0)  # fmt: skip
    outage = incident(("strömavbrott",), (shelters,), "Strömavbrott i Skellefteå", "Skellefteå kommun")

    def kinds(text: str) -> set[str]:
        post = PostView(case(text), T0 + timedelta(minutes=10), "watch", "", "sv")
        return {f.kind for f in evaluate(post, [outage], "Skellefteå kommun")}

    # Which shelter a time is about is told by its place's capital, which such a post has not written.
    assert kinds("Värmestugan i Byske har öppet till kl. 22 ikväll") == {"inconsistent"}
    assert kinds("Värmestugan i Kåge har öppet till kl. 22 ikväll") == set()


def test_recasing_restores_the_names_a_caseless_text_left_out() -> None:
    forms = tokens.written_forms(["Vesipiste on Kortepohjan koulun pihalla. Die Uni-Halle ist offen. A&E is open."])
    assert forms == {"kortepohjan": "Kortepohjan", "uni": "Uni", "halle": "Halle"}
    assert tokens.recased("vettä saa kortepohjan koulun pihalta. uni-halle ist zu", forms) == (
        "Vettä saa Kortepohjan koulun pihalta. Uni-Halle ist zu")  # fmt: skip
    assert tokens.caseless("VETTÄ SAA KORTEPOHJAN KOULUN PIHALTA") and not tokens.caseless("Vettä saa Kortepohjan")


def test_a_watched_post_passing_on_an_approved_message_is_no_rumour() -> None:
    update = ApprovedMessage.of(1, "Sinkhole update, 5pm: residents of the 20 evacuated homes will not be able to return "
                                "tonight. Escorted visits to collect belongings continue tomorrow from 10am, now meeting "
                                "at Hugh Ripley Hall rather than the Whitcliffe Lane junction. The rest centre at Hugh "
                                "Ripley Hall will close at 9pm tonight. Whitcliffe Lane remains closed.", "en", T0)  # fmt: skip
    sinkhole = incident(
        ("sinkhole", "Whitcliffe"), (update,), "Sinkhole in Whitcliffe Crescent, Ripon", "Ripon Council"
    )
    relay = PostView("RT @RiponCouncil: " + update.text, T0 + timedelta(minutes=3), "watch", "X #ripon", "en")
    assert evaluate(relay, [sinkhole], "Ripon Council") == []
    # The same claim without the message's words is still weighed as a rumour.
    hearsay = PostView("Heard the 20 evacuated homes on Whitcliffe Crescent won't be back for weeks, the council is "
                       "keeping quiet about it. Share!", T0 + timedelta(minutes=3), "watch", "X #ripon", "en")  # fmt: skip
    assert "rumour" in {f.kind for f in evaluate(hearsay, [sinkhole], "Ripon Council")}


def test_hearsay_saying_the_opposite_of_a_message_in_most_of_its_words_does_not_pass_it_on() -> None:
    lifted = ApprovedMessage.of(1, "Evakuierung der Nordstadt aufgehoben. Die Bewohner dürfen zurück in ihre "
                                "Wohnungen.", "de", T0)  # fmt: skip
    nordstadt = incident(("Evakuierung", "Nordstadt"), (lifted,), "Evakuierung der Nordstadt", "Stadt Nordhausen")
    claim = PostView("Angeblich dürfen die evakuierten Bewohner der Nordstadt gar nicht zurück in ihre Wohnungen, "
                     "teilen!", T0 + timedelta(hours=1), "watch", "X #nordhausen", "de")  # fmt: skip
    assert {"rumour", "inconsistent"} <= {f.kind for f in evaluate(claim, [nordstadt], "Stadt Nordhausen")}


def test_a_weekday_word_is_the_value_not_a_shared_subject() -> None:
    # The post's "tiistaina" shares its stem with the ban's "tiistaina": the day is the value, the day
    # centre is what the post speaks of, and the day centre opens on Wednesday.
    days = ApprovedMessage.of(3, "Vierailukielto päättyy tiistaina. Päiväkeskus avataan keskiviikkona.", "fi", T0)
    ban = incident(("norovirus",), (days,), "Norovirus", "Lempäälän kunta")
    found = inconsistency("Päiväkeskus aukeaa jo tiistaina.", ban, "fi")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "opens 25.11."
    assert inconsistency("Päiväkeskus aukeaa keskiviikkona.", ban, "fi") is None


def test_a_neighbour_stating_the_state_of_the_approved_thing_in_a_shorter_word_contradicts_it() -> None:
    # "Bron" is the approved "Strömsbron": no keyword, no rare word, but the same thing, said open.
    bridge = ApprovedMessage.of(2, "Strömsbron är avstängd för all trafik tills vidare efter skadorna.", "sv", T0)
    damage = incident(("brounderhåll",), (bridge,), "Skadad bro", "Norrtälje kommun")
    found = inconsistency("Bron är öppen igen, körde precis över den", damage, "sv")
    assert found is not None and "bro" in found.evidence["about"][0]
    # Another thing opening is no contradiction.
    assert inconsistency("Biblioteket är öppet igen i dag", damage, "sv") is None


def test_a_closure_through_a_day_agrees_with_reopening_the_day_after() -> None:
    park = ApprovedMessage.of(1, "Het Astridpark blijft gesloten tot en met dinsdag wegens vallende takken.", "nl", T0)
    storm = incident(("storm",), (park,), "Stormschade", "Stad Kortrijk")
    assert inconsistency("Astridpark gaat woensdag weer open", storm, "nl") is None  # T0 is a Sunday
    found = inconsistency("Astridpark is morgen weer open", storm, "nl")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "closed through 24.11."


def test_open_on_the_day_a_message_closes_something_contradicts_it_though_the_days_are_equal() -> None:
    schools = ApprovedMessage.of(4, "Förskolorna i Morö stängs onsdag och öppnar igen torsdag.", "sv", T0)
    heat = incident(("fjärrvärme",), (schools,), "Fjärrvärmeavbrott", "Skellefteå kommun")
    found = inconsistency("Förskolan i Morö är öppen på onsdag", heat, "sv")
    assert found is not None and found.evidence["conflicts"][0]["approved"] == "closed on 25.11."
    assert inconsistency("Förskolan i Morö öppnar igen på torsdag", heat, "sv") is None


def test_another_thing_that_stays_closed_does_not_move_the_approved_closure() -> None:
    # "blijft" says a state goes on: it names no thing, so the gym hall's closure is not the park's.
    park = ApprovedMessage.of(1, "Het Astridpark blijft gesloten tot en met dinsdag.", "nl", T0)
    gym = ApprovedMessage.of(2, "De turnzaal van De Regenboog blijft dicht.", "nl", T0 + timedelta(minutes=5))
    storm = incident(("storm",), (park, gym), "Stormschade", "Stad Kortrijk")
    assert inconsistency("Het Astridpark is vandaag weer open", storm, "nl") is not None


def test_open_today_is_held_against_the_closure_its_own_day_dates_not_another_things_opening() -> None:
    # The cemeteries' closure is dated in its own sentence ("tot en met dinsdag"), so the state is no
    # undated rival to its date; and "open" alone does not tie the post to the park that reopens Monday.
    update = ApprovedMessage.of(1, "Het Astridpark gaat maandag om 9 uur opnieuw open. De begraafplaatsen blijven "
                                   "gesloten tot en met dinsdag.", "nl", T0)  # fmt: skip
    storm = incident(("storm",), (update,), "Stormschade", "Stad Kortrijk")
    found = inconsistency("De begraafplaatsen zijn vanaf vandaag terug open voor bezoek.", storm, "nl")
    assert found is not None
    assert [c["approved"] for c in found.evidence["conflicts"]] == ["closed through 24.11."]
    assert inconsistency("De begraafplaatsen gaan woensdag weer open.", storm, "nl") is None


def test_a_copy_of_a_later_message_is_not_held_against_the_earlier_one_it_moves_from() -> None:
    """The update moves Tuesday's care to another hall in words the slots do not tie to the first message's
    ("vindt niet plaats in Netepark, maar in 't Schaliken"): its faithful copy says what the unit says now.
    A post that changes a value of either is still held against the messages."""
    first = ApprovedMessage.of(1, "De lessen gaan dinsdag niet door. De gratis opvang in sporthal Netepark loopt "
                                  "dinsdag opnieuw, van 7 tot 18 uur.", "nl", T0 - timedelta(hours=3))  # fmt: skip
    moved = ApprovedMessage.of(2, "Opgelet: de opvang op dinsdag vindt niet plaats in sporthal Netepark, maar in "
                                  "cultuurcentrum 't Schaliken, Grote Markt 35. De uren blijven van 7 tot 18 uur.",
                               "nl", T0)  # fmt: skip
    cold = incident(("verwarming", "opvang"), (first, moved), "Verwarmingsdefect", "Stad Herentals")
    copy = PostView(moved.text, T0 + timedelta(minutes=5), "social", "Stad Herentals", "nl")
    assert {f.kind for f in evaluate(copy, [cold], cold.organisation)} == set()
    assert inconsistency("De opvang op dinsdag is in cultuurcentrum 't Schaliken, van 8 tot 18 uur.", cold, "nl")
    # A sentence the copy adds is its own: held against the first message as any post's would be.
    added = PostView(moved.text + " De opvang is dinsdag van 8 tot 18 uur.",
                     T0 + timedelta(minutes=5), "watch", "", "nl")  # fmt: skip
    assert any(f.kind == "inconsistent" for f in evaluate(added, [cold], cold.organisation))


def test_a_correction_that_names_how_the_old_place_was_announced_denies_it() -> None:
    # "nicht wie zuerst gemeldet in der Sporthalle": the correction itself says the hall is not the place,
    # so a shortened copy that says "nicht in der Sporthalle" agrees with it.
    fixed = ApprovedMessage.of(3, "Ein Notquartier steht ab 14 Uhr im Pfarrsaal Hatlerdorf bereit, nicht wie zuerst "
                                  "gemeldet in der Sporthalle Haselstauden.", "de", T0)  # fmt: skip
    flats = incident(("balkon", "notquartier"), (fixed,), "Balkoneinsturz", "Stadt Dornbirn")
    copy = PostView("Korrektur: Das Notquartier ist ab 14 Uhr im Pfarrsaal Hatlerdorf, nicht in der Sporthalle "
                    "Haselstauden.", T0 + timedelta(minutes=5), "social", "Stadt Dornbirn", "de")  # fmt: skip
    assert {f.kind for f in evaluate(copy, [flats], flats.organisation)} == set()
    assert inconsistency("Das Notquartier ist in der Sporthalle Haselstauden, nicht im Pfarrsaal.", flats, "de")


WATER = incident(("water",), (
    ApprovedMessage.of(1, "Two bottled water stations are open today. The Withybush station will stay open until "
                          "22:00; the Leisure Centre station closes at 20:00.", "en", T0),
), "Burst water main", "Pembrokeshire County Council")  # fmt: skip


def test_each_statement_of_a_sentence_keeps_its_own_time() -> None:
    """Two places' times joined in one sentence: the Leisure Centre's is 20:00 only, and a post giving it
    21:00 contradicts it, where read with the whole sentence it spoke of Withybush too (another name)."""
    post = PostView("The bottled water station at Haverfordwest Leisure Centre will stay open until 21:00 tonight.",
                    T0 + timedelta(minutes=30), "watch", "", "en")  # fmt: skip
    (flag,) = [f for f in evaluate(post, [WATER], WATER.organisation) if f.kind == "inconsistent"]
    assert [(c["post"], c["approved"]) for c in flag.evidence["conflicts"]] == [("21:00", "20:00")]
    for faithful in ("The Leisure Centre water station closes at 20:00.", "Withybush station is open until 22:00."):
        assert inconsistency(faithful, WATER, "en") is None


def test_an_official_post_giving_a_value_no_message_gave_is_unrouted_however_close_its_words() -> None:
    """The unit's own post shares nearly all its words with the first message but gives the Leisure Centre
    a closing time nobody approved (the update said 20:00): that is the post's own fact (R1), though the
    message its words match best says nothing of that station's hours."""
    first = ApprovedMessage.of(1, "A bottled water station will stay open at the Leisure Centre car park tonight. "
                                  "Both stations will be open until 20:00.", "en", T0)  # fmt: skip
    update = ApprovedMessage.of(2, "The Withybush station will stay open until 22:00; the Leisure Centre station "
                                   "closes at 20:00.", "en", T0 + timedelta(minutes=20))  # fmt: skip
    water = incident(("water",), (first, update), "Burst water main", "Pembrokeshire County Council")
    for text, expected in (
        ("The bottled water station at the Leisure Centre car park will stay open until 21:00 tonight.",
         {"inconsistent", "unrouted"}),
        ("The bottled water station at the Leisure Centre car park closes at 20:00 tonight.", set()),
    ):  # fmt: skip
        post = PostView(text, T0 + timedelta(minutes=30), "social", "Pembrokeshire County Council", "en")
        assert {f.kind for f in evaluate(post, [water], water.organisation)} == expected, text


def test_a_value_another_thing_was_given_does_not_route_a_changed_one() -> None:
    """The bus runs until 22:00; the shelter's hours moved to 22:00 by nobody: still the post's own value."""
    first = ApprovedMessage.of(1, "Brand i Östmark. Värmestugan i Folkets hus är öppen till kl. 20.00.", "sv", T0)
    second = ApprovedMessage.of(2, "Brand i Östmark. Håll fönster och dörrar stängda. Bussen till Torsby går till "
                                   "kl. 22.00.", "sv", T0 + timedelta(minutes=20))  # fmt: skip
    fire = incident(("brand",), (first, second), "Brand i Östmark", "Torsby kommun")
    post = PostView(second.text + " Värmestugan i Folkets hus är öppen till kl. 22.00.", T0 + timedelta(minutes=30),
                    "social", "Torsby kommun", "sv")  # fmt: skip
    assert {"inconsistent", "unrouted"} <= {f.kind for f in evaluate(post, [fire], fire.organisation)}


def test_a_waiting_time_contradicts_the_one_in_force_but_not_a_duration_of_another_scale() -> None:
    def mumps(text: str) -> IncidentContext:
        return incident(("mumps",), (ApprovedMessage.of(3, text, "en", T0),), "Mumps", "Ceredigion County Council")

    wait = mumps("Mumps in Aberystwyth: after the jab, wait 15 minutes at Canolfan Rheidol before you leave.")
    assert inconsistency("Mumps clinic at Rheidol: you only need to wait 5 minutes after the jab", wait, "en")
    isolation = mumps("Mumps in Aberystwyth: pupils with swollen glands stay at home for five days.")
    assert not inconsistency("Mumps clinic queue at Rheidol is out the door, been here 40 mins lol", isolation, "en")


SCAM = incident(("scam", "text"), (ApprovedMessage.of(
    3, "We are aware of scam text messages claiming to be from the council and offering a council tax refund. They "
    "ask you to click a link and enter your bank details. The council will not send refunds by text.", "en", T0),),
    "Scam texts", "Stirling Council")  # fmt: skip


def test_a_post_asserting_what_the_unit_denied_contradicts_but_a_negation_it_adds_does_not() -> None:
    assert inconsistency("Got a text: the council will send refunds by text now, click the link!", SCAM, "en")
    # The post's own "never" says something besides the message, not against "they ask you to click a link".
    assert inconsistency("We're aware of scam texts claiming to be from the council. Never click on links in "
                         "unexpected messages.", SCAM, "en") is None  # fmt: skip


def test_the_units_own_sentence_beyond_a_message_is_routed_not_held_against_it() -> None:
    post = PostView("Scam texts going round: never click on a link in a text about a tax refund.",
                    T0 + timedelta(minutes=10), "social", "Stirling Council", "en")  # fmt: skip
    kinds = {f.kind for f in evaluate(post, [SCAM], "Stirling Council", ("Stirling Council",))}
    assert "inconsistent" not in kinds


def test_a_time_is_held_against_the_approved_time_of_its_own_day() -> None:
    hours = incident(("scam",), (ApprovedMessage.of(
        4, "If you are worried about the scam, get help at the Customer First centre in Port Street today until 6pm "
        "and tomorrow, Wednesday 11 March, from 9am to 5pm.", "en", T0),), "Scam texts", "Stirling Council")  # fmt: skip
    flag = inconsistency("The Customer First centre in Port Street is open until 5pm today for anyone worried.",
                         hours, "en")  # fmt: skip
    assert flag is not None and flag.evidence["conflicts"][0]["approved"] == "18:00"
    assert inconsistency("The Customer First centre in Port Street is open until 6pm today.", hours, "en") is None


def test_a_post_denying_in_the_same_words_what_the_unit_said_contradicts() -> None:
    market = incident(("bombe",), (ApprovedMessage.of(
        5, "Der Weihnachtsmarkt am Domplatz findet heute wie geplant statt.", "de", T0),), "Bombenfund", "Stadt")  # fmt: skip
    assert inconsistency("Der Weihnachtsmarkt am Domplatz findet heute nicht statt wegen der Bombe!!", market, "de")


def test_an_end_time_names_its_thing_by_one_word_when_only_one_approved_time_says_it() -> None:
    fish = incident(("kalakuolema",), (ApprovedMessage.of(
        6, "Kuolleiden kalojen keräys päättyy tänään jo klo 16. Neuvontapuhelin palvelee tänään klo 20 asti.",
        "fi", T0),), "Kalakuolema", "Mikkelin kaupunki")  # fmt: skip
    flag = inconsistency("Keräys jatkuu tänään klo 18 asti, käykää kattomassa miten homma toimii", fish, "fi")
    assert flag is not None and flag.evidence["conflicts"][0]["approved"] == "16:00"
    # A word two approved times share with the post names neither of them.
    two = incident(("kalakuolema",), (ApprovedMessage.of(
        6, "Keräys rannalla päättyy tänään klo 16. Keräys satamassa jatkuu klo 20 asti.", "fi", T0),),
        "Kalakuolema", "Mikkelin kaupunki")  # fmt: skip
    assert inconsistency("Keräys jatkuu tänään klo 18 asti, käykää kattomassa miten homma toimii", two, "fi") is None
