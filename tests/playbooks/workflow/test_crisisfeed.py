"""The official crisis feed: valid Atom and CAP 1.2 (checked against the OASIS schema)."""

from __future__ import annotations

import io
from datetime import timedelta

import feedparser
import pytest
from lxml import etree

from core.clock import parse_instant
from playbooks.workflow import crisisfeed, incidents, messages
from tests.conftest import FIXTURES

SCHEMA = etree.XMLSchema(etree.parse(str(FIXTURES / "cap" / "CAP-v1.2.xsd")))
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
SV = "Brand i Östmark. Håll fönster stängda. Nästa information kommer kl. 10.00."
EN = "Fire at Östmark. Keep windows closed. The next update will be at 10:00."


def valid_cap(data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    SCHEMA.assertValid(root)
    return root


def publish(engine, incident: int, text: str, lang: str, replaces: int | None = None, correction: bool = False) -> int:
    if replaces is None:
        message_id = messages.draft(engine, incident, text, by="anna", lang=lang)
    elif correction:
        message_id = messages.correct(engine, replaces, text, by="anna")
    else:
        message_id = messages.revise(engine, replaces, text, by="anna")
    messages.submit(engine, message_id, by="anna")
    messages.approve(engine, message_id, by="lars")
    messages.publish(engine, message_id, by="anna")
    return message_id


def at(monkeypatch, minutes: int) -> None:
    monkeypatch.setenv(
        "CRISISDESK_NOW", (parse_instant("2026-11-22T07:00:00Z") + timedelta(minutes=minutes)).isoformat()
    )


def test_alert_then_update_with_references_then_cancel(engine, team, monkeypatch) -> None:
    at(monkeypatch, 0)
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke")
    with pytest.raises(ValueError, match="published nothing yet"):
        crisisfeed.cap(engine, incident)
    at(monkeypatch, 5)
    first = publish(engine, incident, SV, "sv")
    alert = valid_cap(crisisfeed.cap(engine, incident))
    assert alert.findtext(f"{CAP}msgType") == "Alert" and alert.findtext(f"{CAP}status") == "Actual"
    assert alert.findtext(f"{CAP}sent") == "2026-11-22T07:05:00+00:00"
    at(monkeypatch, 6)
    publish(engine, incident, EN, "en")
    at(monkeypatch, 30)
    publish(engine, incident, SV.replace("10.00", "11.00"), "sv", replaces=first)
    update = valid_cap(crisisfeed.cap(engine, incident))
    assert update.findtext(f"{CAP}msgType") == "Update"
    refs = update.findtext(f"{CAP}references").split()
    assert refs[0] == "crisisdesk@crisisdesk,crisisdesk-1-1,2026-11-22T07:05:00+00:00" and len(refs) == 2
    infos = {i.findtext(f"{CAP}language"): i.findtext(f"{CAP}description") for i in update.iter(f"{CAP}info")}
    assert infos == {"en": EN, "sv": SV.replace("10.00", "11.00")}, "one info per language, the live message in each"
    at(monkeypatch, 90)
    incidents.close_incident(engine, incident, by="lars")
    cancel = valid_cap(crisisfeed.cap(engine, incident))
    assert cancel.findtext(f"{CAP}msgType") == "Cancel" and len(cancel.findtext(f"{CAP}references").split()) == 3


def test_an_exercise_says_so(engine, team) -> None:
    incident = incidents.open_incident(engine, title="Övning", by="lars", exercise=True)
    publish(engine, incident, SV, "sv")
    assert valid_cap(crisisfeed.cap(engine, incident)).findtext(f"{CAP}status") == "Exercise"


def test_the_atom_feed_is_valid_and_shows_corrections_linked_to_what_they_correct(engine, team) -> None:
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke")
    original = publish(engine, incident, SV, "sv")
    correction = publish(engine, incident, SV.replace("Östmark", "Västmark"), "sv", replaces=original, correction=True)
    data = crisisfeed.atom(engine, incident)
    parsed = feedparser.parse(io.BytesIO(data))
    assert parsed.bozo == 0 and parsed.version == "atom10"
    newest, oldest = parsed.entries
    assert newest.id == crisisfeed.entry_id(incident, correction) and newest.title.startswith("Rättelse: ")
    assert newest.links[0].href == crisisfeed.entry_id(incident, original)
    assert oldest.content[0].value == SV, "the corrected message stays visible (R8)"
    assert {link.title for link in oldest.links} == {"superseded by"}


def test_hostile_text_is_escaped_in_both_feeds(engine, team) -> None:
    incident = incidents.open_incident(engine, title="<script>alert(1)</script> & co", by="lars")
    publish(engine, incident, 'Håll fönster stängda <img src=x onerror="alert(1)"> & ]]> kl. 10', "sv")
    atom = crisisfeed.atom(engine, incident)
    assert b"<script>" not in atom and b"<img" not in atom and b"&lt;img" in atom
    valid_cap(crisisfeed.cap(engine, incident))


# --- issue 12 items 16 and 17 ------------------------------------------------------------------------

CONTROL = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)) + "\x7f\x85\ufffe\uffff"
STORABLE = CONTROL.replace("\x00", "")  # PostgreSQL stores no NUL in text


