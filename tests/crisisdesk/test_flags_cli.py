"""crisisdesk/flags_cli.py: `crisisdesk check` on the files people save."""

from __future__ import annotations

import json
from pathlib import Path

from crisisdesk.cli import main


def test_check_reads_a_file_that_starts_with_a_byte_order_mark(tmp_path: Path, capsys) -> None:
    # Notepad and Excel save UTF-8 with a BOM: the first line was "not JSON: Unexpected UTF-8 BOM" and lost.
    path = tmp_path / "posts.jsonl"
    lines = [{"id": "a", "text": "Jag hörde att skolan stänger!!! Sprid!"}, {"id": "b", "text": "Hej"}]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode("utf-8"))
    assert main(["check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b"]


def test_a_byte_order_mark_after_the_first_line_is_still_an_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b'{"text": "a"}\n\xef\xbb\xbf{"text": "b"}\n')
    assert main(["check", str(path)]) == 2
    assert f"{path}: line 2: not JSON" in capsys.readouterr().err


def test_an_endless_line_stops_with_one_error_instead_of_reading_for_ever(monkeypatch, capsys) -> None:
    import io
    import sys

    from crisisdesk import flags_cli

    class Zeroes(io.RawIOBase):  # what /dev/zero gives: bytes without end and no line break
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[override]
            buffer[:] = bytes(len(buffer))
            return len(buffer)

    monkeypatch.setattr(flags_cli, "_CHECK_SKIP_MAX", 8 * flags_cli._CHECK_LINE_MAX)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Zeroes())))
    assert main(["check", "-"]) == 2
    err = capsys.readouterr().err
    assert err == "crisisdesk: error: -: line 1 runs past 8 MiB without a line break: not JSON lines; stopped reading\n"


def test_a_long_line_is_skipped_and_the_next_one_scored(tmp_path: Path, capsys) -> None:
    from crisisdesk import flags_cli

    path = tmp_path / "posts.jsonl"
    path.write_bytes(b"x" * (3 * flags_cli._CHECK_LINE_MAX) + b'\n{"id": "after", "text": "Hej"}\n')
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "line 1: longer than" in err and json.loads(out)["id"] == "after"
