"""Administration as a hostile or clumsy administrator would use it (AppTest): a registry file that YAML
cannot read or the database cannot hold is refused with what is wrong and where, never a traceback."""

from __future__ import annotations

import pytest

from tests.dashboard import test_app as base
from tests.dashboard.test_app import signed_in

desk = base.desk  # the same desk as the other page tests


def _errors(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(e.value for e in app.error).replace("\\", "")


@pytest.mark.parametrize(("data", "where"), [
    (b"organisation: Torsby\naccounts: []\x00\n", "line 2, column 13"),
    (b"organisation: Torsby \x07kommun\naccounts: []\n", "line 1, column 22"),
    (b"\x1b[2Jorganisation: x\n", "line 1, column 1"),
])  # fmt: skip
def test_a_registry_file_with_a_control_character_says_where(desk, data: bytes, where: str) -> None:
    # PyYAML refuses these characters before it parses anything, with an error the page did not catch.
    app = signed_in("admin", "administration")
    app.file_uploader(key="registry-upload").set_value(("reg.yaml", data, "application/yaml")).run()
    assert not app.exception, app.exception
    assert f"{where}: a character YAML does not allow" in _errors(app)
    assert "Nothing was imported" in _errors(app)
    assert "registry-import" not in [b.key for b in app.button]
