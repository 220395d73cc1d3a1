"""What a notification says, in the recipient's language (en, sv, fi, de, nl) and time zone.

An alert keeps its facts (`Alert.details`); the words are put together when it is sent, for each
recipient. An alert whose details do not fit its template (an older row, an event emitted by hand)
is sent with its stored English subject and body instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# What each event is called in a notification, in the recipient's language.
TITLES: dict[str, dict[str, str]] = {
    "update_due": {"en": "Website update due", "sv": "Webbuppdatering behövs snart",
                   "fi": "Verkkosivupäivitys erääntyy", "de": "Website-Update fällig", "nl": "Website-update nodig"},
    "update_overdue": {"en": "Website update overdue", "sv": "Webbuppdateringen är försenad",
                       "fi": "Verkkosivupäivitys myöhässä", "de": "Website-Update überfällig",
                       "nl": "Website-update te laat"},
    "flag": {"en": "Rumour or look-alike", "sv": "Rykte eller förväxlingsbart konto", "fi": "Huhu tai jäljitelmä",
             "de": "Gerücht oder Doppelgänger", "nl": "Gerucht of lookalike"},
    "contradiction": {"en": "Contradiction on an official account", "sv": "Motsägelse på ett officiellt konto",
                      "fi": "Ristiriita virallisella tilillä", "de": "Widerspruch auf einem offiziellen Konto",
                      "nl": "Tegenspraak op een officieel account"},
    "feed_problem": {"en": "Feed failing or stale", "sv": "Flöde fungerar inte", "fi": "Syöte ei toimi",
                     "de": "Feed gestört", "nl": "Feed werkt niet"},
    "approval_waiting": {"en": "Draft waiting for approval", "sv": "Utkast väntar på godkännande",
                         "fi": "Luonnos odottaa hyväksyntää", "de": "Entwurf wartet auf Freigabe",
                         "nl": "Concept wacht op goedkeuring"},
    "partner_warning": {"en": "Partner warning for the area", "sv": "Varning från partner för området",
                        "fi": "Kumppanin varoitus alueelle", "de": "Partnerwarnung für das Gebiet",
                        "nl": "Waarschuwing van partner voor het gebied"},
    "escalation": {"en": "ESCALATED: nobody acted", "sv": "ESKALERAT: ingen har agerat",
                   "fi": "ESKALOITU: kukaan ei ole toiminut", "de": "ESKALIERT: niemand hat reagiert",
                   "nl": "GEËSCALEERD: niemand heeft gereageerd"},
    "digest": {"en": "notifications", "sv": "aviseringar", "fi": "ilmoitusta", "de": "Benachrichtigungen",
               "nl": "meldingen"},
}  # fmt: skip


# The facts of one alert in a line: the subject after the event's name, and one line of a digest.
LINES: dict[str, dict[str, str]] = {
    "update_due": {"en": "#{incident} {title}: next website update due at {next_due}",
                   "sv": "#{incident} {title}: nästa webbuppdatering ska ut kl. {next_due}",
                   "fi": "#{incident} {title}: seuraava verkkosivupäivitys klo {next_due}",
                   "de": "#{incident} {title}: nächstes Website-Update fällig um {next_due}",
                   "nl": "#{incident} {title}: volgende website-update uiterlijk om {next_due}"},
    "update_overdue": {"en": "#{incident} {title}: the website update was due at {next_due}",
                       "sv": "#{incident} {title}: webbuppdateringen skulle ha kommit kl. {next_due}",
                       "fi": "#{incident} {title}: verkkosivupäivitys olisi pitänyt julkaista klo {next_due}",
                       "de": "#{incident} {title}: das Website-Update war um {next_due} fällig",
                       "nl": "#{incident} {title}: de website-update had om {next_due} moeten verschijnen"},
    "flag": {"en": "{kind} flag on {account} (score {score})",
             "sv": "{kind}-flagga på {account} (poäng {score})",
             "fi": "{kind}-liputus tilillä {account} (pisteet {score})",
             "de": "Hinweis {kind} zu {account} (Wert {score})",
             "nl": "signaal {kind} bij {account} (score {score})"},
    "contradiction": {"en": "the official account {account} contradicts the approved facts ({kind})",
                      "sv": "det officiella kontot {account} motsäger de godkända uppgifterna ({kind})",
                      "fi": "virallinen tili {account} on ristiriidassa hyväksyttyjen tietojen kanssa ({kind})",
                      "de": "das offizielle Konto {account} widerspricht den freigegebenen Fakten ({kind})",
                      "nl": "het officiële account {account} spreekt de goedgekeurde feiten tegen ({kind})"},
    "feed_problem": {"en": "the feed of {account} is {status} (last success: {last_success})",
                     "sv": "flödet från {account} är {status} (senast hämtat: {last_success})",
                     "fi": "tilin {account} syöte: {status} (viimeksi onnistunut: {last_success})",
                     "de": "der Feed von {account} ist {status} (zuletzt erfolgreich: {last_success})",
                     "nl": "de feed van {account} is {status} (laatst gelukt: {last_success})"},
    "approval_waiting": {"en": "draft {message} by {author} has waited for approval since {submitted_at}",
                         "sv": "utkast {message} av {author} har väntat på godkännande sedan kl. {submitted_at}",
                         "fi": "käyttäjän {author} luonnos {message} on odottanut hyväksyntää klo {submitted_at} lähtien",
                         "de": "Entwurf {message} von {author} wartet seit {submitted_at} auf Freigabe",
                         "nl": "concept {message} van {author} wacht sinds {submitted_at} op goedkeuring"},
    "partner_warning": {"en": "{headline} (area: {area})", "sv": "{headline} (område: {area})",
                        "fi": "{headline} (alue: {area})", "de": "{headline} (Gebiet: {area})",
                        "nl": "{headline} (gebied: {area})"},
}  # fmt: skip

# What the person is asked to do.
ACTIONS: dict[str, dict[str, str]] = {
    "update_due": {"en": "Approve the repeat of the current message or a new update in crisisdesk (R3).",
                   "sv": "Godkänn en upprepning av det aktuella meddelandet eller en ny uppdatering i crisisdesk (R3).",
                   "fi": "Hyväksy nykyisen viestin toisto tai uusi päivitys crisisdeskissä (R3).",
                   "de": "Geben Sie die Wiederholung der aktuellen Meldung oder ein neues Update in crisisdesk frei (R3).",
                   "nl": "Keur de herhaling van het huidige bericht of een nieuwe update goed in crisisdesk (R3)."},
    "flag": {"en": "Triage it on the live monitor: assign, answer with an approved message, escalate or dismiss (R6).",
             "sv": "Hantera den i lägesbilden: tilldela, besvara med ett godkänt meddelande, eskalera eller avfärda (R6).",
             "fi": "Käsittele se tilannekuvassa: osoita, vastaa hyväksytyllä viestillä, eskaloi tai ohita (R6).",
             "de": "Bearbeiten Sie ihn im Lagebild: zuweisen, mit freigegebener Meldung beantworten, eskalieren oder verwerfen (R6).",
             "nl": "Handel het af in het actuele beeld: toewijzen, beantwoorden met een goedgekeurd bericht, escaleren of terzijde leggen (R6)."},
    "contradiction": {"en": "Check the post against the approved message and correct it openly if it is wrong (R1, R8).",
                      "sv": "Jämför inlägget med det godkända meddelandet och rätta det öppet om det är fel (R1, R8).",
                      "fi": "Vertaa julkaisua hyväksyttyyn viestiin ja oikaise se avoimesti, jos se on väärin (R1, R8).",
                      "de": "Prüfen Sie den Beitrag gegen die freigegebene Meldung und berichtigen Sie ihn offen, wenn er falsch ist (R1, R8).",
                      "nl": "Vergelijk het bericht met het goedgekeurde bericht en corrigeer het openlijk als het onjuist is (R1, R8)."},
    "feed_problem": {"en": "See Sources in crisisdesk: until the feed is read again, the desk does not see what this account says (R13).",
                     "sv": "Se Källor i crisisdesk: tills flödet läses igen ser desken inte vad kontot säger (R13).",
                     "fi": "Katso Lähteet crisisdeskissä: ennen kuin syöte luetaan taas, desk ei näe, mitä tili sanoo (R13).",
                     "de": "Siehe Quellen in crisisdesk: bis der Feed wieder gelesen wird, sieht der Desk nicht, was dieses Konto sagt (R13).",
                     "nl": "Zie Bronnen in crisisdesk: tot de feed weer gelezen wordt, ziet de desk niet wat dit account zegt (R13)."},
    "approval_waiting": {"en": "A lead other than its author approves or rejects it on the Approvals page.",
                         "sv": "En annan ansvarig än författaren godkänner eller avvisar det under Godkännanden.",
                         "fi": "Joku muu vastaava kuin kirjoittaja hyväksyy tai hylkää sen Hyväksynnät-sivulla.",
                         "de": "Eine andere Leitung als der Autor gibt ihn auf der Seite Freigaben frei oder lehnt ihn ab.",
                         "nl": "Een andere leidinggevende dan de auteur keurt het goed of af op de pagina Goedkeuringen."},
    "partner_warning": {"en": "Check that our own messages agree with it: never contradict the national warning.",
                        "sv": "Kontrollera att våra egna meddelanden stämmer med den: motsäg aldrig den nationella varningen.",
                        "fi": "Tarkista, että omat viestimme ovat sen mukaisia: älä koskaan ole ristiriidassa kansallisen varoituksen kanssa.",
                        "de": "Prüfen Sie, dass unsere eigenen Meldungen dazu passen: der nationalen Warnung nie widersprechen.",
                        "nl": "Controleer of onze eigen berichten ermee overeenkomen: spreek de nationale waarschuwing nooit tegen."},
}  # fmt: skip
ACTIONS["update_overdue"] = ACTIONS["update_due"]

ESCALATION: dict[str, str] = {
    "en": "Escalation level {level}: nobody acknowledged this alert or acted on the incident within {minutes} minutes. "
          "Acknowledge it in crisisdesk (Alerts) to stop the escalation.",
    "sv": "Eskaleringsnivå {level}: ingen har kvitterat larmet eller agerat i händelsen inom {minutes} minuter. "
          "Kvittera det i crisisdesk (Larm) för att stoppa eskaleringen.",
    "fi": "Eskalointitaso {level}: kukaan ei kuitannut hälytystä tai toiminut tilanteessa {minutes} minuutin kuluessa. "
          "Kuittaa se crisisdeskissä (Hälytykset) pysäyttääksesi eskaloinnin.",
    "de": "Eskalationsstufe {level}: niemand hat diesen Alarm innerhalb von {minutes} Minuten quittiert oder im Ereignis "
          "gehandelt. Quittieren Sie ihn in crisisdesk (Alarme), um die Eskalation zu stoppen.",
    "nl": "Escalatieniveau {level}: niemand heeft dit alarm binnen {minutes} minuten bevestigd of in het incident "
          "gehandeld. Bevestig het in crisisdesk (Alarmen) om de escalatie te stoppen.",
}  # fmt: skip
ALERT_WORD = {"en": "Alert", "sv": "Larm", "fi": "Hälytys", "de": "Alarm", "nl": "Alarm"}
# Fields that hold a time: shown in the recipient's time zone.
_TIMES = ("next_due", "submitted_at", "last_success")


def title(event: str, lang: str = "en") -> str:
    names = TITLES.get(event, {})
    return names.get(lang) or names.get("en") or event


def _pick(table: dict[str, str], lang: str) -> str:
    return table.get(lang) or table["en"]


def local_time(value: object, zone: str) -> str:
    """An ISO time as the recipient reads it: their zone, to the minute, with the zone's abbreviation."""
    if not isinstance(value, str):
        return str(value)
    try:
        moment = datetime.fromisoformat(value)
        tz = ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def render_line(event: str, details: dict[str, Any], lang: str, zone: str) -> str | None:
    """The alert's facts in one line, or None when its details do not fit the template."""
    template = LINES.get(event)
    if template is None:
        return None
    fields = {k: local_time(v, zone) if k in _TIMES else v for k, v in details.items()}
    if isinstance(fields.get("score"), float):
        fields["score"] = f"{fields['score']:.2f}"
    try:
        return _pick(template, lang).format(**fields)
    except (KeyError, IndexError, ValueError):
        return None


def render_alert(
    alert_id: int, event: str, details: dict[str, Any], subject: str, body: str, lang: str, zone: str
) -> tuple[str, str]:
    """(the line after the event's name in the subject, the body) for one recipient."""
    line = render_line(event, details, lang, zone)
    if line is None:
        return subject, f"{body}\n\n{_pick(ALERT_WORD, lang)} {alert_id}"
    parts = [line[:1].upper() + line[1:] + ".", _pick(ACTIONS[event], lang)] if event in ACTIONS else [line]
    excerpt = details.get("excerpt")
    if isinstance(excerpt, str) and excerpt.strip():
        parts.append(excerpt.strip())
    parts.append(f"{_pick(ALERT_WORD, lang)} {alert_id}")
    return line, "\n\n".join(parts)


def render_escalation(level: int, minutes: float, lang: str) -> str:
    return _pick(ESCALATION, lang).format(level=level, minutes=f"{minutes:g}")
