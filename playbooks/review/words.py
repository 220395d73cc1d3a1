"""The review in words, one table for the Review page and the PDF (issue 13): what each scorecard line
measures, what each timeline event is, values as people read them (minutes, percentages, counts, '–' for
nothing), in the five languages. dashboard/i18n.py merges TEXTS into the desk's table."""

from __future__ import annotations

import re
from typing import Any

# The review's headings: title, scorecard, timeline, approved messages, audit.
HEADINGS = {
    "en": ("Post-incident review", "Scorecard", "Timeline", "Approved messages", "Audit"),
    "sv": ("Utvärdering efter händelsen", "Resultat", "Tidslinje", "Godkända meddelanden", "Logg"),
    "fi": ("Tilanteen jälkiarvio", "Tulokset", "Aikajana", "Hyväksytyt viestit", "Loki"),
    "de": ("Auswertung nach dem Ereignis", "Ergebnisse", "Zeitleiste", "Freigegebene Meldungen", "Protokoll"),
    "nl": ("Evaluatie na het incident", "Resultaten", "Tijdlijn", "Goedgekeurde berichten", "Logboek"),
}
FLAG_LABELS = {
    "unrouted": "Official post nobody approved", "inconsistent": "Contradicts the approved message",
    "rumour": "Rumour", "missing_on_website": "Not yet on the website", "impersonation": "Look-alike account",
}  # fmt: skip
# scorecard key → what it measures
LABELS = {
    "time_to_first_approved_message": "Time from opening to the first approved message",
    "time_to_first_website_copy": "Time from opening to the first website copy",
    "cadence_adherence": "Cadence intervals with a website update",
    "longest_gap_minutes": "Longest time without a website update",
    "website_parity": "Social media messages on the website in time",
    "unrouted_posts": "Official posts nobody approved",
    "contradictions": "Posts contradicting the approved messages",
    "partner_contradictions": "Drafts and posts contradicting a partner warning",
    "rumours": "Rumours",
    "approval_latency_minutes": "Median time from submission to approval",
    "readability_lix": "Readability of the approved messages (LIX, lower is easier)",
    "account_activity": "Accounts that posted",
}
MINUTES = {"time_to_first_approved_message", "time_to_first_website_copy", "longest_gap_minutes",
           "approval_latency_minutes"}  # fmt: skip
SHARES = {"cadence_adherence", "website_parity"}
COUNTS = {"flagged": "flagged", "triaged": "triaged", "answered": "answered"}
# timeline event type → words
EVENTS = {
    "post": "Post", "flag": "Flag raised",
    "incident.open": "Incident opened", "incident.phase": "Phase changed", "incident.close": "Incident closed",
    "message.draft": "Message drafted", "message.submit": "Message submitted", "message.approve": "Message approved",
    "message.reject": "Message rejected", "message.publish": "Message published", "message.revise": "Message revised",
    "message.correct": "Correction written", "message.repeat": "Repeat written", "message.withdraw": "Draft withdrawn",
    "flag.assign": "Flag assigned", "flag.escalate": "Flag escalated", "flag.dismiss": "Flag dismissed",
    "flag.resolve": "Flag answered",
}  # fmt: skip

