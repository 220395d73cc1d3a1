"""The alerts page's words (issue 14, item 9) in sv/fi/de/nl; merged into dashboard.i18n. The event names
come from the notifications' own table (playbooks.workflow.alerttexts.TITLES), so a person reads the same
words on the page as in the e-mail."""

from __future__ import annotations

from playbooks.workflow.alerttexts import TITLES

ALERT_TEXTS: dict[str, dict[str, str]] = {
    "Alerts": {"sv": "Larm", "fi": "Hälytykset", "de": "Alarme", "nl": "Alarmen"},
    "Open alerts": {"sv": "Öppna larm", "fi": "Avoimet hälytykset", "de": "Offene Alarme", "nl": "Open alarmen"},
    "No open alerts.": {"sv": "Inga öppna larm.", "fi": "Ei avoimia hälytyksiä.", "de": "Keine offenen Alarme.",
                        "nl": "Geen open alarmen."},
    "Acknowledge": {"sv": "Kvittera", "fi": "Kuittaa", "de": "Quittieren", "nl": "Bevestigen"},
    "Acknowledged.": {"sv": "Kvitterat.", "fi": "Kuitattu.", "de": "Quittiert.", "nl": "Bevestigd."},
    "Acknowledging stops the escalation to the next lead.": {
        "sv": "Kvittering stoppar eskaleringen till nästa ansvariga.",
        "fi": "Kuittaus pysäyttää eskaloinnin seuraavalle vastaavalle.",
        "de": "Quittieren stoppt die Eskalation an die nächste Leitung.",
        "nl": "Bevestigen stopt de escalatie naar de volgende leidinggevende."},
    "Escalation level": {"sv": "Eskaleringsnivå", "fi": "Eskalointitaso", "de": "Eskalationsstufe",
                         "nl": "Escalatieniveau"},
    "Notifications": {"sv": "Aviseringar", "fi": "Ilmoitukset", "de": "Benachrichtigungen", "nl": "Meldingen"},
    "Nothing sent yet.": {"sv": "Inget skickat än.", "fi": "Mitään ei ole vielä lähetetty.",
                          "de": "Noch nichts gesendet.", "nl": "Nog niets verzonden."},
    "When": {"sv": "När", "fi": "Milloin", "de": "Wann", "nl": "Wanneer"},
    "Event": {"sv": "Händelsetyp", "fi": "Tapahtuma", "de": "Ereignisart", "nl": "Gebeurtenis"},
    "Subject": {"sv": "Ämne", "fi": "Aihe", "de": "Betreff", "nl": "Onderwerp"},
    "Channel": {"sv": "Kanal", "fi": "Kanava", "de": "Kanal", "nl": "Kanaal"},
    "Recipients": {"sv": "Mottagare", "fi": "Vastaanottajat", "de": "Empfänger", "nl": "Ontvangers"},
    "Status": {"sv": "Status", "fi": "Tila", "de": "Status", "nl": "Status"},
    "Attempts": {"sv": "Försök", "fi": "Yritykset", "de": "Versuche", "nl": "Pogingen"},
    "Error": {"sv": "Fel", "fi": "Virhe", "de": "Fehler", "nl": "Fout"},
    "sent": {"sv": "skickad", "fi": "lähetetty", "de": "gesendet", "nl": "verzonden"},
    "pending": {"sv": "väntar", "fi": "odottaa", "de": "wartet", "nl": "wacht"},
    "failed": {"sv": "misslyckad", "fi": "epäonnistui", "de": "fehlgeschlagen", "nl": "mislukt"},
    "My alert settings": {"sv": "Mina larminställningar", "fi": "Omat hälytysasetukset",
                          "de": "Meine Alarmeinstellungen", "nl": "Mijn alarminstellingen"},
    "E-mail address": {"sv": "E-postadress", "fi": "Sähköpostiosoite", "de": "E-Mail-Adresse", "nl": "E-mailadres"},
    "E-mail": {"sv": "E-post", "fi": "Sähköposti", "de": "E-Mail", "nl": "E-mail"},
    "Webhook": {"sv": "Webhook", "fi": "Webhook", "de": "Webhook", "nl": "Webhook"},
    "none": {"sv": "ingen", "fi": "ei mitään", "de": "keiner", "nl": "geen"},
    "On duty (due and overdue updates reach me by default)": {
        "sv": "I tjänst (uppdateringar som snart ska ut eller är försenade når mig som standard)",
        "fi": "Päivystyksessä (erääntyvät ja myöhästyneet päivitykset tulevat minulle oletuksena)",
        "de": "Im Dienst (fällige und überfällige Updates erreichen mich standardmäßig)",
        "nl": "Dienstdoend (updates die nodig of te laat zijn bereiken mij standaard)"},
    "Save": {"sv": "Spara", "fi": "Tallenna", "de": "Speichern", "nl": "Opslaan"},
    "Saved.": {"sv": "Sparat.", "fi": "Tallennettu.", "de": "Gespeichert.", "nl": "Opgeslagen."},
    "The alerts configuration has a problem": {"sv": "Larmkonfigurationen har ett fel",
                                               "fi": "Hälytysasetuksissa on virhe",
                                               "de": "Die Alarmkonfiguration hat einen Fehler",
                                               "nl": "De alarmconfiguratie bevat een fout"},
}  # fmt: skip

# The event names, as the notifications say them.
ALERT_TEXTS.update(
    {names["en"]: {lang: text for lang, text in names.items() if lang != "en"} for names in TITLES.values()}
)
