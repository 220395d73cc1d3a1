"""Every word the desk shows is in five languages (issue 13): a text passed to `t` anywhere in the
dashboard, every flag kind, explanation and status, and every account kind."""

from __future__ import annotations

import ast
from pathlib import Path

from dashboard import flagcards, i18n
from dashboard.views import flagdesk
from playbooks.review import words
from playbooks.workflow.models import PHASES, ROLES
from sources.models import ACCOUNT_KINDS

ROOT = Path(__file__).resolve().parents[2] / "dashboard"
OTHERS = [code for code in i18n.LANGUAGES if code != "en"]


def shown_texts() -> set[str]:
    """Every string literal given to `t(...)` or `viewer.t(...)` in the dashboard's code."""
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name == "t" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_every_text_shown_has_all_five_languages() -> None:
    texts = shown_texts()
    texts |= {text for pair in flagcards.KINDS.values() for text in pair}
    texts |= set(flagcards.STATUSES) | set(ACCOUNT_KINDS) | {"ok", "due", "overdue"}
    texts |= set(ROLES) | set(PHASES) | {"corrected by", "replaced by", "active", "disabled"}
    texts |= {why[:1].upper() + why[1:] for why in flagcards.WHY}
    texts |= set(words.LABELS.values()) | set(words.EVENTS.values()) | set(words.COUNTS.values())
    texts |= set(flagdesk.RELATIONS.values()) | {"update", "repeat", "correction"}
    texts |= set(i18n.CHECK_PHRASES)  # words of stored check lines, shown translated
    assert len(texts) > 100
    missing = sorted(f"{text!r} in {lang}" for text in texts for lang in OTHERS if lang not in i18n._T.get(text, {}))
    assert missing == []


def test_dismissing_a_flag_and_rejecting_a_message_are_different_words() -> None:
    for lang in OTHERS:
        assert i18n.t("dismiss", lang).lower() != i18n.t("Reject", lang).lower(), lang


def test_the_partner_contradiction_line_of_the_checks_is_shown_translated() -> None:
    from playbooks.workflow.partners import CONTRADICTS

    line = f"R1: {CONTRADICTS} “Hazardous substance release” (ILS München): closed ≠ open"
    assert (
        i18n.check_line(line, "de")
        == "R1: widerspricht der Warnung “Hazardous substance release” (ILS München): closed ≠ open"
    )
    assert i18n.check_line(line, "en") == line and i18n.check_line("R16: personal data", "sv") == "R16: personal data"
    for lang in OTHERS:
        assert i18n.check_line(line, lang) != line, lang


def test_every_draft_check_line_is_shown_in_the_readers_language() -> None:
    """Each line playbooks.checks.drafts stores (in English, as the audit keeps it) is read in all five
    languages, with what it quotes as written."""
    from playbooks import playbook
    from playbooks.checks import drafts

    book = playbook.get("default")
    text = ("Vi tror kanske att branden spreds. Ring 070-123 45 67 eller mejla anna.svensson@example.se. "
            + "Kommunövergripande krisledningsorganisationens informationsverksamhetsplanering. " * 5)  # fmt: skip
    lines = drafts.check(text, "sv", book, keywords=("översvämning",)).warnings
    assert {line.split(":")[0] for line in lines} >= {"R10", "R16", "R9", "R3", "missing must-have part(s)"}
    for line in lines:
        for lang in ("sv", "fi", "de", "nl"):
            shown = i18n.check_line(line, lang)
            assert shown != line, (lang, line)
    r16 = next(line for line in lines if line.startswith("R16"))
    assert i18n.check_line(r16, "sv") == (
        "R16: personuppgifter i texten (e-postadress anna.svensson@example.se; telefonnummer 070-123 45 67)"
    )
