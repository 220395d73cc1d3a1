"""What an approver is shown before approving a draft: warnings, never blocks (only four eyes blocks).

R10 hedges and speculation, R16 personal data, R9 channel length without a link, the playbook's
must-have parts, and readability (LIX) per language.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from playbooks.checks import lexicon, tokens
from playbooks.playbook import Playbook
from sources.language import LANGUAGES

# R10 asks drafts to avoid what R2 looks for in rumours: the same cue families, in the draft's language,
# plus the hedges of official writing ("we think", "spekul…") listed in lexicon/<language>.yaml.
HEDGE_FAMILIES = ("speculation", "hearsay", "unverified")
# LIX above this reads as hard for the language (LIX was made for Swedish; Finnish and German words are longer).
LIX_HARD = {"sv": 50, "fi": 60, "de": 55, "nl": 50, "en": 50}

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(
    r"(?<![\w/])(?:\+|00)\d{1,3}[\s-]?(?:\(?\d{1,4}\)?[\s-]?){2,5}\d{2,4}\b|\b0\d{1,3}[\s-]?\d{2,3}(?:[\s-]?\d{2,3}){1,3}\b"
)
_SE_PIN = re.compile(r"\b(?:19|20)?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})\b")
_FI_PIN = re.compile(r"\b(\d{2})(\d{2})(\d{2})[-+ABCDEFYXWVU](\d{3})([0-9A-Y])\b")
_NL_BSN = re.compile(r"\b\d{9}\b")
# A link: an address with its scheme, or a bare domain a reader types in ("torsby.se", "www.torsby.se/brand").
_LINK = re.compile(
    r"https?://\S+|(?<![\w@.-])(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\."
    r"(?:se|fi|de|nl|ch|at|be|eu|uk|nu|com|org|net|info|gov|admin\.ch)(?:/\S*)?(?![\w@-])",
    re.I,
)
# Role addresses are a service's, not a person's: info@, kommun@, krisinfo@ …
_ROLE_MAILBOX = re.compile(
    r"^(?:info|kontakt|contact|kommun|kunta|gemeente|stadt|gemeinde|kirjaamo|registrator|krisinfo|kriisi|"
    r"press|presse|pers|media|medien|viestinta|communicatie|kommunikation|service|servicecenter|"
    r"kundtjanst|asiakaspalvelu|noreply|no-reply|webmaster|post|postmaster|office|enquiries|customerservices)"
    r"(?:[._-][\w-]+)?$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)|\n+")
_EMERGENCY_NUMBERS = {"112", "113 13", "11313", "116 117", "116117", "144", "117", "118", "1177"}


@dataclass
class Precheck:
    warnings: list[str] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    personal_data: list[str] = field(default_factory=list)
    too_long_for: list[str] = field(default_factory=list)
    missing_parts: list[str] = field(default_factory=list)
    lix: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def hedges(text: str, language: str) -> list[str]:
    lex = lexicon.load(language)
    lowered = text.lower()
    found = [hit for family in HEDGE_FAMILIES for hit in lex.cues[family].find(lowered)]
    found += [cue for cue in lex.drafts.get("hedges", ()) if _has_cue(lowered, cue)]
    return list(dict.fromkeys(found))


def check(text: str, language: str, playbook: Playbook, *, keywords: tuple[str, ...] = ()) -> Precheck:
    lang = language if language in LANGUAGES else "en"
    parts_of = lexicon.load(lang).drafts
    lowered = text.lower()
    result = Precheck()
    result.hedges = hedges(text, lang)
    if result.hedges:
        result.warnings.append(
            f"R10: speculation or hedging ({', '.join(result.hedges)}): state facts, refer to the website"
        )
    result.personal_data = personal_data(text, playbook.watch_names, playbook.public_contacts)
    if result.personal_data:
        result.warnings.append(f"R16: personal data in the text ({'; '.join(result.personal_data)})")
    has_link = _LINK.search(text) is not None
    for channel, limit in playbook.channels.items():
        if limit is not None and len(text) > limit and not has_link:
            result.too_long_for.append(channel)
    if result.too_long_for:
        result.warnings.append(
            f"R9: {len(text)} characters is too long for {', '.join(result.too_long_for)} and there is no link to "
            "the complete message on the website"
        )
    parts = {
        "what": bool(text.strip())
        and (
            not (keywords or playbook.keywords)
            or any(_has_cue(lowered, k.lower()) for k in keywords or playbook.keywords)
        ),
        "where": any(cue in lowered for cue in parts_of["where"]),
        "do": any(_has_cue(lowered, cue) for cue in parts_of["do"]),
        "next": any(cue in lowered for cue in parts_of["next"]),
    }
    result.missing_parts = [p for p in playbook.must_have if not parts[p]]
    if result.missing_parts:
        result.warnings.append(f"missing must-have part(s): {', '.join(result.missing_parts)}")
    result.lix = round(lix(text), 1)
    if result.lix > LIX_HARD[lang]:
        result.warnings.append(f"R3: hard to read (LIX {result.lix} > {LIX_HARD[lang]}): shorter sentences and words")
    return result


def _has_cue(lowered: str, cue: str) -> bool:
    # Cues ending in a word stem ("spekul") match word starts; whole cues match at word boundaries.
    return re.search(rf"(?<!\w){re.escape(cue)}", lowered) is not None


def lix(text: str) -> float:
    """Läsbarhetsindex: words per sentence + percentage of words longer than six letters."""
    words = [w for w in tokens.words(text) if not w.isdigit()]
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if any(c.isalpha() for c in s)]))
    long_words = sum(1 for w in words if len(w) > 6)
    return len(words) / sentences + 100 * long_words / len(words)


def personal_data(text: str, watch_names: tuple[str, ...] = (), public: tuple[str, ...] = ()) -> list[str]:
    """Personal data in a text: e-mail addresses and phone numbers (but the emergency numbers, the
    organisation's own listed in the playbook, and role addresses like info@), identity numbers with a
    valid check digit, and the playbook's watch-listed names."""
    public_numbers = {re.sub(r"\D", "", c) for c in public if "@" not in c} - {""}
    public_mail = {c.lower() for c in public if "@" in c}
    found = [
        f"e-mail address {m}"
        for m in _EMAIL.findall(text)
        if m.lower() not in public_mail and not _ROLE_MAILBOX.match(m.split("@")[0])
    ]
    for match in _SE_PIN.finditer(text):
        digits = "".join(match.groups())
        if _luhn_ok(digits) and 1 <= int(match.group(2)) <= 12:
            found.append(f"Swedish personal identity number {match.group(0)}")
    for match in _FI_PIN.finditer(text):
        if _fi_pin_ok(match):
            found.append(f"Finnish personal identity code {match.group(0)}")
    for match in _NL_BSN.finditer(text):
        if _bsn_ok(match.group(0)):
            found.append(f"Dutch citizen service number {match.group(0)}")
    for match in _PHONE.finditer(text):
        number = match.group(0).strip()
        digits = re.sub(r"\D", "", number)
        if digits in {re.sub(r"\D", "", n) for n in _EMERGENCY_NUMBERS} or _listed(digits, public_numbers):
            continue
        if any(number in item for item in found):
            continue
        found.append(f"phone number {number}")
    lowered = text.lower()
    found.extend(f"name on the watch list: {name}" for name in watch_names if name and name.lower() in lowered)
    return found


def _listed(digits: str, public: set[str]) -> bool:
    """The number, written nationally (0560-160 00) or internationally (+46 560 160 00), is listed."""
    national = {"0" + d[2:] for d in (digits,) if digits.startswith(("46", "358", "49", "31", "41"))}
    candidates = {digits, digits.lstrip("0"), *national}
    listed = {p.lstrip("0") for p in public} | public
    return any(c in listed or c.lstrip("0") in listed for c in candidates) or any(
        digits.endswith(p.lstrip("0")) and len(p.lstrip("0")) >= 6 for p in public
    )


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _fi_pin_ok(match: re.Match[str]) -> bool:
    day, month, year, serial, check_char = match.groups()
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return False
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(day + month + year + serial) % 31] == check_char


def _bsn_ok(number: str) -> bool:
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0 and number != "000000000"