TEXTS: dict[str, dict[str, str]] = {
    'Time from opening to the first approved message': {'sv': 'Tid från start till första godkända meddelande', 'fi': 'Aika avaamisesta ensimmäiseen hyväksyttyyn viestiin', 'de': 'Zeit von der Eröffnung bis zur ersten freigegebenen Meldung', 'nl': 'Tijd van opening tot het eerste goedgekeurde bericht'},
    'Time from opening to the first website copy': {'sv': 'Tid från start till första kopian på webben', 'fi': 'Aika avaamisesta ensimmäiseen verkkosivukopioon', 'de': 'Zeit von der Eröffnung bis zur ersten Website-Kopie', 'nl': 'Tijd van opening tot de eerste websitekopie'},
    'Cadence intervals with a website update': {'sv': 'Intervall med en uppdatering på webben', 'fi': 'Päivitysvälit, joissa verkkosivu päivitettiin', 'de': 'Intervalle mit einem Website-Update', 'nl': 'Intervallen met een website-update'},
    'Longest time without a website update': {'sv': 'Längsta tid utan uppdatering på webben', 'fi': 'Pisin aika ilman verkkosivupäivitystä', 'de': 'Längste Zeit ohne Website-Update', 'nl': 'Langste tijd zonder website-update'},
    'Social media messages on the website in time': {'sv': 'Meddelanden i sociala medier som kom i tid på webben', 'fi': 'Somen viestit ajoissa verkkosivuilla', 'de': 'Social-Media-Meldungen rechtzeitig auf der Website', 'nl': 'Berichten op sociale media op tijd op de website'},
    'Official posts nobody approved': {'sv': 'Officiella inlägg som ingen godkänt', 'fi': 'Viralliset julkaisut, joita kukaan ei hyväksynyt', 'de': 'Offizielle Beiträge ohne Freigabe', 'nl': 'Officiële berichten die niemand goedkeurde'},
    'Drafts and posts contradicting a partner warning': {'sv': 'Utkast och inlägg som motsäger en myndighetsvarning', 'fi': 'Luonnokset ja julkaisut, jotka ovat ristiriidassa viranomaisvaroituksen kanssa', 'de': 'Entwürfe und Beiträge, die einer Behördenwarnung widersprechen', 'nl': 'Concepten en berichten die een waarschuwing van een partner tegenspreken'},
    'Posts contradicting the approved messages': {'sv': 'Inlägg som motsäger de godkända meddelandena', 'fi': 'Hyväksyttyjen viestien kanssa ristiriitaiset julkaisut', 'de': 'Beiträge, die den freigegebenen Meldungen widersprechen', 'nl': 'Berichten die de goedgekeurde berichten tegenspreken'},
    'Rumours': {'sv': 'Rykten', 'fi': 'Huhut', 'de': 'Gerüchte', 'nl': 'Geruchten'},
    'Median time from submission to approval': {'sv': 'Mediantid från inskickat till godkänt', 'fi': 'Mediaaniaika lähettämisestä hyväksyntään', 'de': 'Mittlere Zeit von der Einreichung bis zur Freigabe', 'nl': 'Mediane tijd van indienen tot goedkeuring'},
    'Readability of the approved messages (LIX, lower is easier)': {'sv': 'Läsbarhet för de godkända meddelandena (LIX, lägre är lättare)', 'fi': 'Hyväksyttyjen viestien luettavuus (LIX, pienempi on helpompi)', 'de': 'Lesbarkeit der freigegebenen Meldungen (LIX, niedriger ist leichter)', 'nl': 'Leesbaarheid van de goedgekeurde berichten (LIX, lager is makkelijker)'},
    'Accounts that posted': {'sv': 'Konton som publicerade', 'fi': 'Julkaisseet tilit', 'de': 'Konten, die gepostet haben', 'nl': 'Accounts die berichten plaatsten'},
    'Flag raised': {'sv': 'Flagga skapad', 'fi': 'Liputus luotu', 'de': 'Hinweis gemeldet', 'nl': 'Signaal gemaakt'},
    'Incident opened': {'sv': 'Händelse öppnad', 'fi': 'Tilanne avattu', 'de': 'Ereignis eröffnet', 'nl': 'Incident geopend'},
    'Phase changed': {'sv': 'Fas ändrad', 'fi': 'Vaihe muutettu', 'de': 'Phase geändert', 'nl': 'Fase gewijzigd'},
    'Incident closed': {'sv': 'Händelse avslutad', 'fi': 'Tilanne suljettu', 'de': 'Ereignis geschlossen', 'nl': 'Incident gesloten'},
    'Message drafted': {'sv': 'Meddelande skrivet', 'fi': 'Viesti luonnosteltu', 'de': 'Meldung entworfen', 'nl': 'Bericht opgesteld'},
    'Message submitted': {'sv': 'Meddelande inskickat', 'fi': 'Viesti lähetetty hyväksyttäväksi', 'de': 'Meldung eingereicht', 'nl': 'Bericht ingediend'},
    'Message approved': {'sv': 'Meddelande godkänt', 'fi': 'Viesti hyväksytty', 'de': 'Meldung freigegeben', 'nl': 'Bericht goedgekeurd'},
    'Message rejected': {'sv': 'Meddelande avvisat', 'fi': 'Viesti hylätty', 'de': 'Meldung abgelehnt', 'nl': 'Bericht afgewezen'},
    'Message published': {'sv': 'Meddelande publicerat', 'fi': 'Viesti julkaistu', 'de': 'Meldung veröffentlicht', 'nl': 'Bericht gepubliceerd'},
    'Message revised': {'sv': 'Meddelande omarbetat', 'fi': 'Viesti muokattu', 'de': 'Meldung überarbeitet', 'nl': 'Bericht herzien'},
    'Correction written': {'sv': 'Rättelse skriven', 'fi': 'Oikaisu kirjoitettu', 'de': 'Berichtigung verfasst', 'nl': 'Correctie geschreven'},
    'Repeat written': {'sv': 'Upprepning skapad', 'fi': 'Toisto luotu', 'de': 'Wiederholung erstellt', 'nl': 'Herhaling gemaakt'},
    'Draft withdrawn': {'sv': 'Utkast tillbakadraget', 'fi': 'Luonnos peruttu', 'de': 'Entwurf zurückgezogen', 'nl': 'Concept ingetrokken'},
    'Flag assigned': {'sv': 'Flagga tilldelad', 'fi': 'Liputus osoitettu', 'de': 'Hinweis zugewiesen', 'nl': 'Signaal toegewezen'},
    'Flag escalated': {'sv': 'Flagga eskalerad', 'fi': 'Liputus eskaloitu', 'de': 'Hinweis eskaliert', 'nl': 'Signaal geëscaleerd'},
    'Flag dismissed': {'sv': 'Flagga avfärdad', 'fi': 'Liputus ohitettu', 'de': 'Hinweis verworfen', 'nl': 'Signaal terzijde gelegd'},
    'Flag answered': {'sv': 'Flagga besvarad', 'fi': 'Liputukseen vastattu', 'de': 'Hinweis beantwortet', 'nl': 'Signaal beantwoord'},
    'flagged': {'sv': 'flaggade', 'fi': 'liputettu', 'de': 'gemeldet', 'nl': 'gesignaleerd'},
    'triaged': {'sv': 'hanterade', 'fi': 'käsitelty', 'de': 'bearbeitet', 'nl': 'afgehandeld'},
    'answered': {'sv': 'besvarade', 'fi': 'vastattu', 'de': 'beantwortet', 'nl': 'beantwoord'},
    'Post': {'sv': 'Inlägg', 'fi': 'Julkaisu', 'de': 'Beitrag', 'nl': 'Bericht'},
    # The PDF's words (some are the desk's too).
    'Reason': {'sv': 'Motivering', 'fi': 'Perustelu', 'de': 'Begründung', 'nl': 'Reden'},
    'Account': {'sv': 'Konto', 'fi': 'Tili', 'de': 'Konto', 'nl': 'Account'},
    'Contradicts the approved message': {'sv': 'Motsäger det godkända meddelandet', 'fi': 'Ristiriidassa hyväksytyn viestin kanssa', 'de': 'Widerspricht der freigegebenen Meldung', 'nl': 'Spreekt het goedgekeurde bericht tegen'},
    'Event': {'sv': 'Händelse', 'fi': 'Tapahtuma', 'de': 'Vorgang', 'nl': 'Gebeurtenis'},
    'Flag': {'sv': 'Flagga', 'fi': 'Liputus', 'de': 'Hinweis', 'nl': 'Signaal'},
    'Flags': {'sv': 'Flaggor', 'fi': 'Liputukset', 'de': 'Hinweise', 'nl': 'Signalen'},
    'Incident': {'sv': 'Händelse', 'fi': 'Tilanne', 'de': 'Ereignis', 'nl': 'Incident'},
    'Look-alike account': {'sv': 'Förväxlingsbart konto', 'fi': 'Jäljittelevä tili', 'de': 'Nachahmer-Konto', 'nl': 'Nagemaakt account'},
    'Measure': {'sv': 'Mått', 'fi': 'Mittari', 'de': 'Kennzahl', 'nl': 'Maatstaf'},
    'Message': {'sv': 'Meddelande', 'fi': 'Viesti', 'de': 'Meldung', 'nl': 'Bericht'},
    'No flags.': {'sv': 'Inga flaggor.', 'fi': 'Ei liputuksia.', 'de': 'Keine Hinweise.', 'nl': 'Geen signalen.'},
    'Not yet on the website': {'sv': 'Inte på webben än', 'fi': 'Ei vielä verkkosivuilla', 'de': 'Noch nicht auf der Website', 'nl': 'Nog niet op de website'},
    'Official post nobody approved': {'sv': 'Officiellt inlägg som ingen godkänt', 'fi': 'Virallinen julkaisu, jota kukaan ei hyväksynyt', 'de': 'Offizieller Beitrag ohne Freigabe', 'nl': 'Officieel bericht dat niemand goedkeurde'},
    'Opened': {'sv': 'Öppnad', 'fi': 'Avattu', 'de': 'Eröffnet', 'nl': 'Geopend'},
    'Phase': {'sv': 'Fas', 'fi': 'Vaihe', 'de': 'Phase', 'nl': 'Fase'},
    'Playbook': {'sv': 'Spelbok', 'fi': 'Toimintaohje', 'de': 'Playbook', 'nl': 'Draaiboek'},
    'Posts': {'sv': 'Inlägg', 'fi': 'Julkaisut', 'de': 'Beiträge', 'nl': 'Berichten'},
    'Requirement': {'sv': 'Krav', 'fi': 'Vaatimus', 'de': 'Anforderung', 'nl': 'Eis'},
    'Result': {'sv': 'Utfall', 'fi': 'Tulos', 'de': 'Ergebnis', 'nl': 'Uitkomst'},
    'Rumour': {'sv': 'Rykte', 'fi': 'Huhu', 'de': 'Gerücht', 'nl': 'Gerucht'},
    'Status': {'sv': 'Status', 'fi': 'Tila', 'de': 'Status', 'nl': 'Status'},
    'The audit trail is broken': {'sv': 'Loggen är bruten', 'fi': 'Loki on rikki', 'de': 'Das Protokoll ist beschädigt', 'nl': 'Het logboek is beschadigd'},
    'The audit trail is intact': {'sv': 'Loggen är obruten', 'fi': 'Loki on eheä', 'de': 'Das Protokoll ist unversehrt', 'nl': 'Het logboek is intact'},
    'Time': {'sv': 'Tid', 'fi': 'Aika', 'de': 'Zeit', 'nl': 'Tijd'},
    'What': {'sv': 'Vad', 'fi': 'Mitä', 'de': 'Was', 'nl': 'Wat'},
    'Who': {'sv': 'Vem', 'fi': 'Kuka', 'de': 'Wer', 'nl': 'Wie'},
    'acute': {'sv': 'akut', 'fi': 'akuutti', 'de': 'akut', 'nl': 'acuut'},
    'assigned': {'sv': 'tilldelad', 'fi': 'osoitettu', 'de': 'zugewiesen', 'nl': 'toegewezen'},
    'correction': {'sv': 'rättelse', 'fi': 'oikaisu', 'de': 'Berichtigung', 'nl': 'correctie'},
    'dismissed': {'sv': 'avfärdad', 'fi': 'ohitettu', 'de': 'verworfen', 'nl': 'terzijde gelegd'},
    'escalated': {'sv': 'eskalerad', 'fi': 'eskaloitu', 'de': 'eskaliert', 'nl': 'geëscaleerd'},
    'open': {'sv': 'öppen', 'fi': 'avoin', 'de': 'offen', 'nl': 'open'},
    'published': {'sv': 'publicerat', 'fi': 'julkaistu', 'de': 'veröffentlicht', 'nl': 'gepubliceerd'},
    'records': {'sv': 'poster', 'fi': 'merkintää', 'de': 'Einträge', 'nl': 'regels'},
    'recovery': {'sv': 'återhämtning', 'fi': 'palautuminen', 'de': 'Erholung', 'nl': 'herstel'},
    'repeat': {'sv': 'upprepning', 'fi': 'toisto', 'de': 'Wiederholung', 'nl': 'herhaling'},
    'resolved': {'sv': 'besvarad', 'fi': 'vastattu', 'de': 'beantwortet', 'nl': 'beantwoord'},
    'update': {'sv': 'uppdatering', 'fi': 'päivitys', 'de': 'Aktualisierung', 'nl': 'update'},
    'Appendix': {'sv': 'Bilaga', 'fi': 'Liite', 'de': 'Anhang', 'nl': 'Bijlage'},
    'Approved messages': {'sv': 'Godkända meddelanden', 'fi': 'Hyväksytyt viestit', 'de': 'Freigegebene Meldungen', 'nl': 'Goedgekeurde berichten'},
    'Closed': {'sv': 'Avslutad', 'fi': 'Suljettu', 'de': 'Geschlossen', 'nl': 'Gesloten'},
    'EXERCISE': {'sv': 'ÖVNING', 'fi': 'HARJOITUS', 'de': 'ÜBUNG', 'nl': 'OEFENING'},
    'Head of the chain': {'sv': 'Kedjans topp', 'fi': 'Ketjun pää', 'de': 'Kopf der Kette', 'nl': 'Kop van de keten'},
    'Key': {'sv': 'Nyckel', 'fi': 'Avain', 'de': 'Schlüssel', 'nl': 'Sleutel'},
    'Made': {'sv': 'Skapad', 'fi': 'Laadittu', 'de': 'Erstellt', 'nl': 'Gemaakt'},
    'No messages.': {'sv': 'Inga meddelanden.', 'fi': 'Ei viestejä.', 'de': 'Keine Meldungen.', 'nl': 'Geen berichten.'},
    'Page': {'sv': 'Sida', 'fi': 'Sivu', 'de': 'Seite', 'nl': 'Pagina'},
    'Posts and flags': {'sv': 'Inlägg och flaggor', 'fi': 'Julkaisut ja liputukset', 'de': 'Beiträge und Hinweise', 'nl': 'Berichten en signalen'},
    'Signature': {'sv': 'Signatur', 'fi': 'Allekirjoitus', 'de': 'Signatur', 'nl': 'Handtekening'},
    'Signed checkpoint': {'sv': 'Signerad kontrollpunkt', 'fi': 'Allekirjoitettu tarkistuspiste', 'de': 'Signierter Prüfpunkt', 'nl': 'Ondertekend controlepunt'},
    'Times are in': {'sv': 'Tider anges i', 'fi': 'Ajat aikavyöhykkeellä', 'de': 'Zeiten in', 'nl': 'Tijden in'},
    'Value': {'sv': 'Värde', 'fi': 'Arvo', 'de': 'Wert', 'nl': 'Waarde'},
    'Website posts': {'sv': 'Inlägg på webbplatsen', 'fi': 'Verkkosivun julkaisut', 'de': 'Website-Beiträge', 'nl': 'Websiteberichten'},
    'Written by': {'sv': 'Skrivet av', 'fi': 'Kirjoittanut', 'de': 'Verfasst von', 'nl': 'Geschreven door'},
    'all of them are in the JSON export': {'sv': 'alla finns i JSON-exporten', 'fi': 'kaikki ovat JSON-viennissä', 'de': 'alle stehen im JSON-Export', 'nl': 'alle staan in de JSON-export'},
    'approved': {'sv': 'godkänt', 'fi': 'hyväksytty', 'de': 'freigegeben', 'nl': 'goedgekeurd'},
    'approved by': {'sv': 'godkänt av', 'fi': 'hyväksynyt', 'de': 'freigegeben von', 'nl': 'goedgekeurd door'},
    'correction of message': {'sv': 'rättelse av meddelande', 'fi': 'oikaisu viestiin', 'de': 'Berichtigung der Meldung', 'nl': 'correctie van bericht'},
    'draft': {'sv': 'utkast', 'fi': 'luonnos', 'de': 'Entwurf', 'nl': 'concept'},
    'new version of message': {'sv': 'ny version av meddelande', 'fi': 'uusi versio viestistä', 'de': 'neue Fassung der Meldung', 'nl': 'nieuwe versie van bericht'},
    'per 15 minutes': {'sv': 'per kvart', 'fi': 'vartissa', 'de': 'pro 15 Minuten', 'nl': 'per kwartier'},
    'per hour': {'sv': 'per timme', 'fi': 'tunnissa', 'de': 'pro Stunde', 'nl': 'per uur'},
    'posts in the period (listed in the JSON export)': {'sv': 'inlägg under perioden (listade i JSON-exporten)', 'fi': 'julkaisua jaksolla (luettelo JSON-viennissä)', 'de': 'Beiträge im Zeitraum (aufgeführt im JSON-Export)', 'nl': 'berichten in de periode (vermeld in de JSON-export)'},
    'rejected': {'sv': 'avvisat', 'fi': 'hylätty', 'de': 'abgelehnt', 'nl': 'afgewezen'},
    'replaced by message': {'sv': 'ersatt av meddelande', 'fi': 'korvattu viestillä', 'de': 'ersetzt durch Meldung', 'nl': 'vervangen door bericht'},
    'still open': {'sv': 'pågår fortfarande', 'fi': 'yhä avoin', 'de': 'noch offen', 'nl': 'nog open'},
    'submitted': {'sv': 'inskickat', 'fi': 'lähetetty', 'de': 'eingereicht', 'nl': 'ingediend'},
    'superseded': {'sv': 'ersatt', 'fi': 'korvattu', 'de': 'ersetzt', 'nl': 'vervangen'},
    'withdrawn': {'sv': 'tillbakadraget', 'fi': 'peruttu', 'de': 'zurückgezogen', 'nl': 'ingetrokken'},
}  # fmt: skip


