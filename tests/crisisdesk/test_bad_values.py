"""Issue 12, should-fix: commands × bad values. Each is one line on stderr and exit 2 (bad input) or 1
(a failure), never a traceback; a bad line of `check` never stops the lines after it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from crisisdesk.cli import main

BIG = "100000000000000000000"  # 10^20
BAD = "\udcff"  # a byte that is not UTF-8, as Python hands it over from the command line

ID_COMMANDS = [
    ["message", "show", BIG], ["message", "submit", BIG, "--by", "anna"], ["message", "approve", BIG, "--by", "lars"],
    ["message", "publish", BIG, "--by", "anna"], ["message", "reject", BIG, "--reason", "r", "--by", "lars"],
    ["message", "revise", BIG, "--text", "t", "--by", "anna"], ["message", "correct", BIG, "--text", "t", "--by", "anna"],
    ["message", "draft", "--incident", BIG, "--text", "hej", "--by", "anna"], ["message", "list", "--incident", BIG],
    ["message", "repeat", "--incident", BIG, "--by", "anna"], ["incident", "phase", BIG, "acute", "--by", "lars"],
    ["incident", "close", BIG, "--by", "lars"], ["flag", "assign", BIG, "--by", "anna"],
    ["flag", "resolve", "1", "--message", BIG, "--by", "anna"], ["flags", "--incident", BIG], ["flags", "--limit", BIG],
    ["due", "--incident", BIG], ["feed", BIG], ["export", BIG, "--format", "json", "--out", "x.json"],
    ["check", "--incident", BIG, "-"], ["message", "show", "-1"], ["message", "show", "0"],
]  # fmt: skip
TEXT_COMMANDS = [
    ["message", "draft", "--incident", "1", "--text", f"Brand{BAD}", "--by", "anna"],
    ["incident", "open", "--title", f"Brand{BAD}", "--by", "lars"],
    ["incident", "open", "--title", "Brand", "--by", f"lars{BAD}"],
    ["message", "reject", "1", "--reason", f"nej{BAD}", "--by", "lars"],
    ["message", "revise", "1", "--text", f"ny{BAD}", "--by", "anna"],
    ["flag", "dismiss", "1", "--reason", f"x{BAD}", "--by", "anna"],
    ["users", "add", f"bo{BAD}b", "--role", "analyst", "--by", "admin"],
    ["incident", "open", "--title", "Brand", "--keyword", f"rök{BAD}", "--by", "lars"],
]
DATE_COMMANDS = [["posts", "--since", "0001-01-01T00:00:00Z"], ["posts", "--since", "9999-12-31T23:59:59Z"]]
# int() reads these as 10, 1 and 1: a typo or a look-alike digit acted on a row the person never named.
LOOKALIKE_NUMBERS = [["message", "show", "1_0"], ["message", "show", "\uff11"], ["message", "approve", "\u0661", "--by", "lars"],
                     ["flags", "--limit", "1_000"], ["incident", "open", "--title", "B", "--cadence", "6_0", "--by", "lars"],
                     ["retention", "apply", "--months", "\u0663", "--dry-run"]]  # fmt: skip


@pytest.mark.parametrize("args", LOOKALIKE_NUMBERS, ids=lambda a: " ".join(a[:3]))
def test_a_number_is_ascii_digits(db: str, args: list[str], capsys) -> None:
    assert "is not a whole number" in _one_line(capsys, main([*args, "--db", db]), 2)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desk whose three users the commands themselves added, and the key that signed their records: made
    once for the module and copied for each test by `db` (the commands again for each of some fifty tests
    cost about a quarter of a second a test)."""
    folder = tmp_path_factory.mktemp("bad-values-desk")
    url = f"sqlite:///{folder / 'made.db'}"
    with pytest.MonkeyPatch.context() as env:  # what the autouse fixtures give each test: nothing of the checkout's
        env.setenv("CRISISDESK_AUDIT_KEY", str(folder / "audit-ed25519.pem"))
        env.setenv("CRISISDESK_PUBLIC_DIR", str(folder / "public"))
        env.setenv("CRISISDESK_ALERTS_CONFIG", str(folder / "alerts.yaml"))
        env.delenv("CRISISDESK_NOW", raising=False)
        for args in (["users", "add", "admin", "--role", "admin"], ["users", "add", "anna", "--role", "analyst", "--by", "admin"],
                     ["users", "add", "lars", "--role", "lead", "--by", "admin"]):  # fmt: skip
            assert main([*args, "--db", url]) == 0
    # One file with all that was committed, whether or not the commands' connections are closed yet.
    with closing(sqlite3.connect(folder / "made.db")) as made, closing(sqlite3.connect(folder / "desk.db")) as desk:
        made.backup(desk)
    return folder


@pytest.fixture
def db(desk: Path, tmp_path: Path, audit_key: Path, monkeypatch) -> str:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(desk / "desk.db", tmp_path / "desk.db")
    audit_key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(desk / "audit-ed25519.pem", audit_key)
    return f"sqlite:///{tmp_path / 'desk.db'}"


def _one_line(capsys, code: int, expected: int) -> str:
    err = capsys.readouterr().err
    assert code == expected, err
    assert "Traceback" not in err and len(err.splitlines()) == 1 and err.startswith("crisisdesk: error: "), err
    return err