def test_control_characters_in_the_title_or_organisation_never_make_the_feeds_invalid(engine, team) -> None:
    from core.db import write_session
    from sources.models import Organisation

    with write_session(engine) as session:  # as a registry or an older version may have stored it
        session.add(Organisation(id=1, name=f"Torsby{STORABLE} kommun", allow_networks=[],
                                 updated_at=parse_instant("2026-11-22T07:00:00Z")))  # fmt: skip
    incident = incidents.open_incident(engine, title=f"Brand{CONTROL} i Östmark", by="lars")
    publish(engine, incident, SV, "sv")
    with write_session(engine) as session:  # and a title written before titles were cleaned
        from playbooks.workflow.models import Incident

        session.get(Incident, incident).title = f"Brand{STORABLE} i Östmark"  # type: ignore[union-attr]
    atom = etree.fromstring(crisisfeed.atom(engine, incident))
    assert atom.findtext("{http://www.w3.org/2005/Atom}title") == "Torsby kommun: Brand i Östmark"
    alert = valid_cap(crisisfeed.cap(engine, incident))
    assert alert.find(f"{CAP}info").findtext(f"{CAP}senderName") == "Torsby kommun"
    assert feedparser.parse(io.BytesIO(crisisfeed.atom(engine, incident))).bozo == 0


def test_a_title_with_control_characters_is_stored_clean(engine, team) -> None:
    incident = incidents.open_incident(engine, title=f"Brand{CONTROL}\ni Östmark", by="lars")
    assert incidents.get(engine, incident).incident.title == "Brand i Östmark"


def test_a_title_that_is_not_unicode_is_refused(engine, team) -> None:
    with pytest.raises(incidents.IncidentError, match="not valid text"):
        incidents.open_incident(engine, title="Brand \udcff i Östmark", by="lars")


def test_a_disk_error_on_the_public_files_is_a_warning_not_a_failed_publication(engine, team, public_dir) -> None:
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lars")
    public_dir.parent.mkdir(parents=True, exist_ok=True)
    public_dir.write_text("a file where the folder should be")  # the folder cannot be created: an OSError
    message_id = messages.draft(engine, incident, SV, by="anna")
    messages.submit(engine, message_id, by="anna")
    messages.approve(engine, message_id, by="lars")
    result = messages.publish(engine, message_id, by="anna")
    assert messages.get(engine, message_id).state == "published", "the publication is committed"
    (warning,) = result.warnings
    assert warning.startswith(f"message {message_id} is published, but the public feed files of incident {incident}")
    assert incidents.close_incident(engine, incident, by="lars")[0].startswith("incident")


def test_the_public_files_are_rewritten_on_the_next_publication_after_a_disk_error(engine, team, public_dir) -> None:
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lars")
    public_dir.parent.mkdir(parents=True, exist_ok=True)
    public_dir.write_text("x")
    first = publish(engine, incident, SV, "sv")
    public_dir.unlink()
    publish(engine, incident, EN, "en")
    atom = (public_dir / f"incident-{incident}" / "feed.atom").read_bytes()
    assert crisisfeed.entry_id(incident, first).encode() in atom


def test_the_public_files_go_to_an_ignored_runtime_folder_not_into_the_checkout(monkeypatch) -> None:
    """Issue 12 item 17: `demo` and `up` never write into data/, which holds tracked files."""
    import subprocess

    from core.config import PROJECT_ROOT

    monkeypatch.delenv("CRISISDESK_PUBLIC_DIR", raising=False)
    folder = crisisfeed.public_dir().resolve()
    assert PROJECT_ROOT / "data" not in folder.parents
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    inside = folder.relative_to(PROJECT_ROOT)
    tracked = subprocess.run(["git", "ls-files", str(inside.parts[0])], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    assert tracked == "", f"{inside.parts[0]}/ holds tracked files"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(inside / "incident-1" / "feed.atom")], cwd=PROJECT_ROOT)
    assert ignored.returncode == 0, f"{inside} is not ignored by git"
