"""`crisisdesk alerts …` (issue 14, items 6-9): settings, one pass, what was sent, acknowledging; a bad
configuration or argument is one clear line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.clock import parse_instant
from crisisdesk.cli import main
from tests.helpers.mailserver import PASSWORD, USER, MailServer
from tests.helpers.scenario import pin_clock
from tests.helpers.teamdb import team_database

T0 = parse_instant("2026-11-22T08:00:00+01:00")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.fixture
def db(tmp_path: Path, audit_key: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    pin_clock(monkeypatch, T0, 0)
    return ["--db", team_database(tmp_path / "db", audit_key, T0)]


def test_the_poller_sends_what_its_pass_raised(db, capsys, tmp_path, alerts_config, monkeypatch) -> None:
    mail = MailServer(tmp_path / "tls").start()
    try:
        monkeypatch.setenv("CRISISDESK_SMTP_PASSWORD", PASSWORD)
        alerts_config.write_text(
            f"smtp: {{host: 127.0.0.1, port: {mail.port}, username: {USER}, sender: desk@example.org, "
            f"ca_file: '{mail.cert}'}}\n", encoding="utf-8")  # fmt: skip
        assert run(capsys, "alerts", "contact", "lars", "--email", "lars@example.org", "--on-duty", "yes",
                   "--by", "lars", *db)[0] == 0  # fmt: skip
        assert run(capsys, "incident", "open", "--title", "Brand", "--cadence", "30", "--by", "lars", *db)[0] == 0
        pin_clock(monkeypatch, T0, 31)
        assert run(capsys, "poll", "--once", *db)[0] == 0
        assert [r for r, _ in mail.messages] == [["lars@example.org"]]
        assert run(capsys, "poll", "--once", *db)[0] == 0
        assert len(mail.messages) == 1
    finally:
        mail.stop()


def test_settings_a_pass_what_was_sent_and_acknowledging(db, capsys, tmp_path, alerts_config, monkeypatch) -> None:
    mail = MailServer(tmp_path / "tls").start()
    try:
        monkeypatch.setenv("CRISISDESK_SMTP_PASSWORD", PASSWORD)
        alerts_config.write_text(
            f"smtp: {{host: 127.0.0.1, port: {mail.port}, username: {USER}, sender: desk@example.org, "
            f"ca_file: '{mail.cert}'}}\ntiming: {{escalation_minutes: 5}}\n", encoding="utf-8")  # fmt: skip
        code, out, _ = run(capsys, "alerts", "check")
        assert code == 0 and f"e-mail: 127.0.0.1:{mail.port} (starttls)" in out
        assert run(capsys, "alerts", "contact", "lars", "--email", "lars@example.org", "--on-duty", "yes",
                   "--rank", "1", "--by", "lars", *db)[0] == 0  # fmt: skip
        assert run(capsys, "alerts", "contact", "lena", "--email", "lena@example.org", "--by", "admin", *db)[0] == 0
        assert run(capsys, "incident", "open", "--title", "Brand", "--cadence", "30", "--by", "lars", *db)[0] == 0
        pin_clock(monkeypatch, T0, 31)
        code, out, _ = run(capsys, "alerts", "send", *db)
        assert code == 0 and out.startswith("1 new alerts; 1 notifications sent")
        assert [r for r, _ in mail.messages] == [["lars@example.org"]]
        code, out, _ = run(capsys, "alerts", "sent", "--format", "json", *db)
        [row] = json.loads(out)
        assert (row["event"], row["recipients"], row["status"]) == ("update_overdue", ["lars"], "sent")
        code, out, _ = run(capsys, "alerts", "list", "--open", "--format", "json", *db)
        [alert] = json.loads(out)
        assert run(capsys, "alerts", "ack", str(alert["id"]), "--by", "lars", *db)[0] == 0
        pin_clock(monkeypatch, T0, 60)
        run(capsys, "alerts", "send", *db)
        assert len(mail.messages) == 1  # acknowledged: lena is not woken
    finally:
        mail.stop()


@pytest.mark.parametrize(
    ("config", "argv", "expected"),
    [
        ("smtp: {port: 25, sender: a@b.c}\n", ["alerts", "check"], "smtp: host is required"),
        ("smtp: {host: x, sender: a@b.c, password: hunter2}\n", ["alerts", "check"],
         "smtp: put the password in an environment variable or a file"),
        ("webhooks: {room: {url_env: NOT_SET_ANYWHERE}}\n", ["alerts", "check"],
         "webhook room: the environment variable NOT_SET_ANYWHERE is not set"),
        ("smtp: {host: mail.example.org, security: none, username: u, sender: a@b.c}\n", ["alerts", "check"],
         "a password is never sent unencrypted"),
        ("timing: {escalation_minutes: -1}\n", ["alerts", "check"], "timing.escalation_minutes: -1 is out of range"),
        ("smtp: [1, 2\n", ["alerts", "check"], "not valid YAML"),
        # A CA file that is missing or not PEM passed the check; every send then failed as "FileNotFoundError".
        ("smtp: {host: x, sender: a@b.c, ca_file: /nonexistent/ca.pem}\n", ["alerts", "check"],
         "smtp: cannot read ca_file /nonexistent/ca.pem: No such file or directory"),
        ("smtp: {host: x, sender: a@b.c, ca_file: /etc/passwd}\n", ["alerts", "check"],
         "smtp: ca_file /etc/passwd holds no PEM certificate"),
        ("", ["alerts", "subscribe", "anna", "flag", "sms", "--by", "anna"], "invalid choice: 'sms'"),
        ("", ["alerts", "ack", "77", "--by", "anna"], "no alert 77"),
        ("", ["alerts", "contact", "anna", "--webhook", "room", "--by", "anna"], "no webhook named 'room'"),
    ],
)  # fmt: skip
def test_bad_configuration_or_input_is_one_clear_line(db, capsys, alerts_config, config, argv, expected) -> None:
    alerts_config.write_text(config, encoding="utf-8")
    code, _, err = run(capsys, *argv, *(db if argv[1] != "check" else []))
    assert code == 2 and expected in err and len(err.splitlines()) == 1 and "Traceback" not in err
