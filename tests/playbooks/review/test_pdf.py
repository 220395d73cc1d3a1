"""The review as a PDF for the council, made without a browser (issue 13): A4, the reader's language and
time zone, the approved texts with their corrections, Exercise marked, no None/null/dicts, hashes only in
the appendix; å, ä, ö and ĳ drawn by the shipped font; hostile text drawn as text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from playbooks.review import exports, pdf
from playbooks.workflow import messages
from tests.playbooks.review.test_scorecard import recorded  # noqa: F401 (the recorded incident)

PDFTOTEXT = shutil.which("pdftotext")


def _text(data: bytes, tmp_path: Path) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: make test installs it")
    source = tmp_path / "review.pdf"
    source.write_bytes(data)
    done = subprocess.run([PDFTOTEXT, "-layout", str(source), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def test_the_pdf_is_a4_in_the_readers_language_and_time_zone(engine, recorded, tmp_path: Path) -> None:  # noqa: F811
    original, correction = messages.get(engine, recorded["a"]), recorded["b"]
    doc = exports.document(engine, recorded["incident"])
    second = next(m for m in doc["messages"] if m["id"] == correction)
    second.update(kind="correction", replaces=original.id)  # as a correction of the first would be recorded
    data = exports.to_pdf(doc, "sv", "Europe/Helsinki")
    if os.environ.get("CRISISDESK_PDF_SAMPLE"):  # rendered pages for docs/screenshots
        Path(os.environ["CRISISDESK_PDF_SAMPLE"]).write_bytes(data)
    assert data.startswith(b"%PDF") and re.search(rb"/MediaBox\s*\[0 0 595\.2\d* 841\.8\d*\]", data), "A4"
    text = _text(data, tmp_path)
    assert "Utvärdering efter händelsen" in text and "Godkända meddelanden" in text and "Tidslinje" in text
    assert "Tid från start till första godkända meddelande" in text
    assert f"rättelse av meddelande #{original.id}" in text and f"ersatt av meddelande #{correction}" in text
    assert " ".join(original.text.split()[:4]) in text and " ".join(second["text"].split()[:4]) in text, "every version"
    published = messages.get(engine, correction).published_at
    assert published is not None
    assert published.astimezone(ZoneInfo("Europe/Helsinki")).strftime("%Y-%m-%d %H:%M") in text
    assert "Tider anges i Europe/Helsinki" in text
    body, _, appendix = text.partition("Bilaga")
    assert appendix and messages.get(engine, correction).text_hash in appendix.replace("\n", "").replace(" ", "")
    for bad in ("None", "null", "{'", '{"', "text_hash", "sha256"):
        assert bad not in body, bad
    assert not re.search(r"\b[0-9a-f]{64}\b", body), "no hashes before the appendix"


def test_an_exercise_is_marked_on_every_page_and_the_fonts_draw_every_letter(engine, recorded, tmp_path: Path) -> None:  # noqa: F811
    doc = exports.document(engine, recorded["incident"])
    doc["incident"]["exercise"] = True
    doc["incident"]["title"] = "Övning: ĳsvorming in Åre, Väärä \u202egnalsi\u202c <script>"
    text = _text(exports.to_pdf(doc, "nl"), tmp_path)
    assert "OEFENING" in text and "ĳsvorming in Åre, Väärä gnalsi <script>" in text
    pages = text.split("\f")
    assert all("OEFENING" in page for page in pages if page.strip()), "every page says it was an exercise"
    assert pdf.clean("a\u202eb\x00c\U0001f525") == "abc?", "invisible and control characters go; a missing glyph is '?'"


def test_export_pdf_and_zip_work_where_no_browser_is_installed(engine, team, db_url: str, tmp_path: Path,
                                                               monkeypatch) -> None:  # fmt: skip
    import zipfile

    from crisisdesk.cli import main
    from playbooks.workflow import incidents

    incident = str(incidents.open_incident(engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke"))
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to run: no chromium, no other browser
    assert main(["export", incident, "--format", "pdf", "--out", str(tmp_path / "r.pdf"), "--db", db_url]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert main(["export", incident, "--format", "zip", "--out", str(tmp_path / "r.zip"), "--db", db_url]) == 0
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        assert archive.read("review.pdf").startswith(b"%PDF")
    assert exports.verify_archive(tmp_path / "r.zip") == []


def test_the_markdown_review_is_in_words_too(engine, recorded) -> None:  # noqa: F811
    doc = exports.document(engine, recorded["incident"])
    md = exports.to_markdown(doc, "de", "Europe/Berlin")
    body, _, audit = md.partition("## Protokoll")
    assert "| Kennzahl | Ergebnis | Anforderung |" in body and "Zeiten in Europe/Berlin" in body
    assert "Meldung veröffentlicht" in body and f"ersetzt durch Meldung \\#{recorded['b']}" in body
    assert not re.search(r"\bNone\b|\bnull\b|\{|[0-9a-f]{64}", body), "no None, dicts or hashes before the audit"
    assert doc["audit"]["chain_head"] in audit
