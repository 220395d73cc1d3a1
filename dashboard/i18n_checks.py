"""The draft checks' lines (playbooks/checks/drafts.py stores them in English, as the audit record keeps
them) as each reader reads them: the rule's sentence translated, the words it quotes left as written."""

from __future__ import annotations

import re

# Each stored line's shape, and its sentence in the five languages ({0}, {1}: what the line quotes).
_LINES: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(r"^R10: speculation or hedging \((.*)\): state facts, refer to the website$"), {
        "en": "R10: speculation or hedging ({0}): state facts, refer to the website",
        "sv": "R10: spekulation eller gardering ({0}): skriv fakta, hänvisa till webbplatsen",
        "fi": "R10: arvailua tai varauksia ({0}): kerro tosiasiat, viittaa verkkosivuille",
        "de": "R10: Spekulation oder Absicherung ({0}): Fakten nennen, auf die Website verweisen",
        "nl": "R10: speculatie of voorbehoud ({0}): geef feiten, verwijs naar de website"}),
    (re.compile(r"^R16: personal data in the text \((.*)\)$"), {
        "en": "R16: personal data in the text ({0})",
        "sv": "R16: personuppgifter i texten ({0})",
        "fi": "R16: henkilötietoja tekstissä ({0})",
        "de": "R16: personenbezogene Daten im Text ({0})",
        "nl": "R16: persoonsgegevens in de tekst ({0})"}),
    (re.compile(r"^R9: (\d+) characters is too long for (.*) and there is no link to the complete message on the "
                r"website$"), {
        "en": "R9: {0} characters is too long for {1} and there is no link to the complete message on the website",
        "sv": "R9: {0} tecken är för långt för {1} och det finns ingen länk till hela meddelandet på webbplatsen",
        "fi": "R9: {0} merkkiä on liian pitkä kanavalle {1}, eikä tekstissä ole linkkiä koko tiedotteeseen "
              "verkkosivuilla",
        "de": "R9: {0} Zeichen sind zu lang für {1}, und es gibt keinen Link zur vollständigen Meldung auf der "
              "Website",
        "nl": "R9: {0} tekens is te lang voor {1} en er is geen link naar het volledige bericht op de website"}),
    (re.compile(r"^missing must-have part\(s\): (.*)$"), {
        "en": "missing must-have part(s): {0}",
        "sv": "saknade obligatoriska delar: {0}",
        "fi": "pakollisia osia puuttuu: {0}",
        "de": "fehlende Pflichtteile: {0}",
        "nl": "ontbrekende verplichte onderdelen: {0}"}),
    (re.compile(r"^R3: hard to read \(LIX (.*) > (.*)\): shorter sentences and words$"), {
        "en": "R3: hard to read (LIX {0} > {1}): shorter sentences and words",
        "sv": "R3: svårläst (LIX {0} > {1}): kortare meningar och ord",
        "fi": "R3: vaikealukuinen (LIX {0} > {1}): lyhyempiä virkkeitä ja sanoja",
        "de": "R3: schwer lesbar (LIX {0} > {1}): kürzere Sätze und Wörter",
        "nl": "R3: moeilijk leesbaar (LIX {0} > {1}): kortere zinnen en woorden"}),
]  # fmt: skip

# The must-have parts a playbook names, and the kinds of personal data the R16 line lists.
WORDS: dict[str, dict[str, str]] = {
    "what": {"sv": "vad", "fi": "mitä", "de": "was", "nl": "wat"},
    "where": {"sv": "var", "fi": "missä", "de": "wo", "nl": "waar"},
    "do": {"sv": "vad man ska göra", "fi": "mitä tehdä", "de": "was zu tun ist", "nl": "wat te doen"},
    "next": {"sv": "nästa besked", "fi": "seuraava tiedote", "de": "nächste Meldung", "nl": "volgende update"},
    "e-mail address": {"sv": "e-postadress", "fi": "sähköpostiosoite", "de": "E-Mail-Adresse", "nl": "e-mailadres"},
    "phone number": {"sv": "telefonnummer", "fi": "puhelinnumero", "de": "Telefonnummer", "nl": "telefoonnummer"},
    "Swedish personal identity number": {"sv": "svenskt personnummer", "fi": "ruotsalainen henkilötunnus",
                                         "de": "schwedische Personennummer", "nl": "Zweeds persoonsnummer"},
    "Finnish personal identity code": {"sv": "finsk personbeteckning", "fi": "suomalainen henkilötunnus",
                                       "de": "finnische Personenkennung", "nl": "Fins persoonsnummer"},
    "Dutch citizen service number": {"sv": "nederländskt BSN-nummer", "fi": "hollantilainen BSN-numero",
                                     "de": "niederländische BSN-Nummer", "nl": "burgerservicenummer"},
    "name on the watch list": {"sv": "namn på bevakningslistan", "fi": "nimi seurantalistalla",
                               "de": "Name auf der Beobachtungsliste", "nl": "naam op de bewaakte lijst"},
}  # fmt: skip
_ITEM = re.compile(r"^(" + "|".join(re.escape(k) for k in sorted(WORDS, key=len, reverse=True)) + r")\b(.*)$")


def draft_check_line(line: str, lang: str) -> str | None:
    """The line in `lang`, or None when it is not one of the draft checks' lines."""
    for pattern, sentences in _LINES:
        match = pattern.match(line)
        if match:
            quoted = [_words(g, lang) for g in match.groups()]
            return sentences.get(lang, sentences["en"]).format(*quoted)
    return None


def _words(group: str, lang: str) -> str:
    """A list the line quotes ("where, next"; "phone number 070-…; e-mail address …") with its known words
    translated and the rest (numbers, addresses, the draft's own words) as written."""
    separator = "; " if ";" in group else ", "
    out = []
    for item in group.split(separator):
        match = _ITEM.match(item)
        out.append(WORDS[match.group(1)].get(lang, match.group(1)) + match.group(2) if match else item)
    return separator.join(out)
