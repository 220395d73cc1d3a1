"""crisisdesk/review_cli.py: `archive verify` on what is not a zip file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crisisdesk.cli import main


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("target", "what"), [("/dev/null", "a device"), ("dir", "a directory"), ("fifo", "a named pipe")]
)
def test_archive_verify_refuses_what_is_not_a_file_in_one_line(tmp_path: Path, target: str, what: str, capsys) -> None:
    # A pipe hung the command and /dev/zero ate the memory (zipfile reads to the end); a folder was a
    # failure (exit 1) with the path twice, not bad input.
    path = tmp_path / target
    if target == "dir":
        path.mkdir()
    elif target == "fifo":
        os.mkfifo(path)
    else:
        path = Path(target)
    assert main(["archive", "verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"crisisdesk: error: {path}: {what}, not a zip file\n"


def test_audit_verify_without_the_key_says_not_checked_rather_than_broken(
    db_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    # It printed "audit chain broken at the checkpoints cannot be checked: …" and "BROKEN" for a whole chain.
    assert main(["users", "add", "admin", "--role", "admin", "--db", db_url]) == 0
    monkeypatch.setenv("CRISISDESK_AUDIT_KEY", str(tmp_path / "elsewhere.pem"))
    capsys.readouterr()
    assert main(["audit", "verify", "--db", db_url]) == 1
    err = capsys.readouterr().err.splitlines()
    missing = f"no signing key at {tmp_path / 'elsewhere.pem'} (set CRISISDESK_AUDIT_KEY to the desk's key)"
    assert err[0] == f"audit chain: the checkpoints cannot be checked: {missing}"
    assert err[1].startswith("audit chain NOT CHECKED against its signed checkpoints: its 1 records link up")
    assert len(err) == 2 and not (tmp_path / "elsewhere.pem").exists()
