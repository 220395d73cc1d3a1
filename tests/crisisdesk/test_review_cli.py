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