def t(text: str, lang: str = "en") -> str:
    return TEXTS.get(text, {}).get(lang, text)


def value_text(key: str, value: Any, lang: str = "en") -> str:
    """A scorecard value as a person reads it: '12 min', '75 %', '3 flagged, 2 triaged', '–' for none."""
    if value is None:
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{value_text('', v, lang)} {t(COUNTS.get(str(k), str(k)), lang)}" for k, v in value.items())
    if key in MINUTES and isinstance(value, int | float):
        return f"{round(value)} min"
    if key in SHARES and isinstance(value, int | float):
        return f"{round(value * 100)} %"
    return str(value)


_DETAIL = re.compile(r"(?:^|, )(title|to|reason|phase)=(.*?)(?=, [a-z_]+=|$)")


def event_summary(event: dict[str, Any], lang: str = "en") -> str:
    """What a timeline event was about, in words: a flag's kind, an incident's title or new phase, who a flag
    went to and why; never the raw details (hashes, ids, lists), which stay in the JSON export."""
    kind, summary = str(event.get("type") or ""), str(event.get("summary") or "")
    if kind == "post":
        return summary
    if kind == "flag":
        label = summary.split(" (")[0]
        return t(FLAG_LABELS.get(label, label), lang)
    parts = []
    for key, value in _DETAIL.findall(summary):
        if value in ("", "None"):
            continue
        if key == "to":
            parts.append(f"→ {value}")
        elif key == "reason":
            parts.append(f"{t('Reason', lang)}: {value}")
        else:
            parts.append(t(value, lang) if key == "phase" else value)
    return " · ".join(parts)