@pytest.mark.parametrize("args", ID_COMMANDS + TEXT_COMMANDS + DATE_COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_bad_values_are_one_line_and_exit_2(db: str, args: list[str], capsys) -> None:
    _one_line(capsys, main([*args, "--db", db]), 2)


@pytest.mark.parametrize("clock", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
@pytest.mark.parametrize("args", [["due"], ["flags"], ["health"], ["incident", "list"]])
def test_a_pinned_clock_in_year_1_or_9999_is_one_line(db: str, args, clock, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", clock)
    _one_line(capsys, main([*args, "--db", db]), 2)


@pytest.mark.parametrize("args", [["up", "--port", "70000"], ["up", "--port", "0"], ["demo", "--port", "70000"],
                                  ["up", "--port", "http"]])  # fmt: skip
def test_a_port_outside_1_to_65535_is_refused_before_anything_starts(args, capsys) -> None:
    assert "--port" in _one_line(capsys, main(args), 2)


def test_db_urls_that_cannot_be_used(tmp_path: Path, capsys) -> None:
    plain = tmp_path / "plain"
    plain.write_text("x")
    for command in (["health"], ["init"], ["users", "list"], ["users", "add", "zed", "--role", "admin"]):
        assert "empty database URL" in _one_line(capsys, main([*command, "--db", ""]), 2)
    for command in (["init"], ["users", "add", "zed", "--role", "admin"]):  # the commands that make a database
        err = _one_line(capsys, main([*command, "--db", f"sqlite:///{plain}/x.db"]), 1)
        assert "cannot create the database's folder" in err
        _one_line(capsys, main([*command, "--db", "sqlite:////proc/crisisdesk/x.db"]), 1)  # a folder nobody can create


@pytest.mark.parametrize("command", [["health"], ["flags"], ["users", "list"], ["posts"], ["audit", "verify"],
                                     ["incident", "list"], ["export", "1", "--format", "json", "--out", "r.json"]])  # fmt: skip
def test_a_mistyped_database_path_is_refused_not_made_into_an_empty_desk(
    db: str, tmp_path: Path, command: list[str], capsys
) -> None:
    mistyped = tmp_path / "dsek.db"
    err = _one_line(capsys, main([*command, "--db", f"sqlite:///{mistyped}"]), 2)
    assert f"there is no database at {mistyped}" in err and "crisisdesk init" in err
    assert not mistyped.exists() and not list(tmp_path.glob("dsek.db*"))


def test_a_database_from_a_newer_schema_is_one_line(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert main(["init", "--db", url]) == 0
    with sqlite3.connect(tmp_path / "new.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    capsys.readouterr()
    for command in (["health"], ["init"], ["audit", "verify"]):
        assert "newer than this crisisdesk knows" in _one_line(capsys, main([*command, "--db", url]), 1)


def test_a_password_on_stdin_that_is_not_utf8(db: str, monkeypatch, capsys) -> None:
    import io
    import sys

    class Stdin(io.TextIOWrapper):
        pass

    monkeypatch.setattr(sys, "stdin", Stdin(io.BytesIO(b"Pass\xff2026abcdX\n"), encoding="utf-8"))
    err = _one_line(capsys, main(["users", "add", "zed", "--role", "analyst", "--password-stdin", "--by", "admin",
                                  "--db", db]), 2)  # fmt: skip
    assert "not valid UTF-8" in err


def test_check_on_files_it_cannot_read(tmp_path: Path, capsys) -> None:
    (tmp_path / "folder").mkdir()
    assert "No such file" in _one_line(capsys, main(["check", str(tmp_path / "missing.jsonl")]), 2)
    assert "directory" in _one_line(capsys, main(["check", str(tmp_path / "folder")]), 2)


GOOD = '{"id": "later", "text": "Jag hörde att röken är giftig!!! Sprid!", "lang": "sv"}\n'


@pytest.mark.parametrize(
    ("first", "why"),
    [("[" * 100_000 + "\n", "nested too deeply"), ('{"a":' * 50_000 + "\n", "nested too deeply"),
     ('{"id": NaN, "text": "x"}\n', "NaN"), ('{"id": Infinity, "text": "x"}\n', "Infinity"),
     ('{"id": -Infinity, "text": "x"}\n', "Infinity"), ('{"id": 1e999, "text": "x"}\n', "'id'"),
     ('{"id": {"a": 1}, "text": "x"}\n', "'id'"), ("[1, 2]\n", "not a JSON object"),
     ('{"id": "x", "text": "Brand i \xd6stmark"}\n'.encode("latin-1"), "not UTF-8")],
)  # fmt: skip
def test_a_bad_line_of_check_is_one_line_and_later_lines_are_still_scored(
    tmp_path: Path, first: str | bytes, why: str, capsys
) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes((first if isinstance(first, bytes) else first.encode()) + GOOD.encode())
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]  # strict JSON: no NaN anywhere
    assert out[-1]["id"] == "later" and out[-1]["is_rumour"] is True
    assert code == 2 and "Traceback" not in captured.err
    (line,) = captured.err.splitlines()
    assert line.startswith("crisisdesk: error:") and "line 1" in line and why in line, line
