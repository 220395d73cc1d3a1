"""Interface languages (en, sv, fi, de, nl): the English text is the key; a missing entry falls back to it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    "dismiss": {"sv": "avfärda", "fi": "hylkää", "de": "verwerfen", "nl": "afwijzen"},
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
}  # fmt: skip


def t(text: str, lang: str = "en") -> str:
    return _T.get(text, {}).get(lang, text)


def when(value: datetime | None, zone: str = "Europe/Stockholm", fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time as the user reads it: in their time zone, to the minute."""
    if value is None:
        return "–"
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return value.astimezone(tz).strftime(fmt)


def clock(value: datetime | None, zone: str = "Europe/Stockholm") -> str:
    """Only the time of day, for what happened today on a live view."""
    return when(value, zone, "%H:%M")
