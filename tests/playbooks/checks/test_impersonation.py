"""R5: names compared after normalising case, diacritics, punctuation and camelCase, generic words set aside."""

from __future__ import annotations

import pytest

from playbooks.checks.impersonation import impersonation, looks_like, name_words

ORG = "Gemeente Venlo"
OFFICIAL = ("Gemeente Venlo – Nieuws", "gemeentevenlo")


def test_names_become_comparable_words() -> None:
    assert name_words("KirunaKommunInfo_24") == ["kiruna", "kommun", "info", "24"]
    assert name_words("Wädenswil Aktuell") == ["wadenswil", "aktuell"]
    # A digit posing as a letter is the letter; a number of its own stays one.
    assert name_words("Moray Counci1 Updates") == ["moray", "council", "updates"]
    assert name_words("C0uncil") == ["council"] and name_words("Radio538") == ["radio", "538"]
    assert name_words("SVT1") == ["svt", "1"] and name_words("Radio5") == ["radio", "5"]  # channels' names


@pytest.mark.parametrize(
    "name",
    ["Venlo Nieuws", "Gemeente Venlo Updates", "GemeenteVenIo", "gemeente_venlo", "Venlo Officieel", "Vemlo Info"],
)
def test_look_alikes(name: str) -> None:
    assert looks_like(name, ORG, OFFICIAL)


@pytest.mark.parametrize(
    ("name", "organisation"),
    [
        ("Stadt Koeln Aktuell", "Stadt Köln"),  # an umlaut written out
        ("@GlarusSued_Info", "Gemeinde Glarus Süd"),
        ("u/OulunPoliisi_info", "Oulun poliisilaitos"),  # a Reddit user name
        ("u/Stadt_Kiel_Info", "Landeshauptstadt Kiel"),
        ("Räddningsverket Österbotten INFO", "Österbottens räddningsverk"),  # the Swedish definite form
        ("Cyngor Ceredigion Info", "Ceredigion County Council"),  # Welsh for council
    ],
)
def test_look_alikes_spelt_another_way(name: str, organisation: str) -> None:
    assert looks_like(name, organisation)
    assert not looks_like("Goethe Schule Info", "Stadt Gotha")  # a spelt-out umlaut is still its own word


@pytest.mark.parametrize("name", ["L1 Nieuws", "De Limburger", "Venlo", "Buurtapp Blerick-Noord", "Venlose Courant"])
def test_other_names(name: str) -> None:
    assert not looks_like(name, ORG, OFFICIAL)


@pytest.mark.parametrize(
    "name",
    [
        "Gemeente Venlo Info (@vnl_gemeente)",  # the display name and its handle are read apart
        "Venlo info (@vnl_info@mastodon.social)",  # a handle that is no name does not clear the display name
        "Jan (@venlo_nieuws)",  # nor does a display name that is no name clear the handle
    ],
)
def test_look_alikes_with_a_handle(name: str) -> None:
    assert looks_like(name, ORG, OFFICIAL)


def test_a_shortened_word_of_the_name_is_the_name_but_a_longer_word_is_another() -> None:
    assert looks_like("North Yorks Council News", "North Yorkshire Council")
    assert not looks_like("Cellerfeld Info", "Stadt Celle")
    assert not looks_like("Jan de Vries (@jdevries)", ORG, OFFICIAL)


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("Namens de gemeente Heerenveen: alle wedstrijden zijn afgelast. Met vriendelijke groet, Team Communicatie",
         "Gemeente Heerenveen"),
        ("Wir als Stadtverwaltung bitten Sie, die Rußflocken in die Biotonne zu geben. Ihre Stadt Chemnitz",
         "Stadt Chemnitz"),
        ("Die Brücke bleibt gesperrt. Mvh Torsby kommun", "Torsby kommun"),
        ("Please stay off the beach today.\nKind regards, Gwynedd Council", "Gwynedd Council"),
    ],
)  # fmt: skip
def test_speaking_in_the_organisations_name_or_signing_as_it(text: str, organisation: str) -> None:
    assert impersonation(["Jannie de Vries"], text, organisation)


@pytest.mark.parametrize(
    "text",
    [
        "Gut gemacht, Stadt Chemnitz", "Liebe Grüße an die Stadt Chemnitz!", "Danke Stadt Chemnitz 🙏",
        "Hier die Infos zur Sperrung: Aktuelle Hinweise zum Hochwasser - Stadt Chemnitz",
        "Bauarbeiter, die im Namen der Stadt Chemnitz arbeiten, sperren die Brücke.",
        "Hilfe, Stadt Chemnitz!\nStadt Chemnitz",
    ],
)  # fmt: skip
def test_thanking_or_greeting_the_organisation_is_not_signing_as_it(text: str) -> None:
    assert impersonation(["Jannie de Vries"], text, "Stadt Chemnitz") is None


