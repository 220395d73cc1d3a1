"""Interface languages (en, sv, fi, de, nl): the English text is the key; a missing entry falls back to it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard.i18n_alerts import ALERT_TEXTS
from dashboard.i18n_checks import draft_check_line
from dashboard.i18n_desk import TEXTS
from dashboard.i18n_partners import PARTNER_TEXTS
from playbooks.review.words import TEXTS as REVIEW_TEXTS
from playbooks.workflow.partners import CONTRADICTS

LANGUAGES = {"en": "English", "sv": "Svenska", "fi": "Suomi", "de": "Deutsch", "nl": "Nederlands"}

_T: dict[str, dict[str, str]] = {
    "Live monitor": {"sv": "Läget nu", "fi": "Tilannekuva", "de": "Lagebild", "nl": "Actueel beeld"},
    "Approvals": {"sv": "Godkännanden", "fi": "Hyväksynnät", "de": "Freigaben", "nl": "Goedkeuringen"},
    "Drafting": {"sv": "Skriva", "fi": "Luonnokset", "de": "Entwürfe", "nl": "Opstellen"},
    "Sources": {"sv": "Källor", "fi": "Lähteet", "de": "Quellen", "nl": "Bronnen"},
    "Review": {"sv": "Utvärdering", "fi": "Jälkiarvio", "de": "Auswertung", "nl": "Evaluatie"},
    "Sign in": {"sv": "Logga in", "fi": "Kirjaudu", "de": "Anmelden", "nl": "Inloggen"},
    "Sign out": {"sv": "Logga ut", "fi": "Kirjaudu ulos", "de": "Abmelden", "nl": "Uitloggen"},
    "User name": {"sv": "Användarnamn", "fi": "Käyttäjätunnus", "de": "Benutzername", "nl": "Gebruikersnaam"},
    "Password": {"sv": "Lösenord", "fi": "Salasana", "de": "Passwort", "nl": "Wachtwoord"},
    "Wrong user name or password.": {"sv": "Fel användarnamn eller lösenord.", "fi": "Väärä tunnus tai salasana.",
                                     "de": "Falscher Benutzername oder falsches Passwort.",
                                     "nl": "Onjuiste gebruikersnaam of wachtwoord."},
    "Your session has expired: please sign in again.": {"sv": "Din session har gått ut: logga in igen.",
                                                         "fi": "Istunto on vanhentunut: kirjaudu uudelleen.",
                                                         "de": "Ihre Sitzung ist abgelaufen: bitte neu anmelden.",
                                                         "nl": "Uw sessie is verlopen: log opnieuw in."},
    "Sign in with single sign-on": {"sv": "Logga in med SSO", "fi": "Kirjaudu kertakirjautumisella",
                                    "de": "Mit Single Sign-on anmelden", "nl": "Inloggen met single sign-on"},
    "Sign out of single sign-on": {"sv": "Logga ut från SSO", "fi": "Kirjaudu ulos kertakirjautumisesta",
                                   "de": "Von Single Sign-on abmelden", "nl": "Uitloggen bij single sign-on"},
    "No open incident.": {"sv": "Ingen pågående händelse.", "fi": "Ei avointa tilannetta.",
                          "de": "Kein offenes Ereignis.", "nl": "Geen open incident."},
    "Next website update": {"sv": "Nästa uppdatering på webben", "fi": "Seuraava verkkosivupäivitys",
                            "de": "Nächstes Website-Update", "nl": "Volgende website-update"},
    "overdue": {"sv": "försenad", "fi": "myöhässä", "de": "überfällig", "nl": "te laat"},
    "due": {"sv": "snart dags", "fi": "erääntymässä", "de": "fällig", "nl": "binnenkort"},
    "ok": {"sv": "i tid", "fi": "ajallaan", "de": "im Plan", "nl": "op tijd"},
    "Flags": {"sv": "Flaggor", "fi": "Liputukset", "de": "Hinweise", "nl": "Signalen"},
    "No open flags.": {"sv": "Inga öppna flaggor.", "fi": "Ei avoimia liputuksia.", "de": "Keine offenen Hinweise.",
                       "nl": "Geen open signalen."},
    "Action": {"sv": "Åtgärd", "fi": "Toimenpide", "de": "Aktion", "nl": "Actie"},
    "assign": {"sv": "tilldela", "fi": "osoita", "de": "zuweisen", "nl": "toewijzen"},
    "escalate": {"sv": "eskalera", "fi": "eskaloi", "de": "eskalieren", "nl": "escaleren"},
    "answer with an approved message": {"sv": "besvara med godkänt meddelande", "fi": "vastaa hyväksytyllä viestillä",
                                        "de": "mit freigegebener Meldung beantworten",
                                        "nl": "beantwoorden met goedgekeurd bericht"},
    # Never the word for rejecting a message ("Reject"): dismissing a flag is another act (issue 13).
    "dismiss": {"sv": "avfärda", "fi": "ohita", "de": "verwerfen", "nl": "terzijde leggen"},
    "To": {"sv": "Till", "fi": "Kenelle", "de": "An", "nl": "Aan"},
    "Reason": {"sv": "Motivering", "fi": "Perustelu", "de": "Begründung", "nl": "Reden"},
    "Approved message": {"sv": "Godkänt meddelande", "fi": "Hyväksytty viesti", "de": "Freigegebene Meldung",
                         "nl": "Goedgekeurd bericht"},
    "Apply": {"sv": "Utför", "fi": "Toteuta", "de": "Ausführen", "nl": "Uitvoeren"},
    "Posts": {"sv": "Inlägg", "fi": "Julkaisut", "de": "Beiträge", "nl": "Berichten"},
    "Account kind": {"sv": "Kontotyp", "fi": "Tilin tyyppi", "de": "Kontoart", "nl": "Soort account"},
    "Language": {"sv": "Språk", "fi": "Kieli", "de": "Sprache", "nl": "Taal"},
    "Only flagged posts": {"sv": "Bara flaggade inlägg", "fi": "Vain liputetut", "de": "Nur markierte Beiträge",
                           "nl": "Alleen gesignaleerde berichten"},
    "Posts and flags per 15 minutes": {"sv": "Inlägg och flaggor per kvart", "fi": "Julkaisut ja liputukset vartissa",
                                       "de": "Beiträge und Hinweise pro 15 Minuten",
                                       "nl": "Berichten en signalen per kwartier"},
    "Approved messages and website copies": {"sv": "Godkända meddelanden och webbkopior",
                                             "fi": "Hyväksytyt viestit ja verkkosivukopiot",
                                             "de": "Freigegebene Meldungen und Website-Kopien",
                                             "nl": "Goedgekeurde berichten en websitekopieën"},
    "Submitted drafts": {"sv": "Inskickade utkast", "fi": "Lähetetyt luonnokset", "de": "Eingereichte Entwürfe",
                         "nl": "Ingediende concepten"},
    "Nothing waits for approval.": {"sv": "Inget väntar på godkännande.", "fi": "Mikään ei odota hyväksyntää.",
                                    "de": "Nichts wartet auf Freigabe.", "nl": "Niets wacht op goedkeuring."},
    "Approve": {"sv": "Godkänn", "fi": "Hyväksy", "de": "Freigeben", "nl": "Goedkeuren"},
    "Reject": {"sv": "Avvisa", "fi": "Hylkää", "de": "Ablehnen", "nl": "Afwijzen"},
    "Publish": {"sv": "Publicera", "fi": "Julkaise", "de": "Veröffentlichen", "nl": "Publiceren"},
    "Your own draft: another lead must approve it.": {"sv": "Ditt eget utkast: en annan ledare måste godkänna det.",
                                                      "fi": "Oma luonnoksesi: toisen vastaavan on hyväksyttävä se.",
                                                      "de": "Ihr eigener Entwurf: eine andere Leitung muss ihn freigeben.",
                                                      "nl": "Uw eigen concept: een andere leidinggevende moet het goedkeuren."},
    "Approved, not yet published": {"sv": "Godkänt, ännu inte publicerat", "fi": "Hyväksytty, ei vielä julkaistu",
                                    "de": "Freigegeben, noch nicht veröffentlicht",
                                    "nl": "Goedgekeurd, nog niet gepubliceerd"},
    "Update due": {"sv": "Uppdatering behövs", "fi": "Päivitys erääntyy", "de": "Update fällig", "nl": "Update nodig"},
    "Repeat the current message now?": {"sv": "Upprepa det aktuella meddelandet nu?", "fi": "Toistetaanko nykyinen viesti nyt?",
                                        "de": "Aktuelle Meldung jetzt wiederholen?", "nl": "Het huidige bericht nu herhalen?"},
    "Repeat": {"sv": "Upprepa", "fi": "Toista", "de": "Wiederholen", "nl": "Herhalen"},
    "Checks": {"sv": "Kontroller", "fi": "Tarkistukset", "de": "Prüfungen", "nl": "Controles"},
    "No warnings.": {"sv": "Inga varningar.", "fi": "Ei varoituksia.", "de": "Keine Warnungen.", "nl": "Geen waarschuwingen."},
    "Changes against the current message": {"sv": "Ändringar mot det aktuella meddelandet",
                                            "fi": "Muutokset nykyiseen viestiin",
                                            "de": "Änderungen gegenüber der aktuellen Meldung",
                                            "nl": "Wijzigingen ten opzichte van het huidige bericht"},
    "Incident": {"sv": "Händelse", "fi": "Tilanne", "de": "Ereignis", "nl": "Incident"},
    "Message": {"sv": "Meddelande", "fi": "Viesti", "de": "Meldung", "nl": "Bericht"},
    "Save and submit for approval": {"sv": "Spara och skicka för godkännande", "fi": "Tallenna ja lähetä hyväksyttäväksi",
                                     "de": "Speichern und zur Freigabe einreichen",
                                     "nl": "Opslaan en ter goedkeuring indienen"},
    "Account registry": {"sv": "Kontoregister", "fi": "Tilirekisteri", "de": "Kontenregister", "nl": "Accountregister"},
    "Feed health": {"sv": "Flödenas hälsa", "fi": "Syötteiden tila", "de": "Feed-Status", "nl": "Status van feeds"},
    "Official crisis feed": {"sv": "Officiellt krisflöde", "fi": "Virallinen kriisisyöte", "de": "Offizieller Krisen-Feed",
                             "nl": "Officiële crisisfeed"},
    "Done.": {"sv": "Klart.", "fi": "Valmis.", "de": "Erledigt.", "nl": "Klaar."},
    "You may not open this page.": {"sv": "Du har inte behörighet till sidan.", "fi": "Sinulla ei ole oikeutta sivulle.",
                                    "de": "Sie dürfen diese Seite nicht öffnen.", "nl": "U mag deze pagina niet openen."},
    "Show more": {"sv": "Visa fler", "fi": "Näytä lisää", "de": "Mehr anzeigen", "nl": "Meer tonen"},
    "Triage": {"sv": "Hantera", "fi": "Käsittele", "de": "Bearbeiten", "nl": "Afhandelen"},
    "Time zone": {"sv": "Tidszon", "fi": "Aikavyöhyke", "de": "Zeitzone", "nl": "Tijdzone"},
    # Flag cards (issue 13): what each kind means, the evidence in words, statuses.
    "Official post nobody approved": {"sv": "Officiellt inlägg som ingen godkänt", "fi": "Virallinen julkaisu, jota kukaan ei hyväksynyt",
                                      "de": "Offizieller Beitrag ohne Freigabe", "nl": "Officieel bericht dat niemand goedkeurde"},
    "One of our official accounts posted this, but no approved message says it.": {
        "sv": "Ett av våra officiella konton publicerade detta, men inget godkänt meddelande säger det.",
        "fi": "Yksi virallisista tileistämme julkaisi tämän, mutta mikään hyväksytty viesti ei sano niin.",
        "de": "Eines unserer offiziellen Konten hat dies veröffentlicht, aber keine freigegebene Meldung sagt das.",
        "nl": "Een van onze officiële accounts plaatste dit, maar geen goedgekeurd bericht zegt dat."},
    "Contradicts the approved message": {"sv": "Motsäger det godkända meddelandet", "fi": "Ristiriidassa hyväksytyn viestin kanssa",
                                         "de": "Widerspricht der freigegebenen Meldung", "nl": "Spreekt het goedgekeurde bericht tegen"},
    "This post says something different from what was approved.": {
        "sv": "Inlägget säger något annat än det som godkänts.", "fi": "Julkaisu sanoo muuta kuin mitä hyväksyttiin.",
        "de": "Dieser Beitrag sagt etwas anderes als das Freigegebene.", "nl": "Dit bericht zegt iets anders dan wat is goedgekeurd."},
    "Rumour": {"sv": "Rykte", "fi": "Huhu", "de": "Gerücht", "nl": "Gerucht"},
    "An unconfirmed claim about the incident is spreading.": {
        "sv": "Ett obekräftat påstående om händelsen sprids.", "fi": "Tilanteesta leviää vahvistamaton väite.",
        "de": "Eine unbestätigte Behauptung über das Ereignis verbreitet sich.", "nl": "Er gaat een onbevestigde bewering over het incident rond."},
    "Not yet on the website": {"sv": "Inte på webben än", "fi": "Ei vielä verkkosivuilla", "de": "Noch nicht auf der Website",
                               "nl": "Nog niet op de website"},
    "An approved message went out on social media, but the website has not carried it in time.": {
        "sv": "Ett godkänt meddelande gick ut i sociala medier, men webben har inte fått det i tid.",
        "fi": "Hyväksytty viesti julkaistiin somessa, mutta verkkosivuilla sitä ei ole ajoissa.",
        "de": "Eine freigegebene Meldung ging in die sozialen Medien, aber die Website hat sie nicht rechtzeitig übernommen.",
        "nl": "Een goedgekeurd bericht ging op sociale media uit, maar de website heeft het niet op tijd overgenomen."},
    "Look-alike account": {"sv": "Förväxlingsbart konto", "fi": "Jäljittelevä tili", "de": "Nachahmer-Konto", "nl": "Nagemaakt account"},
    "An account that is not ours speaks in the organisation's name.": {
        "sv": "Ett konto som inte är vårt talar i organisationens namn.", "fi": "Tili, joka ei ole meidän, puhuu organisaation nimissä.",
        "de": "Ein Konto, das nicht uns gehört, spricht im Namen der Organisation.", "nl": "Een account dat niet van ons is, spreekt namens de organisatie."},
    "open": {"sv": "öppen", "fi": "avoin", "de": "offen", "nl": "open"},
    "assigned": {"sv": "tilldelad", "fi": "osoitettu", "de": "zugewiesen", "nl": "toegewezen"},
    "escalated": {"sv": "eskalerad", "fi": "eskaloitu", "de": "eskaliert", "nl": "geëscaleerd"},
    "dismissed": {"sv": "avfärdad", "fi": "ohitettu", "de": "verworfen", "nl": "terzijde gelegd"},
    "resolved": {"sv": "besvarad", "fi": "vastattu", "de": "beantwortet", "nl": "beantwoord"},
    "assigned to": {"sv": "tilldelad", "fi": "vastuussa", "de": "zugewiesen an", "nl": "toegewezen aan"},
    "Rule": {"sv": "Regel", "fi": "Sääntö", "de": "Regel", "nl": "Regel"},
    "score": {"sv": "poäng", "fi": "pisteet", "de": "Wert", "nl": "score"},
    "Closest approved message": {"sv": "Närmaste godkända meddelande", "fi": "Lähin hyväksytty viesti",
                                 "de": "Nächste freigegebene Meldung", "nl": "Meest verwante goedgekeurde bericht"},
    "Words shared with it": {"sv": "Gemensamma ord", "fi": "Yhteisiä sanoja", "de": "Gemeinsame Wörter", "nl": "Gedeelde woorden"},
    "Facts differ from the approved message": {"sv": "Fakta skiljer sig från det godkända meddelandet",
                                               "fi": "Tiedot poikkeavat hyväksytystä viestistä",
                                               "de": "Fakten weichen von der freigegebenen Meldung ab",
                                               "nl": "Feiten wijken af van het goedgekeurde bericht"},
    "The approved message has been revised since": {"sv": "Det godkända meddelandet har reviderats sedan dess",
                                                    "fi": "Hyväksyttyä viestiä on sittemmin muutettu",
                                                    "de": "Die freigegebene Meldung wurde seither überarbeitet",
                                                    "nl": "Het goedgekeurde bericht is sindsdien herzien"},
    "Rumour cues": {"sv": "Ryktestecken", "fi": "Huhun merkit", "de": "Gerüchte-Hinweise", "nl": "Kenmerken van een gerucht"},
    "Typical rumour phrasing": {"sv": "Typiska ryktesformuleringar", "fi": "Huhuille tyypillisiä ilmauksia",
                                "de": "Typische Gerüchte-Formulierungen", "nl": "Typische geruchtformuleringen"},
    "Account name": {"sv": "Kontonamn", "fi": "Tilin nimi", "de": "Kontoname", "nl": "Accountnaam"},
    "The name is the organisation's, with generic words": {"sv": "Namnet är organisationens, med allmänna ord",
                                                           "fi": "Nimi on organisaation nimi yleissanoin höystettynä",
                                                           "de": "Der Name ist der der Organisation, mit allgemeinen Wörtern",
                                                           "nl": "De naam is die van de organisatie, met algemene woorden"},
    "The post speaks in the organisation's name": {"sv": "Inlägget talar i organisationens namn",
                                                   "fi": "Julkaisu puhuu organisaation nimissä",
                                                   "de": "Der Beitrag spricht im Namen der Organisation",
                                                   "nl": "Het bericht spreekt namens de organisatie"},
    "In the post": {"sv": "I inlägget", "fi": "Julkaisussa", "de": "Im Beitrag", "nl": "In het bericht"},
    "Waiting for the website copy for": {"sv": "Väntar på webbkopian sedan", "fi": "Verkkosivukopiota odotettu",
                                         "de": "Wartet auf die Website-Kopie seit", "nl": "Wacht op de websitekopie sinds"},
    "Website copy came late, at": {"sv": "Webbkopian kom sent, kl.", "fi": "Verkkosivukopio tuli myöhässä, klo",
                                   "de": "Website-Kopie kam spät, um", "nl": "Websitekopie kwam te laat, om"},
    "The website has not carried it yet": {"sv": "Webben har inte publicerat det än", "fi": "Verkkosivuilla sitä ei vielä ole",
                                           "de": "Die Website hat es noch nicht übernommen", "nl": "De website heeft het nog niet overgenomen"},
    "this value was replaced by message": {"sv": "uppgiften ersattes av meddelande", "fi": "tieto korvattiin viestillä",
                                           "de": "dieser Wert wurde ersetzt durch Meldung", "nl": "deze waarde is vervangen door bericht"},
    "Why it concerns the incident": {"sv": "Varför det gäller händelsen", "fi": "Miksi se liittyy tilanteeseen",
                                     "de": "Warum es das Ereignis betrifft", "nl": "Waarom het het incident betreft"},
    "The post says": {"sv": "Inlägget säger", "fi": "Julkaisu sanoo", "de": "Der Beitrag sagt", "nl": "Het bericht zegt"},
    "Approved": {"sv": "Godkänt", "fi": "Hyväksytty", "de": "Freigegeben", "nl": "Goedgekeurd"},
    "website": {"sv": "webbplats", "fi": "verkkosivu", "de": "Website", "nl": "website"},
    "social": {"sv": "sociala medier", "fi": "some", "de": "soziale Medien", "nl": "sociale media"},
    "alert": {"sv": "varning", "fi": "varoitus", "de": "Warnung", "nl": "waarschuwing"},
    "watch": {"sv": "bevakad", "fi": "seurattu", "de": "beobachtet", "nl": "gevolgd"},
    "unknown": {"sv": "okänt", "fi": "tuntematon", "de": "unbekannt", "nl": "onbekend"},
    # Repeats and drafting (issue 13, items 2 and 4).
    "Nothing is published yet: there is no message to repeat.": {
        "sv": "Inget är publicerat än: det finns inget meddelande att upprepa.",
        "fi": "Mitään ei ole vielä julkaistu: toistettavaa viestiä ei ole.",
        "de": "Noch nichts veröffentlicht: es gibt keine Meldung zum Wiederholen.",
        "nl": "Er is nog niets gepubliceerd: er is geen bericht om te herhalen."},
    "The live message": {"sv": "Det gällande meddelandet", "fi": "Voimassa oleva viesti", "de": "Die gültige Meldung",
                         "nl": "Het geldende bericht"},
    "published": {"sv": "publicerat", "fi": "julkaistu", "de": "veröffentlicht", "nl": "gepubliceerd"},
    "Published on the official crisis feed at": {"sv": "Publicerat i det officiella krisflödet", "fi": "Julkaistu viralliseen kriisisyötteeseen",
                                                 "de": "Im offiziellen Krisen-Feed veröffentlicht am", "nl": "Gepubliceerd in de officiële crisisfeed op"},
    "The update counts once the website carries it: the website copy is still pending.": {
        "sv": "Uppdateringen räknas först när webben har den: webbkopian saknas fortfarande.",
        "fi": "Päivitys lasketaan vasta, kun se on verkkosivuilla: verkkosivukopio puuttuu vielä.",
        "de": "Das Update zählt erst, wenn die Website es zeigt: die Website-Kopie steht noch aus.",
        "nl": "De update telt pas als de website hem toont: de websitekopie ontbreekt nog."},
    "A repeat waits for approval": {"sv": "En upprepning väntar på godkännande", "fi": "Toisto odottaa hyväksyntää",
                                    "de": "Eine Wiederholung wartet auf Freigabe", "nl": "Een herhaling wacht op goedkeuring"},
    "characters": {"sv": "tecken", "fi": "merkkiä", "de": "Zeichen", "nl": "tekens"},
    "Fill in the template first: these placeholders are still in the text": {
        "sv": "Fyll i mallen först: de här platshållarna finns kvar i texten",
        "fi": "Täytä pohja ensin: nämä paikkamerkit ovat yhä tekstissä",
        "de": "Füllen Sie zuerst die Vorlage aus: diese Platzhalter stehen noch im Text",
        "nl": "Vul eerst het sjabloon in: deze plaatshouders staan nog in de tekst"},
    "This text was submitted as": {"sv": "Den här texten skickades in som", "fi": "Tämä teksti lähetettiin viestinä",
                                   "de": "Dieser Text wurde eingereicht als", "nl": "Deze tekst is ingediend als"},
    "Submitted for approval.": {"sv": "Inskickat för godkännande.", "fi": "Lähetetty hyväksyttäväksi.",
                                "de": "Zur Freigabe eingereicht.", "nl": "Ter goedkeuring ingediend."},
    # The Review page (issue 13 item 5).
    "Flag": {"sv": "Flagga", "fi": "Liputus", "de": "Hinweis", "nl": "Signaal"},
    "Account": {"sv": "Konto", "fi": "Tili", "de": "Konto", "nl": "Account"},
    "Time": {"sv": "Tid", "fi": "Aika", "de": "Zeit", "nl": "Tijd"},
    "Status": {"sv": "Status", "fi": "Tila", "de": "Status", "nl": "Status"},
    "Post": {"sv": "Inlägg", "fi": "Julkaisu", "de": "Beitrag", "nl": "Bericht"},
    "No flags.": {"sv": "Inga flaggor.", "fi": "Ei liputuksia.", "de": "Keine Hinweise.", "nl": "Geen signalen."},
    "Downloads": {"sv": "Nedladdningar", "fi": "Lataukset", "de": "Downloads", "nl": "Downloads"},
    "Prepare exports": {"sv": "Förbered exporter", "fi": "Valmistele viennit", "de": "Exporte vorbereiten",
                        "nl": "Exports voorbereiden"},
    "The PDF could not be made on this server; the other downloads work.": {
        "sv": "PDF:en kunde inte skapas på servern; övriga nedladdningar fungerar.",
        "fi": "PDF:ää ei voitu tehdä palvelimella; muut lataukset toimivat.",
        "de": "Das PDF konnte auf diesem Server nicht erstellt werden; die anderen Downloads funktionieren.",
        "nl": "De pdf kon op deze server niet worden gemaakt; de andere downloads werken."},
    "posts: too many to prepare here. On the server, run": {
        "sv": "inlägg: för många för att förbereda här. Kör på servern",
        "fi": "julkaisua: liian monta valmisteltavaksi täällä. Aja palvelimella",
        "de": "Beiträge: zu viele, um sie hier vorzubereiten. Auf dem Server ausführen",
        "nl": "berichten: te veel om hier voor te bereiden. Voer op de server uit"},
    "Archive (zip)": {"sv": "Arkiv (zip)", "fi": "Arkisto (zip)", "de": "Archiv (zip)", "nl": "Archief (zip)"},
    "Tables as CSV": {"sv": "Tabeller som CSV", "fi": "Taulukot CSV-muodossa", "de": "Tabellen als CSV", "nl": "Tabellen als CSV"},
    "scorecard": {"sv": "resultat", "fi": "tulokset", "de": "Ergebnisse", "nl": "resultaten"},
    "timeline": {"sv": "tidslinje", "fi": "aikajana", "de": "Zeitleiste", "nl": "tijdlijn"},
    "messages": {"sv": "meddelanden", "fi": "viestit", "de": "Meldungen", "nl": "berichten"},
    "flags": {"sv": "flaggor", "fi": "liputukset", "de": "Hinweise", "nl": "signalen"},
    "posts": {"sv": "inlägg", "fi": "julkaisut", "de": "Beiträge", "nl": "geplaatste berichten"},
    "audit": {"sv": "logg", "fi": "loki", "de": "Protokoll", "nl": "logboek"},
    "Dismiss this message": {"sv": "Stäng meddelandet", "fi": "Sulje ilmoitus", "de": "Hinweis schließen",
                             "nl": "Melding sluiten"},
    # Incidents, people and the first run (issue 13 items 3 and 4).
    '1. Create the first administrator below. 2. As the administrator, add the team on the Users page. 3. Import the account registry (the accounts to watch). 4. A lead opens the first incident on the Incidents page.': {'sv': '1. Skapa den första administratören nedan. 2. Lägg som administratör till teamet på sidan Användare. 3. Importera kontoregistret (kontona som bevakas). 4. En kommunikationsansvarig öppnar den första händelsen på sidan Händelser.', 'fi': '1. Luo ensimmäinen ylläpitäjä alla. 2. Lisää ylläpitäjänä tiimi Käyttäjät-sivulla. 3. Tuo tilirekisteri (seurattavat tilit). 4. Viestintävastaava avaa ensimmäisen tilanteen Tilanteet-sivulla.', 'de': '1. Legen Sie unten den ersten Administrator an. 2. Fügen Sie als Administrator das Team auf der Seite Benutzer hinzu. 3. Importieren Sie das Kontenregister (die beobachteten Konten). 4. Eine Kommunikationsleitung eröffnet das erste Ereignis auf der Seite Ereignisse.', 'nl': '1. Maak hieronder de eerste beheerder aan. 2. Voeg als beheerder het team toe op de pagina Gebruikers. 3. Importeer het accountregister (de gevolgde accounts). 4. Een communicatieleider opent het eerste incident op de pagina Incidenten.'},
    'A website update every 5 minutes at the most often.': {'sv': 'Högst en webbuppdatering var 5:e minut.', 'fi': 'Verkkosivupäivitys korkeintaan 5 minuutin välein.', 'de': 'Ein Website-Update höchstens alle 5 Minuten.', 'nl': 'Hoogstens elke 5 minuten een website-update.'},
    'Add': {'sv': 'Lägg till', 'fi': 'Lisää', 'de': 'Hinzufügen', 'nl': 'Toevoegen'},
    'Add a user': {'sv': 'Lägg till en användare', 'fi': 'Lisää käyttäjä', 'de': 'Benutzer hinzufügen', 'nl': 'Gebruiker toevoegen'},
    'At least 10 characters, with upper and lower case letters and digits.': {'sv': 'Minst 10 tecken, med stora och små bokstäver och siffror.', 'fi': 'Vähintään 10 merkkiä: isoja ja pieniä kirjaimia sekä numeroita.', 'de': 'Mindestens 10 Zeichen, mit Groß- und Kleinbuchstaben und Ziffern.', 'nl': 'Minstens 10 tekens, met hoofdletters, kleine letters en cijfers.'},
    'Change a user': {'sv': 'Ändra en användare', 'fi': 'Muokkaa käyttäjää', 'de': 'Benutzer ändern', 'nl': 'Gebruiker wijzigen'},
    'Change my password': {'sv': 'Byt mitt lösenord', 'fi': 'Vaihda salasanani', 'de': 'Mein Passwort ändern', 'nl': 'Mijn wachtwoord wijzigen'},
    'Change the phase': {'sv': 'Byt fas', 'fi': 'Vaihda vaihe', 'de': 'Phase ändern', 'nl': 'Fase wijzigen'},
    'Close the incident': {'sv': 'Avsluta händelsen', 'fi': 'Sulje tilanne', 'de': 'Ereignis schließen', 'nl': 'Incident sluiten'},
    'Correct this message': {'sv': 'Rätta meddelandet', 'fi': 'Korjaa viesti', 'de': 'Meldung berichtigen', 'nl': 'Bericht corrigeren'},
    'Corrected text': {'sv': 'Rättad text', 'fi': 'Korjattu teksti', 'de': 'Berichtigter Text', 'nl': 'Gecorrigeerde tekst'},
    'Correction': {'sv': 'Rättelse', 'fi': 'Oikaisu', 'de': 'Berichtigung', 'nl': 'Correctie'},
    'Create the administrator': {'sv': 'Skapa administratören', 'fi': 'Luo ylläpitäjä', 'de': 'Administrator anlegen', 'nl': 'Beheerder aanmaken'},
    'Current password': {'sv': 'Nuvarande lösenord', 'fi': 'Nykyinen salasana', 'de': 'Aktuelles Passwort', 'nl': 'Huidig wachtwoord'},
    'Disable': {'sv': 'Inaktivera', 'fi': 'Poista käytöstä', 'de': 'Deaktivieren', 'nl': 'Uitschakelen'},
    'Exercise': {'sv': 'Övning', 'fi': 'Harjoitus', 'de': 'Übung', 'nl': 'Oefening'},
    'Incidents': {'sv': 'Händelser', 'fi': 'Tilanteet', 'de': 'Ereignisse', 'nl': 'Incidenten'},
    'Keywords': {'sv': 'Nyckelord', 'fi': 'Avainsanat', 'de': 'Schlagwörter', 'nl': 'Trefwoorden'},
    "Keywords (comma-separated; empty: the playbook's)": {'sv': 'Nyckelord (kommaseparerade; tomt: spelbokens)', 'fi': 'Avainsanat (pilkuin eroteltuina; tyhjä: toimintaohjeen)', 'de': 'Schlagwörter (durch Komma getrennt; leer: die des Playbooks)', 'nl': "Trefwoorden (gescheiden door komma's; leeg: die van het draaiboek)"},
    'My account': {'sv': 'Mitt konto', 'fi': 'Oma tili', 'de': 'Mein Konto', 'nl': 'Mijn account'},
    'New password': {'sv': 'Nytt lösenord', 'fi': 'Uusi salasana', 'de': 'Neues Passwort', 'nl': 'Nieuw wachtwoord'},
    'New password again': {'sv': 'Nytt lösenord igen', 'fi': 'Uusi salasana uudelleen', 'de': 'Neues Passwort wiederholen', 'nl': 'Nieuw wachtwoord nogmaals'},
    'Nothing is published yet.': {'sv': 'Inget är publicerat än.', 'fi': 'Mitään ei ole vielä julkaistu.', 'de': 'Noch nichts veröffentlicht.', 'nl': 'Nog niets gepubliceerd.'},
    'Open an incident': {'sv': 'Öppna en händelse', 'fi': 'Avaa tilanne', 'de': 'Ereignis eröffnen', 'nl': 'Incident openen'},
    'Open the incident': {'sv': 'Öppna händelsen', 'fi': 'Avaa tilanne', 'de': 'Ereignis eröffnen', 'nl': 'Incident openen'},
    'Opened': {'sv': 'Öppnad', 'fi': 'Avattu', 'de': 'Eröffnet', 'nl': 'Geopend'},
    'Phase': {'sv': 'Fas', 'fi': 'Vaihe', 'de': 'Phase', 'nl': 'Fase'},
    'Playbook': {'sv': 'Spelbok', 'fi': 'Toimintaohje', 'de': 'Playbook', 'nl': 'Draaiboek'},
    'Published messages': {'sv': 'Publicerade meddelanden', 'fi': 'Julkaistut viestit', 'de': 'Veröffentlichte Meldungen', 'nl': 'Gepubliceerde berichten'},
    'Reset the password': {'sv': 'Återställ lösenordet', 'fi': 'Nollaa salasana', 'de': 'Passwort zurücksetzen', 'nl': 'Wachtwoord opnieuw instellen'},
    'Role': {'sv': 'Roll', 'fi': 'Rooli', 'de': 'Rolle', 'nl': 'Rol'},
    'Set the role': {'sv': 'Sätt rollen', 'fi': 'Aseta rooli', 'de': 'Rolle setzen', 'nl': 'Rol instellen'},
    'Since': {'sv': 'Sedan', 'fi': 'Alkaen', 'de': 'Seit', 'nl': 'Sinds'},
    'Submit the correction for approval': {'sv': 'Skicka rättelsen för godkännande', 'fi': 'Lähetä oikaisu hyväksyttäväksi', 'de': 'Berichtigung zur Freigabe einreichen', 'nl': 'Correctie ter goedkeuring indienen'},
    'The current password is wrong.': {'sv': 'Det nuvarande lösenordet är fel.', 'fi': 'Nykyinen salasana on väärä.', 'de': 'Das aktuelle Passwort ist falsch.', 'nl': 'Het huidige wachtwoord is onjuist.'},
    'The two new passwords differ.': {'sv': 'De två nya lösenorden skiljer sig åt.', 'fi': 'Uudet salasanat eivät täsmää.', 'de': 'Die beiden neuen Passwörter unterscheiden sich.', 'nl': 'De twee nieuwe wachtwoorden verschillen.'},
    'Title': {'sv': 'Rubrik', 'fi': 'Otsikko', 'de': 'Titel', 'nl': 'Titel'},
    'Users': {'sv': 'Användare', 'fi': 'Käyttäjät', 'de': 'Benutzer', 'nl': 'Gebruikers'},
    'Website update every': {'sv': 'Webbuppdatering var', 'fi': 'Verkkosivupäivitys joka', 'de': 'Website-Update alle', 'nl': 'Website-update elke'},
    "Website update every (minutes; 0: the playbook's)": {'sv': 'Webbuppdatering var (minuter; 0: spelbokens)', 'fi': 'Verkkosivupäivitys (minuuttia; 0: toimintaohjeen)', 'de': 'Website-Update alle (Minuten; 0: laut Playbook)', 'nl': 'Website-update elke (minuten; 0: volgens draaiboek)'},
    'Welcome: this installation is empty': {'sv': 'Välkommen: installationen är tom', 'fi': 'Tervetuloa: asennus on tyhjä', 'de': 'Willkommen: diese Installation ist leer', 'nl': 'Welkom: deze installatie is leeg'},
    'Yes, disable this user': {'sv': 'Ja, inaktivera användaren', 'fi': 'Kyllä, poista käyttäjä käytöstä', 'de': 'Ja, diesen Benutzer deaktivieren', 'nl': 'Ja, deze gebruiker uitschakelen'},
    'Yes, the incident is over': {'sv': 'Ja, händelsen är över', 'fi': 'Kyllä, tilanne on ohi', 'de': 'Ja, das Ereignis ist vorbei', 'nl': 'Ja, het incident is voorbij'},
    'active': {'sv': 'aktiv', 'fi': 'aktiivinen', 'de': 'aktiv', 'nl': 'actief'},
    'disabled': {'sv': 'inaktiverad', 'fi': 'poistettu käytöstä', 'de': 'deaktiviert', 'nl': 'uitgeschakeld'},
    'acute': {'sv': 'akut', 'fi': 'akuutti', 'de': 'akut', 'nl': 'acuut'},
    'recovery': {'sv': 'återhämtning', 'fi': 'palautuminen', 'de': 'Erholung', 'nl': 'herstel'},
    'admin': {'sv': 'administratör', 'fi': 'ylläpitäjä', 'de': 'Administrator', 'nl': 'beheerder'},
    'analyst': {'sv': 'analytiker', 'fi': 'analyytikko', 'de': 'Analyst', 'nl': 'analist'},
    'lead': {'sv': 'kommunikationsansvarig', 'fi': 'viestintävastaava', 'de': 'Kommunikationsleitung', 'nl': 'communicatieleider'},
    'reviewer': {'sv': 'granskare', 'fi': 'arvioija', 'de': 'Prüfer', 'nl': 'beoordelaar'},
    'corrected by': {'sv': 'rättat av meddelande', 'fi': 'oikaistu viestillä', 'de': 'berichtigt durch Meldung', 'nl': 'gecorrigeerd door bericht'},
    'replaced by': {'sv': 'ersatt av meddelande', 'fi': 'korvattu viestillä', 'de': 'ersetzt durch Meldung', 'nl': 'vervangen door bericht'},
    "Approved, waiting for publication": {"sv": "Godkända, väntar på publicering", "fi": "Hyväksytyt, odottavat julkaisua",
                                          "de": "Freigegeben, wartet auf Veröffentlichung", "nl": "Goedgekeurd, wacht op publicatie"},
    "Publish writes the official crisis feed; the update counts once the website carries it.": {
        "sv": "Publicera skriver det officiella krisflödet; uppdateringen räknas när webben har den.",
        "fi": "Julkaisu kirjoittaa virallisen kriisisyötteen; päivitys lasketaan, kun se on verkkosivuilla.",
        "de": "Veröffentlichen schreibt den offiziellen Krisen-Feed; das Update zählt, sobald die Website es zeigt.",
        "nl": "Publiceren schrijft de officiële crisisfeed; de update telt zodra de website hem toont."},
}  # fmt: skip
_T.update(PARTNER_TEXTS)
_T.update(ALERT_TEXTS)  # the alerts page (issue 14)
_T.update(TEXTS)
for _text, _languages in REVIEW_TEXTS.items():  # the review's own words (the Review page and the PDF)
    _T.setdefault(_text, _languages)


def t(text: str, lang: str = "en") -> str:
    return _T.get(text, {}).get(lang, text)


# Words of the stored (English) check lines that are shown translated: "R1: contradicts the partner warning …".
CHECK_PHRASES = (CONTRADICTS,)


def check_line(line: str, lang: str = "en") -> str:
    """A stored check line as the reader reads it: its known words translated, the quoted texts as they are."""
    drafted = draft_check_line(line, lang)
    if drafted is not None:
        return drafted
    for phrase in CHECK_PHRASES:
        head, sep, rest = line.partition(f": {phrase} ")
        if sep and head.isalnum():
            return f"{head}: {t(phrase, lang)} {rest}"
    return line


def when(value: datetime | None, zone: str = "Europe/Stockholm", fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time as the user reads it: in their time zone, to the minute."""
    if value is None:
        return "–"
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return value.astimezone(tz).strftime(fmt)


def wall_clock(value: object, zone: str = "Europe/Stockholm") -> object:
    """A time as a chart should plot it: the wall clock of the person's time zone, without the zone (a
    chart library would show an aware time in UTC). Anything that is not a time is left as it is."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        return value
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return value.astimezone(tz).replace(tzinfo=None)


def clock(value: datetime | None, zone: str = "Europe/Stockholm") -> str:
    """Only the time of day, for what happened today on a live view."""
    return when(value, zone, "%H:%M")
