"""The command line as a user drives it: exit codes, one-line errors, the output formats."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.db import make_engine
from crisisdesk import schema
from crisisdesk.cli import main
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def loaded(db_url: str, tmp_path: Path, feed_server: FeedServer, fixture_feed, capsys, monkeypatch) -> str:
    monkeypatch.setenv("CRISISDESK_NOW", "2026-11-22T08:00:00+01:00")
    feed_server.routes["/web"] = Static(fixture_feed("rss20_sv.xml"))
    feed_server.routes["/forum"] = Static(fixture_feed("no_guid_no_date.xml"))
    path = write_registry(
        tmp_path / "accounts.yaml",
        [account("web", feed_server.url("/web")), account("forum", feed_server.url("/forum"), "watch")],
    )
    assert run(capsys, "accounts", "import", str(path), "--db", db_url)[0] == 0
    assert run(capsys, "poll", "--once", "--db", db_url)[0] == 0
    return db_url


def test_init_creates_the_schema_and_is_repeatable(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'x.db'}"
    for _ in range(2):
        code, out, _ = run(capsys, "init", "--db", url)
        assert code == 0 and out.startswith(f"schema at revision {schema.head_revision(make_engine(url))} in ")


def test_import_reports_counts_and_r12_warnings(db_url: str, tmp_path: Path, capsys) -> None:
    path = write_registry(tmp_path / "a.yaml", [account("web", "https://w.example/rss", administrators=["solo@x"])])
    code, out, err = run(capsys, "accounts", "import", str(path), "--db", db_url)
    assert code == 0
    assert out.strip() == "imported 1 accounts of Torsby kommun: 1 created, 0 updated, 0 unchanged"
    assert "R12" in err
    code, out, _ = run(capsys, "accounts", "list", "--format", "json", "--db", db_url)
    (row,) = json.loads(out)
    assert row["id"] == "web" and row["warning"].startswith("account 'web': 1 administrator")


def test_a_malformed_registry_is_exit_2_with_one_line(db_url: str, tmp_path: Path, capsys) -> None:
    path = write_registry(tmp_path / "a.yaml", [account("web", "gopher://w.example/")])
    code, out, err = run(capsys, "accounts", "import", str(path), "--db", db_url)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "accounts[0] (id 'web'): field 'feed'" in err


def test_a_name_longer_than_the_database_holds_is_exit_2_with_one_line(db_url: str, tmp_path: Path, capsys) -> None:
    # The length was checked only by the import, after the file had passed: a traceback here.
    path = write_registry(tmp_path / "a.yaml", [account("web", "https://w.example/rss", name="N" * 301)])
    code, out, err = run(capsys, "accounts", "import", str(path), "--db", db_url)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and "accounts[0] (id 'web'): field 'name': at most 300 characters" in err


def test_poll_posts_and_health(loaded: str, capsys) -> None:
    code, out, _ = run(capsys, "posts", "--format", "json", "--db", loaded)
    rows = json.loads(out)
    assert code == 0 and len(rows) == 4
    assert {"account", "guid", "link", "title", "text", "language", "published"} <= set(rows[0])
    code, out, _ = run(
        capsys,
        "posts",
        "--account",
        "web",
        "--since",
        "2026-11-22T07:30:00+01:00",
        "--format",
        "json",
        "--db",
        loaded,
    )
    assert [r["guid"] for r in json.loads(out)] == ["torsby-2026-002"]
    code, out, _ = run(capsys, "health", "--format", "json", "--db", loaded)
    assert {h["account"]: h["status"] for h in json.loads(out)} == {"web": "ok", "forum": "ok"}
    code, out, _ = run(capsys, "posts", "--db", loaded)
    assert code == 0 and out.splitlines()[0].split()[:3] == ["account", "published", "language"]
    code, out, err = run(capsys, "posts", "--account", "webb", "--db", loaded)
    assert (code, out) == (2, "")
    assert err == "crisisdesk: error: --account 'webb': no such account (crisisdesk accounts list shows them)\n"


def test_csv_output_neutralises_formula_triggers(loaded: str, capsys) -> None:
    code, out, _ = run(capsys, "posts", "--format", "csv", "--db", loaded)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 4
    assert all(not row[c].startswith(("=", "+", "-", "@")) for row in rows for c in row)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["posts", "--since", "yesterday"], "--since 'yesterday' is not ISO 8601"),
        (["posts", "--since", "2026-11-22T08:00:00"], "has no UTC offset"),
        (["poll", "--interval", "-1"], "must be greater than 0"),
        (["posts", "--format", "xml"], "invalid choice: 'xml'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["accounts", "import", "/nonexistent/a.yaml"], "cannot read the file"),
        # It said "crisisdesk: error: unrecognized arguments", naming no command.
        (
            ["export", "1", "--format", "md", "--out", "x.md", "--by", "lars"],
            "export: unrecognized arguments: --by lars (see --help)",
        ),
        (["message", "approve", "1", "2"], "message approve: unrecognized arguments: 2 (see --help)"),
    ],
)
def test_bad_input_is_exit_2_with_one_clear_line(db_url: str, capsys, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv, *(["--db", db_url] if argv[0] != "frobnicate" else []))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_a_malformed_crisisdesk_now_is_bad_input(db_url: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", "soon")
    code, _, err = run(capsys, "health", "--db", db_url)
    assert code == 2 and "CRISISDESK_NOW 'soon' is not ISO 8601" in err


def test_an_unreachable_database_is_exit_1(capsys) -> None:
    code, _, err = run(capsys, "health", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert code == 1 and err.startswith("crisisdesk: error: cannot open the database")


@pytest.mark.parametrize("command", ["init", "health"])
def test_a_file_that_is_no_database_is_named(tmp_path: Path, capsys, command: str) -> None:
    # It said "database: (sqlite3.DatabaseError) file is not a database": not which file.
    path = tmp_path / "notes.db"
    path.write_text("meeting notes, not a database\n" * 100)
    code, _, err = run(capsys, command, "--db", f"sqlite:///{path}")
    assert (code, err) == (1, f"crisisdesk: error: cannot open the database sqlite:///{path}: file is not a database\n")
    assert path.read_text().startswith("meeting notes")


@pytest.mark.parametrize("address", ["999.999.1.1", "192.0.2.77", "a b", ""])
@pytest.mark.parametrize("command", ["up", "demo"])
def test_an_address_this_machine_cannot_listen_on_is_bad_usage(
    tmp_path: Path, capsys, command: str, address: str
) -> None:
    # The dashboard started, printed Streamlit's socket traceback and died (exit 1).
    code, out, err = run(capsys, command, "--address", address, "--db", f"sqlite:///{tmp_path / 'never.db'}")
    assert (code, out) == (2, "") and len(err.splitlines()) == 1, err
    assert f"argument --address: {address!r} is not an address of this machine (" in err
    assert not (tmp_path / "never.db").exists(), "refused before anything started"


@pytest.mark.parametrize("from_env", [False, True])
@pytest.mark.parametrize(
    ("url", "shown"),
    [("nosuchdb://desk:S3cr3t@db.example/x", "'nosuchdb://desk:***@db.example/x'"),
     ("postgresql://desk:p@ss@db.example:notaport/x", "'postgresql://desk:***@db.example:notaport/x'"),
     ("nosuchdb://desk:pa/ss?#@db.example/x", "'nosuchdb://desk:***@db.example/x'")],
)  # fmt: skip
def test_an_unusable_database_url_says_where_it_came_from_and_hides_its_password(
    capsys, monkeypatch, url: str, shown: str, from_env: bool
) -> None:
    # It said "--db None" when the URL came from the environment, and quoted the password.
    if from_env:
        monkeypatch.setenv("CRISISDESK_DATABASE_URL", url)
    code, _, err = run(capsys, "health", *([] if from_env else ["--db", url]))
    where = "$CRISISDESK_DATABASE_URL" if from_env else "--db"
    assert code == 2 and err.startswith(f"crisisdesk: error: {where} {shown}: not a usable database URL ("), err
    assert "S3cr3t" not in err and "p@ss" not in err and "pa/ss" not in err and len(err.splitlines()) == 1


def test_a_database_error_names_the_database(tmp_path: Path, capsys) -> None:
    # "database: (sqlite3.OperationalError) no such table: alerts" said not which of the databases it was.
    url = f"sqlite:///{tmp_path / 'half.db'}"
    assert run(capsys, "init", "--db", url)[0] == 0
    with sqlite3.connect(tmp_path / "half.db") as conn:
        conn.execute("DROP TABLE alerts")
    code, _, err = run(capsys, "alerts", "list", "--db", url)
    assert (code, err) == (1, f"crisisdesk: error: database {url}: (sqlite3.OperationalError) no such table: alerts\n")


def test_the_console_script_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crisisdesk", "init", "--db", f"sqlite:///{tmp_path / 'c.db'}"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
