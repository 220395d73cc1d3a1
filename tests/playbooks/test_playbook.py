"""Playbook files: the shipped ones load; a broken one is refused naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from playbooks import playbook

SHIPPED = ["default", "drinking-water", "fire-smoke", "power-outage"]


def test_the_shipped_playbooks_load() -> None:
    assert sorted(playbook.available()) == SHIPPED
    for name in SHIPPED:
        book = playbook.get(name)
        assert book.website_grace_minutes >= 1
        assert set(book.cadence_minutes) == {"acute", "recovery"}
        assert set(book.templates) >= set(book.languages)
        assert book.channels["sms"] == 160 and book.channels["website"] is None


def write(tmp_path: Path, **changes: object) -> Path:
    document = yaml.safe_load((playbook.PLAYBOOK_DIR / "default.yaml").read_text(encoding="utf-8"))
    document.update(changes)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cadence_minutes": {"acute": 60}}, "field 'cadence_minutes'"),
        ({"cadence_minutes": {"acute": 2, "recovery": 60}}, "field 'cadence_minutes.acute': whole minutes from 5"),
        ({"website_grace_minutes": "soon"}, "field 'website_grace_minutes'"),
        ({"channels": {"x": {"max_chars": 5}}}, "field 'channels.x.max_chars'"),
        ({"languages": ["sv", "swedish"]}, "field 'languages'"),
        ({"languages": ["sv", "it"]}, "field 'templates': no template for the playbook's language(s) it"),
        ({"must_have": ["what", "why"]}, "field 'must_have'"),
        ({"cadense_minutes": 5}, "field 'cadense_minutes': unknown field"),
    ],
)
def test_a_broken_playbook_names_file_and_field(tmp_path: Path, changes: dict, message: str) -> None:
    path = write(tmp_path, **changes)
    with pytest.raises(playbook.PlaybookError) as caught:
        playbook.load(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_an_unknown_playbook_lists_the_available_ones() -> None:
    with pytest.raises(playbook.PlaybookError, match="available: default, drinking-water"):
        playbook.get("flood")
