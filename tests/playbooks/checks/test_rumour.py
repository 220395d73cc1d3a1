"""R2: the learned rumour model explains itself, and its weights are what the training script produces."""

from __future__ import annotations

import json

import pytest

from playbooks.checks import rumour
from scripts import train_rumour


def test_a_rumour_is_explained_by_its_cues_and_strongest_ngrams() -> None:
    scored = rumour.score("Kuulemma kaupunki salaa kaasuvuodon!!! Jakakaa", "fi")
    assert scored.is_rumour and scored.strong and scored.language == "fi"
    assert {"hearsay: kuulemma", "coverup: salaa", "share: jakakaa"} <= set(scored.cues)
    assert scored.ngrams and all(isinstance(g, str) for g in scored.ngrams)


@pytest.mark.parametrize(
    "text",
    ["Laut Polizei ist die Strasse gesperrt. Weitere Infos folgen.",
     "Weet iemand of de sporthal open is vannacht?",
     "Thank you to the fire crews working through the night."],
)  # fmt: skip
def test_relays_questions_and_thanks_are_not_rumours(text: str) -> None:
    assert not rumour.score(text).is_rumour


def test_a_relative_is_a_source_only_when_they_say_something_or_work_for_a_service() -> None:
    mentioned = rumour.score("Har värmestugan mat? Tänkte ta med mamma som är 89 och inte kan vara hemma", "sv")
    assert not any(c.startswith("secondhand") for c in mentioned.cues) and not mentioned.is_rumour
    says = rumour.score("My cousin is a nurse at the hospital and says the ER is full of heatstroke cases", "en")
    assert "secondhand: my cousin" in says.cues and says.strong
    works = rumour.score("Min kusin som jobbar på sjukhuset: tre är döda", "sv")
    assert any(c.startswith("secondhand") for c in works.cues)


def test_according_to_a_relative_is_their_word_not_an_official_source() -> None:
    # A bare "mukaan" / "enligt" is an official source's in "kaupungin mukaan"; after a relative it is theirs.
    cousin = rumour.score(
        "Mun serkku on palokunnassa ja sen mukaan tuli on jo karannut ja kaksi mökkiä on palanut.", "fi"
    )
    assert any(c.startswith("secondhand") for c in cousin.cues) and cousin.strong
    assert not any(c.startswith("official_source") for c in rumour.features("Mun serkku sanoo, sen mukaan …")[1])
    town = rumour.features("Kaupungin mukaan vesi on juomakelpoista.")[1]
    assert "official_source: kaupungin mukaan" in town


def test_a_finnish_negation_with_an_emphasis_clitic_is_still_a_negation() -> None:
    # "eihän ne myönnä" is "ei ne myönnä" (they won't admit it) with -hän for emphasis.
    assert any(c.startswith("coverup") for c in rumour.features("eihän ne ikinä myönnä, romuja vuosia")[1])
    assert any(c.startswith("coverup") for c in rumour.features("Eipä kukaan kerro mitään")[1])


def test_a_relay_of_the_towns_own_statement_is_no_rumour_even_with_casualty_words() -> None:
    relay = "Wie die Stadt Thun mitteilt, wurde das Schulhaus nach einer Drohung evakuiert. Verletzt wurde niemand."
    assert not rumour.score(relay, "de").is_rumour


def test_cues_of_all_five_languages_are_looked_for_whatever_the_declared_language() -> None:
    assert "hearsay: det sägs" in rumour.score("Det sägs att bron har rasat", "en").cues


def test_delexicalised_tokens_do_not_name_the_event() -> None:
    assert rumour.delexicalise("@polis 3 dead at #Ottawa https://t.co/x") == [
        "<user>",
        "<num>",
        "dead",
        "at",
        "<tag>",
        "ottawa",
        "<url>",
    ]


@pytest.mark.slow
@pytest.mark.skipif(
    not train_rumour.PHEME.exists(), reason="the PHEME corpus (../shared/corpora) is not beside this checkout"
)
def test_the_training_script_reproduces_the_shipped_model_exactly() -> None:
    examples = train_rumour.training_data()
    shipped = json.loads(rumour.MODEL_PATH.read_text(encoding="utf-8"))
    assert json.loads(train_rumour.model_json(train_rumour.fit_calibrated(examples), examples)) == shipped


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Värmen tillbaka runt 14 säger kommunen, håll ut folk", "sv"),
        ("Kasperin koulun jakelupiste on auki kello 18 saakka, kaupungilta kerrotaan.", "fi"),
        ("Der Geflügelmarkt am Samstag fällt aus, teilt der Landkreis mit.", "de"),
        ("Buren mogen om half 8 terug naar huis zegt de gemeente", "nl"),
    ],
)
def test_what_the_municipality_says_is_relayed_not_rumoured(text: str, language: str) -> None:
    assert not rumour.score(text, language).is_rumour


