"""`crisisdesk partners` (issue 14): the warnings in force, what changed since, and the tests apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisisdesk.cli import main
from tests.helpers.feedserver import FeedServer, Static
from tests.helpers.registry import account, write_registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "partners"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_partners_lists_what_is_in_force_and_what_changed(
    db_url: str, tmp_path: Path, feed_server: FeedServer, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISDESK_NOW", "2026-04-20T10:00:00+02:00")
    feed_server.routes["/meteoalarm.json"] = Static((FIXTURES / "meteoalarm_api_v1_feeds-germany.json").read_bytes(),
                                                    content_type="application/json")  # fmt: skip
    path = write_registry(tmp_path / "a.yaml", [
        account("meteoalarm", feed_server.url("/meteoalarm.json"), "partner", platform="meteoalarm", area=["DE343"]),
    ])  # fmt: skip
    assert run(capsys, "accounts", "import", str(path), "--db", db_url)[0] == 0
    assert run(capsys, "poll", "--once", "--db", db_url)[0] == 0

    code, out, _ = run(capsys, "partners", "--db", db_url, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["category"] for r in rows} == {"actual"}
    assert all(any(["EMMA_ID", "DE343"] in a["geocodes"] for a in r["areas"]) for r in rows)
    code, out, _ = run(capsys, "partners", "--db", db_url, "--format", "json", "--tests")
    assert "TEST-IDENTIFIER-XYZ" in {r["identifier"] for r in json.loads(out)}
    code, out, _ = run(capsys, "partners", "--db", db_url, "--since", "2026-04-20T09:00:00+02:00", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("change,active,identifier")
    assert run(capsys, "partners", "--db", db_url, "--since", "yesterday") == (
        2, "", "crisisdesk: error: --since 'yesterday' is not ISO 8601 (e.g. 2026-11-22T08:00:00+01:00)\n")  # fmt: skip
