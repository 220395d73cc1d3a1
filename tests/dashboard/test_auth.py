"""Signing in as a hostile or clumsy person would (AppTest): whatever is typed, one clear line, no traceback."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from playbooks.workflow import users
from tests.dashboard import test_app as base
from tests.dashboard.test_app import APP
from tests.helpers.team import PASSWORD

desk = base.desk  # the same desk as the other page tests


@pytest.mark.parametrize("name", ["an\x00na", "\x00", "anna\x00"])
def test_a_user_name_with_a_nul_is_a_wrong_sign_in_not_a_traceback(desk, name: str) -> None:
    # PostgreSQL refuses a NUL in any text parameter: looking the name up raised on the sign-in page.
    app = AppTest.from_file(APP, default_timeout=30).run()
    app.text_input[0].input(name)
    app.text_input[1].input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception, app.exception
    assert [e.value for e in app.error] == ["Wrong user name or password."]
    assert "crisisdesk_user" not in app.session_state


def test_the_service_finds_no_user_with_a_nul_in_the_name(engine, team) -> None:
    assert users.authenticate(engine, "an\x00na", PASSWORD) is None
    assert users.active(engine, "an\x00na") is None
