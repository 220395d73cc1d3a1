"""The workflow through the command line, as a unit would drive it in an exercise."""

from __future__ import annotations

import io
import json

import pytest

from crisisdesk.cli import main


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_a_message_from_draft_to_the_official_feed(db_url: str, capsys, monkeypatch) -> None:
    db = ["--db", db_url]
    assert (
        run(
            capsys,
            "users",
            "add",
            "admin",
            "--role",
            "admin",
            "--password-stdin",
            *db,
            stdin="Torsby2026kommun\n",
            monkeypatch=monkeypatch,
        )[0]
        == 0
    )
    for name, role in (("anna", "analyst"), ("lars", "lead"), ("lena", "lead")):
        assert run(capsys, "users", "add", name, "--role", role, "--by", "admin", *db)[0] == 0
    code, incident, _ = run(capsys, "incident", "open", "--title", "Brand i Östmark", "--playbook", "fire-smoke",
                            "--keyword", "brand", "--by", "lars", *db)  # fmt: skip
    assert code == 0 and incident.isdigit()
    code, message, _ = run(capsys, "message", "draft", "--incident", incident, "--by", "anna", "--text",
                           "Brand i Östmark, troligen giftig rök. Håll fönster stängda.", *db)  # fmt: skip
    assert code == 0 and message.isdigit()
    code, _, err = run(capsys, "message", "submit", message, "--by", "anna", *db)
    assert code == 0 and "warning: R10: speculation or hedging (troligen)" in err
    code, _, err = run(capsys, "message", "approve", message, "--by", "anna", *db)
    assert code == 1 and "'anna' is analyst; message.approve needs lead" in err
    assert run(capsys, "message", "approve", message, "--by", "lars", *db)[0] == 0
    assert run(capsys, "message", "publish", message, "--by", "anna", *db)[0] == 0
    code, out, _ = run(capsys, "feed", incident, "--format", "atom", *db)
    assert code == 0 and "Brand i Östmark, troligen giftig rök" in out
    code, out, _ = run(capsys, "message", "list", "--incident", incident, "--format", "json", *db)
    (row,) = json.loads(out)
    assert (row["state"], row["author"]) == ("published", "anna")
    code, out, _ = run(capsys, "message", "show", message, "--format", "json", *db)
    assert json.loads(out)["approved_by"] == "lars" and json.loads(out)["checks"]["hedges"] == ["troligen"]
    code, out, _ = run(capsys, "due", "--format", "json", *db)
    assert json.loads(out)[0]["status"] in {"ok", "due", "overdue"}
    code, out, _ = run(capsys, "audit", "verify", *db)
    assert code == 0 and out.startswith("audit chain ok: 9 records, head ")


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["incident", "open", "--title", "x"], 2, "who is acting? give --by USER"),
        (["incident", "open", "--title", "x", "--by", "ghost"], 1, "no user 'ghost'"),
        (["incident", "open", "--title", "x", "--playbook", "flood", "--by", "admin"], 2, "no playbook 'flood'"),
        (["message", "approve", "999", "--by", "admin"], 1, "message.approve needs lead"),
        (["users", "add", "Bad Name", "--role", "analyst", "--by", "admin"], 2, "user name 'Bad Name'"),
        (["users", "add", "x", "--role", "boss"], 2, "invalid choice: 'boss'"),
        # A mistyped incident printed an empty table, exit 0: as if the incident had no messages or flags.
        (["message", "list", "--incident", "99"], 2, "no incident 99"),
        (["flags", "--incident", "99"], 2, "no incident 99"),
        (["flags", "--incident", "99", "--format", "json"], 2, "no incident 99"),
    ],
)
def test_refusals_are_one_line_with_the_right_exit_code(
    db_url: str, capsys, argv: list[str], code: int, message: str
) -> None:
    main(["users", "add", "admin", "--role", "admin", "--db", db_url])
    capsys.readouterr()
    got, out, err = run(capsys, *argv, "--db", db_url)
    assert got == code and out == "" and message in err and err.count("\n") == 0


def test_issue_12_refusals_and_warnings_from_the_command_line(db_url: str, capsys, public_dir) -> None:
    db = ["--db", db_url]
    code, _, err = run(capsys, "users", "add", "anna", "--role", "analyst", *db)
    assert code == 2 and "the first user must be an admin" in err
    main(["users", "add", "admin", "--role", "admin", *db])
    for name, role in (("anna", "analyst"), ("lars", "lead")):
        main(["users", "add", name, "--role", role, "--by", "admin", *db])
    code, _, err = run(capsys, "users", "disable", "admin", "--by", "admin", *db)
    assert code == 2 and "'admin' is the last active admin" in err
    code, _, err = run(capsys, "incident", "open", "--title", "B" * 201, "--by", "lars", *db)
    assert code == 2 and "at most 200 characters" in err and err.count("\n") == 0
    incident = run(capsys, "incident", "open", "--title", "Brand", "--by", "lars", *db)[1]
    text = "Brand i Östmark. Håll fönster stängda."
    code, out, err = run(capsys, "message", "draft", "--incident", incident, "--text", text, "--lang", "xx",
                         "--by", "anna", *db)  # fmt: skip
    assert (code, out) == (2, "") and "language 'xx' is not one of sv, fi, de, nl, en" in err
    code, _, err = run(capsys, "message", "draft", "--incident", incident, "--text", "\u00ad", "--by", "anna", *db)
    assert code == 1 and "a message needs visible text" in err
    older = run(capsys, "message", "draft", "--incident", incident, "--text", text, "--by", "anna", *db)[1]
    newer = run(capsys, "message", "revise", older, "--text", text + " Nästa kl. 10.", "--by", "anna", *db)[1]
    for message in (older, newer):
        main(["message", "submit", message, "--by", "anna", *db])
    main(["message", "approve", newer, "--by", "lars", *db])
    code, _, err = run(capsys, "message", "approve", older, "--by", "lars", *db)
    assert code == 1 and f"its newer version {newer} is approved" in err
    public_dir.parent.mkdir(parents=True, exist_ok=True)
    public_dir.write_text("not a folder")
    code, out, err = run(capsys, "message", "publish", newer, "--by", "anna", *db)
    assert code == 0 and out == f"message {newer} published"
    assert err.startswith(f"warning: message {newer} is published, but the public feed files of incident {incident}")
    code, _, err = run(capsys, "incident", "close", incident, "--by", "lars", *db)
    assert code == 0 and err.startswith(f"warning: incident {incident} is closed, but the public feed files")
    code, _, err = run(capsys, "message", "show", older, "--format", "json", *db)
    assert json.loads(_)["state"] == "withdrawn", "the older version can never go live now"


def test_the_feed_of_an_unknown_incident_or_an_empty_cap_is_one_line(db_url: str, capsys) -> None:
    db = ["--db", db_url]
    main(["users", "add", "admin", "--role", "admin", *db])
    main(["users", "add", "lars", "--role", "lead", "--by", "admin", *db])
    capsys.readouterr()
    code, out, err = run(capsys, "feed", "99", *db)
    assert (code, out) == (2, "") and err == "crisisdesk: error: no incident 99"
    incident = run(capsys, "incident", "open", "--title", "Brand", "--by", "lars", *db)[1]
    code, out, err = run(capsys, "feed", incident, "--format", "cap", *db)
    assert (code, out) == (1, "") and "has published nothing yet" in err and err.count("\n") == 0
    code, out, _ = run(capsys, "feed", incident, *db)
    assert code == 0 and out.startswith('<?xml version="1.0" encoding="utf-8"?>')