def test_a_number_in_a_name_identifies_nothing() -> None:
    assert looks_like("Joensuu Info 24/7", "Joensuun kaupunki")
    assert not looks_like("Joensuu Info 24/7", "Kuopion kaupunki")


def test_speaking_as_the_organisation_but_not_quoting_it() -> None:
    assert impersonation([], "Vi på Motala kommun vill tacka er alla", "Motala kommun")
    assert impersonation([], "Motala kommun: alla ska lämna området nu", "Motala kommun")
    assert impersonation([], "Enligt Motala kommun ska alla lämna området", "Motala kommun") is None
    assert (
        impersonation(["MVT"], "Motala kommun uppmanar alla att stanna inne", "Motala kommun", reporting=True) is None
    )


@pytest.mark.parametrize(
    ("name", "organisation"),
    [
        ("Tampereen kaupunki tiedottaa", "Tampereen kaupunki"),  # a claim verb dresses the name up too
        ("Rovaniemi Tiedote", "Rovaniemen kaupunki"),  # a genitive that changes the stem's end
        ("Helsinki Info", "Helsingin kaupunki"),
        ("HastingsBC_Official", "Hastings Borough Council"),  # the initials of its generic words
        ("AssenNL_Info", "Gemeente Assen"),  # a country code in a handle
        ("Bürgerinfo Göppingen", "Stadt Göppingen"),  # a compound ending in a generic word
        ("Kuopio Kriisitiedotus", "Kuopion kaupunki"),
        ("Stadt Winterthur Medien", "Stadt Winterthur"),
        ("Stadt Giessen Aktuell", "Stadt Gießen"),  # ß written as ss
        ("Kungsbacka Kommun IT-support", "Kungsbacka kommun"),  # the whole name, whatever follows it
        ("Gemeente Alphen a/d Rijn Nieuws", "Gemeente Alphen aan den Rijn"),  # "a/d" for "aan den"
        ("Nyse Info", "Nysse – Tampereen seudun joukkoliikenne"),  # a doubled letter written once
    ],
)
def test_look_alikes_in_every_shape_of_the_five_languages(name: str, organisation: str) -> None:
    assert looks_like(name, organisation)


@pytest.mark.parametrize(
    ("name", "organisation"),
    [
        ("Hastings Community Group", "Hastings Borough Council"),
        ("Assen Voetbal Nieuws", "Gemeente Assen"),
        ("Göppinger Zeitung", "Stadt Göppingen"),
        ("Anna Torsby", "Torsby kommun"),
        ("Kuopion Kalevan uutiset", "Kuopion kaupunki"),
        ("Kungsbacka kommuns pensionärsråd", "Kungsbacka kommun"),  # a body of the municipality's, by name
        ("Gemeente Alphen a/d Rijn Zwemclub", "Gemeente Alkmaar"),
        ("Nysa Info", "Nysse – Tampereen seudun joukkoliikenne"),  # another letter in a short name is another name
        ("Boon Nieuws", "Gemeente Bonn"),  # a double moved is no double dropped
        ("Kieler Nachrichten", "Landeshauptstadt Kiel"),  # the German adjective names newspapers, not the town's bodies
        ("Glarner Nachrichten", "Gemeinde Glarus Süd"),
    ],
)
def test_local_groups_media_and_people_named_after_the_town_are_not(name: str, organisation: str) -> None:
    assert not looks_like(name, organisation)


@pytest.mark.parametrize(
    ("name", "organisation"),
    [("Ylöjärven Uutiset", "Ylöjärven kaupunki"), ("rosenheim24", "Landratsamt Rosenheim"),
     ("Schaffhauser Nachrichten Online", "Spitäler Schaffhausen")],
)  # fmt: skip
def test_a_news_feed_named_after_the_town_is_a_masthead_not_a_look_alike(name: str, organisation: str) -> None:
    assert looks_like(name, organisation) and not looks_like(name, organisation, masthead=True)
    # A news feed by the organisation's own name, or an official account's nearly, still looks like it.
    assert looks_like(f"{organisation} Aktuell", organisation, masthead=True)
    assert impersonation([name], "Die Zufahrt ist gesperrt.", organisation, reporting=True) is None
