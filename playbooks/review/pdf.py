"""The review as a PDF to hand to the council, made without a browser (fpdf2, with the DejaVu fonts shipped
in fonts/ for å, ä, ö and ĳ): A4, times in the reader's time zone, every label in the chosen language, the
approved messages with their versions and corrections, the flags, a chart of posts, flags, approved
messages and website posts, an Exercise marking where it applies, and the hashes only in an appendix."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import ClockError, parse_instant
from playbooks.review import words
from playbooks.review.record import EPOCH, HEAD, POST_TIMES, PostTimes, micros
from playbooks.review.words import FLAG_LABELS, t

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
ROWS = 400  # per table; everything is in the JSON export and the bundle


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(REGULAR), lazy=True) as font:
        return frozenset(font.getBestCmap())


def clean(text: object, limit: int | None = None) -> str:
    """Text the fonts can draw: no control or invisible formatting characters (bidi overrides), a '?' for
    a character the font lacks, runs of white space as one space."""
    glyphs = _glyphs()
    out = []
    for ch in " ".join(str(text).split()):
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        out.append(ch if ord(ch) in glyphs else "?")
    shown = "".join(out)
    return shown if limit is None or len(shown) <= limit else shown[: limit - 1] + "…"


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _at(value: object, zone: ZoneInfo) -> datetime | None:
    if not value:
        return None
    try:
        return parse_instant(str(value)).astimezone(zone)
    except ClockError:
        return None


def post_times(doc: dict[str, Any]) -> PostTimes:
    """What the written reviews show of the posts: from a summary as it is, from a whole document counted."""
    times = doc.get(POST_TIMES)
    if isinstance(times, PostTimes):
        return times
    times = PostTimes(head=doc["timeline"][:HEAD])
    for e in doc["timeline"]:
        if e["type"] == "post":
            moment = micros(parse_instant(e["at"]))
            times.at.append(moment)
            if e.get("account_kind") == "website":
                times.website.append(moment)
    times.count = len(times.at)
    return times


def message_record(m: dict[str, Any], lang: str, zone: ZoneInfo) -> list[str]:
    """Who approved a message and when, when it went out, what it corrects or replaced: the same words
    in the PDF and the Markdown review."""
    facts = []
    if m["approved_by"]:
        facts.append(f"{t('approved by', lang)} {m['approved_by']} {local(m['approved_at'], zone)}")
    if m["published_at"]:
        facts.append(f"{t('published', lang)} {local(m['published_at'], zone)}")
    if m["replaces"]:
        what = "correction of message" if m["kind"] == "correction" else "new version of message"
        facts.append(f"{t(what, lang)} #{m['replaces']}")
    if m["superseded_by"]:
        facts.append(f"{t('replaced by message', lang)} #{m['superseded_by']}")
    return facts


def _from_micros(value: int, zone: ZoneInfo) -> datetime:
    return (EPOCH + timedelta(microseconds=value)).astimezone(zone)


def local(value: object, zone: ZoneInfo) -> str:
    moment = _at(value, zone)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "–"


def render(doc: dict[str, Any], lang: str = "en", zone_name: str = "Europe/Stockholm") -> bytes:
    from fpdf import FPDF

    zone = zone_of(zone_name)
    incident = doc["incident"]
    title = words.HEADINGS.get(lang, words.HEADINGS["en"])

    class Review(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 7)
            self.set_text_color(110)
            mark = f"{t('EXERCISE', lang)} · " if incident["exercise"] else ""
            self.cell(0, 5, clean(f"{mark}{title[0]}: {incident['title']} · {t('Page', lang)} {self.page_no()}/{{nb}}"),
                      align="C")  # fmt: skip

    pdf = Review(format="A4", unit="mm")
    pdf.set_title(clean(f"{title[0]}: {incident['title']}"))
    pdf.set_lang(lang)
    pdf.add_font("DejaVu", "", str(REGULAR))
    pdf.add_font("DejaVu", "B", str(BOLD))
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    _heading(pdf, doc, lang, zone, title[0])
    _section(pdf, title[1])
    _table(pdf, (95, 55, 30), [t("Measure", lang), t("Result", lang), t("Requirement", lang)],
           [[t(words.LABELS.get(key, item["label"]), lang), words.value_text(key, item["value"], lang), item["rule"]]
            for key, item in doc["scorecard"].items()])  # fmt: skip
    _chart(pdf, doc, lang, zone)
    _section(pdf, title[3])
    _messages(pdf, doc, lang, zone)
    _section(pdf, t("Flags", lang))
    _flags(pdf, doc, lang, zone)
    _section(pdf, title[2])
    _timeline(pdf, doc, lang, zone)
    _appendix(pdf, doc, lang, title[4])
    return bytes(pdf.output())


def _heading(pdf: Any, doc: dict[str, Any], lang: str, zone: ZoneInfo, title: str) -> None:
    incident = doc["incident"]
    if incident["exercise"]:
        pdf.set_fill_color(200, 30, 30)
        pdf.set_text_color(255)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, t("EXERCISE", lang), align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_text_color(0)
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, clean(f"{title}: {incident['title']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    lines = [
        f"{t('Incident', lang)} #{incident['id']} · {t('Playbook', lang)}: {incident['playbook']} · "
        f"{t('Phase', lang)}: {t(incident['phase'], lang)}",
        f"{t('Opened', lang)}: {local(incident['opened_at'], zone)} ({incident['opened_by']}) · {t('Closed', lang)}: "
        + (f"{local(incident['closed_at'], zone)} ({incident['closed_by']})" if incident["closed_at"] else t("still open", lang)),
        f"{t('Times are in', lang)} {zone.key} · {t('Made', lang)} {local(doc['generated_at'], zone)}",
    ]  # fmt: skip
    for line in lines:
        pdf.multi_cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")


def _section(pdf: Any, text: str) -> None:
    pdf.ln(4)
    pdf.set_text_color(0)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)


def _table(pdf: Any, widths: tuple[int, ...], head: list[str], rows: list[list[str]], size: float = 8) -> None:
    pdf.set_font("DejaVu", "", size)
    pdf.set_fill_color(255)  # a colour left from the chart would fill every cell
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.5, padding=1, cell_fill_mode="NONE",
                   headings_style=_heading_style(), repeat_headings=1) as table:  # fmt: skip
        row = table.row()
        for cell in head:
            row.cell(clean(cell))
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(clean(value, 600))


def _heading_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family="DejaVu", emphasis="BOLD", fill_color=(230, 230, 230))


def _messages(pdf: Any, doc: dict[str, Any], lang: str, zone: ZoneInfo) -> None:
    """Every message that went for approval, newest version last: who approved it, when it went out, what
    it corrected or what replaced it, and its text."""
    shown = [m for m in doc["messages"] if m["submitted_at"] or m["published_at"]]
    if not shown:
        pdf.multi_cell(0, 5, t("No messages.", lang), new_x="LMARGIN", new_y="NEXT")
    for m in shown:
        pdf.set_text_color(0)
        pdf.set_font("DejaVu", "B", 9)
        head = f"#{m['id']} · {t(m['kind'], lang)} · {m['language']} · {t(m['state'], lang)}"
        pdf.multi_cell(0, 5, clean(head), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        facts = [f"{t('Written by', lang)} {m['author']}", *message_record(m, lang, zone)]
        if m["rejected_reason"]:
            facts.append(f"{t('rejected', lang)}: {m['rejected_reason']}")
        pdf.multi_cell(0, 4.5, clean(" · ".join(facts)), new_x="LMARGIN", new_y="NEXT")
        if m["state"] in ("superseded", "withdrawn", "rejected"):
            pdf.set_text_color(120)  # kept on record, no longer what the public is told
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 5, clean(m["text"]), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_text_color(0)


def _flags(pdf: Any, doc: dict[str, Any], lang: str, zone: ZoneInfo) -> None:
    posts = {p["id"]: p for p in doc["posts"]}
    if not doc["flags"]:
        pdf.multi_cell(0, 5, t("No flags.", lang), new_x="LMARGIN", new_y="NEXT")
        return
    rows = []
    for f in doc["flags"][:ROWS]:
        post = posts.get(f["post_id"], {})
        rows.append([local(f["created_at"], zone), t(FLAG_LABELS.get(f["kind"], f["kind"]), lang),
                     str(post.get("account_name") or post.get("account") or "–"), t(f["status"], lang)
                     + (f" ({f['assigned_to']})" if f["assigned_to"] else ""),
                     clean(post.get("text") or post.get("title") or "–", 160)])  # fmt: skip
    _table(pdf, (26, 34, 30, 28, 62), [t("Time", lang), t("Flag", lang), t("Account", lang), t("Status", lang),
                                       t("Post", lang)], rows)  # fmt: skip
    _more(pdf, len(doc["flags"]), lang)


def _timeline(pdf: Any, doc: dict[str, Any], lang: str, zone: ZoneInfo) -> None:
    """What the unit did and what the checks found; the posts themselves are counted, not listed."""
    events = [e for e in doc["timeline"] if e["type"] != "post"]
    posts = post_times(doc).count
    pdf.multi_cell(0, 5, clean(f"{posts} {t('posts in the period (listed in the JSON export)', lang)}"),
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    rows = []
    for e in events[:ROWS]:
        what = words.event_summary(e, lang)  # in words: no hashes (the appendix has them), ids or lists
        ref = str(e.get("ref") or "")
        concerns = "#" + ref.split(" ", 1)[1] if ref.startswith(("message ", "flag ", "incident ")) else ""
        rows.append([local(e["at"], zone), t(words.EVENTS.get(e["type"], e["type"]), lang), str(e.get("account") or "–"),
                     clean(f"{concerns} {what}".strip() or "–", 200)])  # fmt: skip
    if rows:
        _table(pdf, (26, 38, 26, 90), [t("Time", lang), t("Event", lang), t("Who", lang), t("What", lang)], rows)
    _more(pdf, len(events), lang)


def _more(pdf: Any, count: int, lang: str) -> None:
    if count > ROWS:
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(0, 5, clean(f"{ROWS} / {count} · {t('all of them are in the JSON export', lang)}"),
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip


def _chart(pdf: Any, doc: dict[str, Any], lang: str, zone: ZoneInfo) -> None:
    """Posts and flags per interval as bars, approved messages and website posts as marks below them."""
    times = post_times(doc)
    events = [e for e in doc["timeline"] if e["type"] != "post"]
    moments = [m for e in events if (m := _at(e["at"], zone))]
    if times.at:  # the posts come as microseconds since the epoch, the same instants in fewer bytes
        moments += [_from_micros(min(times.at), zone), _from_micros(max(times.at), zone)]
    start = _at(doc["incident"]["opened_at"], zone)
    if not moments or start is None:
        return
    end = max([*moments, start + timedelta(minutes=30)])
    step = timedelta(minutes=15) if end - start <= timedelta(hours=6) else timedelta(hours=1)
    bins = max(1, min(96, int((end - start) / step) + 1))
    posts, flagged = [0] * bins, [0] * bins
    first, width_us = micros(start), step // timedelta(microseconds=1)
    for moment_us in times.at:
        if moment_us >= first:
            posts[min(bins - 1, (moment_us - first) // width_us)] += 1
    for e in events:
        moment = _at(e["at"], zone)
        if moment is not None and moment >= start and e["type"] == "flag":
            flagged[min(bins - 1, int((moment - start) / step))] += 1
    approved = [a for m in doc["messages"] if (a := _at(m["approved_at"], zone))]
    website = [_from_micros(m, zone) for m in times.website]
    if pdf.get_y() > 200:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 10)
    per = t("per 15 minutes", lang) if step == timedelta(minutes=15) else t("per hour", lang)
    pdf.multi_cell(0, 6, clean(f"{t('Posts and flags', lang)} {per}"), new_x="LMARGIN", new_y="NEXT")
    left, top, width, height = pdf.l_margin + 8, pdf.get_y() + 2, 170, 45
    peak = max([*posts, *flagged, 1])
    slot = width / bins
    pdf.set_draw_color(150)
    pdf.line(left, top + height, left + width, top + height)
    for i in range(bins):
        for offset, value, colour in ((0.1, posts[i], (150, 150, 150)), (0.5, flagged[i], (230, 120, 20))):
            if value:
                bar = height * value / peak
                pdf.set_fill_color(*colour)
                pdf.rect(left + slot * (i + offset), top + height - bar, slot * 0.4, bar, style="F")
    pdf.set_font("DejaVu", "", 7)
    pdf.set_text_color(80)
    pdf.text(pdf.l_margin, top + 3, str(peak))
    span = (end - start).total_seconds() or 1.0
    marks = ((approved, (30, 90, 200), 4), (website, (40, 150, 60), 8))
    for moments_of, colour, below in marks:
        pdf.set_fill_color(*colour)
        for moment in moments_of:
            x = left + width * max(0.0, min(1.0, (moment - start).total_seconds() / span))
            pdf.rect(x - 0.6, top + height + below - 2.5, 1.2, 2.5, style="F")
    for k in range(5):
        moment = start + (end - start) * k / 4
        pdf.text(left + width * k / 4 - 4, top + height + 13, moment.strftime("%H:%M"))
    legend_y = top + height + 18
    for n, (label, colour) in enumerate(((t("Posts", lang), (150, 150, 150)), (t("Flags", lang), (230, 120, 20)),
                                         (t("Approved messages", lang), (30, 90, 200)), (t("Website posts", lang), (40, 150, 60)))):  # fmt: skip
        pdf.set_fill_color(*colour)
        pdf.rect(left + n * 43, legend_y - 2.5, 3, 3, style="F")
        pdf.text(left + n * 43 + 4.5, legend_y, clean(label))
    pdf.set_text_color(0)
    pdf.set_y(legend_y + 4)


def _appendix(pdf: Any, doc: dict[str, Any], lang: str, audit_title: str) -> None:
    """The hashes, for whoever checks them: the audit chain's head and signed checkpoint, each message's text."""
    pdf.add_page()
    _section(pdf, f"{t('Appendix', lang)}: {audit_title}")
    chain = doc["audit"]
    state = t("The audit trail is intact", lang) if chain["chain_ok"] else t("The audit trail is broken", lang)
    pdf.multi_cell(
        0, 5, clean(f"{state}: {chain['chain_records']} {t('records', lang)}"), new_x="LMARGIN", new_y="NEXT"
    )
    for problem in chain.get("problems") or []:
        pdf.multi_cell(0, 5, clean(f"– {problem}"), new_x="LMARGIN", new_y="NEXT")
    rows = [[t("Head of the chain", lang), chain["chain_head"]]]
    if cp := chain.get("checkpoint"):
        rows += [[t("Signed checkpoint", lang), f"seq {cp['seq']} · {cp['head']}"], [t("Key", lang), f"Ed25519 {cp['key_id']} · {cp['public_key']}"],
                 [t("Signature", lang), cp["signature"]]]  # fmt: skip
    rows += [[f"{t('Message', lang)} #{m['id']}", f"SHA-256 {m['text_hash']}"] for m in doc["messages"]]
    _table(pdf, (40, 140), [t("What", lang), t("Value", lang)], rows, size=7)