@pytest.mark.parametrize(
    "text",
    ["Funny how this always happens. Nobody'll say that out loud though.",
     "Funny how this always happens. They’re hiding the numbers."],
)  # fmt: skip
def test_contractions_and_typographic_apostrophes_are_read_as_the_cue_lists_write_them(text: str) -> None:
    assert "coverup" in {cue.split(":")[0] for cue in rumour.score(text, "en").cues}


@pytest.mark.parametrize(
    ("text", "language"),
    [("Dom vet nog mycket mer än dom släpper ut.", "sv"), ("Die wissen doch längst mehr.", "de"),
     ("They know a lot more than they let on.", "en"), ("Ze weten echt veel meer dan ze zeggen.", "nl"),
     ("Ne tietävät varmasti paljon enemmän kuin kertovat.", "fi")],
)  # fmt: skip
def test_they_know_more_than_they_say_is_cover_up_framing_in_each_language(text: str, language: str) -> None:
    assert "coverup" in {cue.split(":")[0] for cue in rumour.score(text, language).cues}


@pytest.mark.parametrize(
    "text",
    ["Mini Cousine schaffet uf de Verwaltig und die säged, alli Computer sind verschlüsslet.",
     "Me seit, d'Brugg sig scho lang kaputt gsi."],
)  # fmt: skip
def test_swiss_german_hearsay_and_second_hand_sources_are_cues(text: str) -> None:
    families = {cue.split(":")[0] for cue in rumour.score(text, "de").cues}
    assert families & {"hearsay", "secondhand"}


def test_speculation_about_a_cause_is_a_strong_cue() -> None:
    # "Probably the old switches again": a cause nobody announced, on a watched feed during the incident.
    scored = rumour.score("Varmaan taas ne vanhat vaihteet. Rata on ollut surkeassa kunnossa vuosia.", "fi")
    assert scored.strong and scored.is_rumour


@pytest.mark.parametrize(
    ("text", "language", "family"),
    [
        ("Twee medewerkers van de bakker zijn ontslagen, zegt men.", "nl", "hearsay"),
        ("Over het tweede lek zwijgen ze natuurlijk.", "nl", "coverup"),
        ("Die Stadt spielt das Ganze runter, wie immer.", "de", "coverup"),
        ("Da brennt noch was, hat ma a Feuerwehrler gsagt.", "de", "hearsay"),
        ("Tuntuu että tästä salaillaan jotain.", "fi", "coverup"),
        ("Hörde av en granne att bron är stängd hela veckan.", "sv", "hearsay"),
        # A cause stated as beyond doubt, which nobody announced: speculation in the words of certainty.
        ("Tietenkin se vuoti, huolto on ulkoistettu halvimmalle tarjoajalle.", "fi", "speculation"),
        ("Det är ryska hackare, 100%. Samma grupp som förra året.", "sv", "speculation"),
        ("Zeker weer een schipper die achter het roer zat te appen.", "nl", "speculation"),
        ("Des war jo kloar, seit's den Parkplatz baut hobn rutscht da Hang.", "de", "speculation"),
        ("Obviously the contractor cut corners on the scaffolding.", "en", "speculation"),
    ],
)
def test_everyday_hearsay_and_cover_up_idioms(text: str, language: str, family: str) -> None:
    scored = rumour.score(text, language)
    assert family in {cue.split(":")[0] for cue in scored.cues} and scored.is_rumour


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Tankarna stänger redan kl. 20 i kväll har jag hört, skynda er.", "sv"),
        ("Die B306 bleibt bis morgen gesperrt, hab ich grad gehört.", "de"),
        ("De brug blijft tot vrijdag dicht, heb ik gehoord.", "nl"),
    ],
)
def test_hearsay_after_other_words_keeps_its_meaning_with_the_verb_first(text: str, language: str) -> None:
    assert any(c.startswith("hearsay") for c in rumour.score(text, language).cues)


