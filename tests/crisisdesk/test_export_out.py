"""Issue 12, item 6: `export --out` writes atomically, and only over a regular file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crisisdesk.cli import main
from playbooks.workflow import incidents


@pytest.fixture
def incident(engine, team) -> str:
    return str(incidents.open_incident(engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke"))


def _export(db_url: str, incident: str, out: str, fmt: str = "json") -> int:
    return main(["export", incident, "--format", fmt, "--out", out, "--db", db_url])


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".part", ".tmp")))


def test_a_regular_file_is_replaced_atomically(db_url: str, incident: str, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    out.write_text("old")
    assert _export(db_url, incident, str(out)) == 0
    assert out.read_text().startswith("{") and _leftovers(tmp_path) == []
    assert out.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("kind", ["symlink", "symlink-to-missing", "directory", "fifo", "device"])
@pytest.mark.parametrize("fmt", ["json", "md", "zip", "csv"])
def test_anything_but_a_regular_file_is_one_clear_error(
    db_url: str, incident: str, tmp_path: Path, kind: str, fmt: str, capsys
) -> None:
    target = tmp_path / "target.json"
    target.write_text("precious")
    out = tmp_path / ("out.zip" if fmt == "zip" else "out")
    if kind == "symlink":
        out.symlink_to(target)
    elif kind == "symlink-to-missing":
        out.symlink_to(tmp_path / "nowhere")
    elif kind == "directory":
        out.mkdir()
        if fmt == "csv":  # a folder is what a CSV export wants: use a folder holding a link instead
            (out / "flags.csv").symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(out)
    else:
        out = Path("/dev/null")
    code = _export(db_url, incident, str(out), fmt)
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert any(w in err for w in ("symbolic link", "directory", "named pipe", "device")), err
    assert target.read_text() == "precious"
    assert _leftovers(tmp_path) == [] and (kind != "directory" or _leftovers(out) == [])
    if kind.startswith("symlink"):
        assert out.is_symlink()


@pytest.mark.parametrize("out", ["", "   ", "-"])
def test_an_empty_out_or_standard_output_is_refused(db_url: str, incident: str, out: str, capsys, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert _export(db_url, incident, out) == 2
    err = capsys.readouterr().err
    assert "--out" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "-").exists(), "no file named '-'"


def test_an_unwritable_out_is_one_line_and_leaves_nothing(db_url: str, incident: str, tmp_path: Path, capsys) -> None:
    plain = tmp_path / "plain"
    plain.write_text("x")
    assert _export(db_url, incident, str(plain / "r.json")) == 1
    err = capsys.readouterr().err
    assert err.startswith("crisisdesk: error: --out") and len(err.splitlines()) == 1
    assert _leftovers(tmp_path) == []


def test_a_csv_export_onto_a_regular_file_says_so_and_keeps_it(
    db_url: str, incident: str, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "review.md"
    out.write_text("precious")
    assert _export(db_url, incident, str(out), "csv") == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    # It once said "not a regular file, not a folder" of a regular file.
    assert f"--out {out}: a regular file, not a folder (CSV writes a folder of tables, or a zip" in err
    assert out.read_text() == "precious"
