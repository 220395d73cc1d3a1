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