@pytest.mark.parametrize(
    "text", ["Har jag hört rätt att skolan är stängd?", "Hej alla, har jag hört rätt att skolan är stängd?"]
)
def test_a_clause_that_opens_with_its_verb_asks_rather_than_reports(text: str) -> None:
    assert not any(c.startswith("hearsay") for c in rumour.score(text, "sv").cues)


def test_the_inverted_order_is_read_only_for_each_languages_own_verb_and_subject() -> None:
    assert rumour.score("Vi har i dag fått besked om att skolan är stängd.", "sv").cues == []  # "i" is "in"
    assert "speculation: i think" in rumour.score("We had I think three power cuts today.", "en").cues
    assert "hearsay: hab i ghört" in rumour.score("D'Schui is zua, hab i ghört, sogts weiter!", "de").cues


@pytest.mark.parametrize(
    ("text", "language", "cue"),
    [
        ("Wia ma hört is do a Gasleitung explodiert.", "de", "hearsay: wie man hört"),
        ("Ab Montag kriagt jeder 5000 Euro vo da Gemeinde, hot ma ghört.", "de", "hearsay: hat man gehört"),
        ("Oans vo de Kinder liegt auf da Intensiv, sogt mei Schwager.", "de", "secondhand: schwager"),
        ("Sjaua, nu säjer dom att det ligger fler minor vid stranden.", "sv", "hearsay: säger de att"),
        # Every relative is a second-hand source when quoted, children and grandparents as much as cousins.
        ("Min dotter är lärare i Junsele och hon säger att skolan blir stängd.", "sv", "secondhand: dotter"),
        ("Meine Tochter sagt, die Schule bleibt die ganze Woche zu.", "de", "secondhand: tochter"),
        # An acquaintance, or someone unnamed, who works there.
        ("Alle systemen down volgens een bekende die daar werkt.", "nl", "secondhand: die daar werkt"),
        ("Hoor van iemand bij de veiligheidsregio dat ook Lochem geraakt is.", "nl", "hearsay: hoor van"),
        (
            "Heard it from someone who works there, the whole estate is being evacuated.",
            "en",
            "secondhand: from someone",
        ),
    ],
)
def test_hearsay_in_dialect_and_any_relative_quoted_are_cues(text: str, language: str, cue: str) -> None:
    assert cue in rumour.features(text, language)[1]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Någon som vet om skolan i Haga är öppen i morgon?", "sv"),
        ("Is er iemand die weet of de balie morgen open is?", "nl"),
    ],
)
def test_asking_whether_anyone_knows_names_no_source(text: str, language: str) -> None:
    assert not any(c.startswith("secondhand") for c in rumour.features(text, language)[1])


def test_a_dialect_spelling_adds_no_sign_against_a_rumour() -> None:
    # "wia" read as "wie" is no question word, "mei" read as "mein" no opinion of the writer's.
    cues = rumour.features("Wia ma hört, sogt mei Schwager, is da Damm brochn.", "de")[1]
    assert not any(c.startswith(("enquiry", "opinion")) for c in cues)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die kantonale Abteilung für Umwelt hat keine Natronlauge im Aabach festgestellt. Gerüchte über ein "
         "Fischsterben seien falsch.", "de"),
        ("Poliisin mukaan huhut kuolleista kaloista eivät pidä paikkaansa.", "fi"),
        ("Kommunen: ryktena om döda fiskar i ån stämmer inte.", "sv"),
    ],
)  # fmt: skip
def test_a_rumour_named_to_deny_it_is_no_hearsay(text: str, language: str) -> None:
    assert not any(c.startswith("hearsay") for c in rumour.score(text, language).cues)


def test_a_rumour_passed_on_is_hearsay_however_it_ends() -> None:
    found = rumour.score("Gerüchte: im Aabach sind alle Fische tot, sagt mein Nachbar. Teilt das!", "de")
    assert found.is_rumour and any(c.startswith("hearsay") for c in found.cues)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ryktet säger att vattnet i Kåge är förgiftat, något stämmer inte!", "sv"),
        ("Gerüchte machen die Runde: im Werk sind Fässer explodiert. Was die Stadt sagt, stimmt nicht!", "de"),
        ("Huhu kertoo että koulussa on kuollut lapsia, poliisin tieto ei pidä paikkaansa.", "fi"),
        ("Rumour going round that Withybush is being evacuated. The council is wrong to say all is fine.", "en"),
    ],
)
def test_a_rumour_passed_on_beside_a_denial_of_something_else_is_still_hearsay(text: str, language: str) -> None:
    assert any(c.startswith("hearsay") for c in rumour.score(text, language).cues)
