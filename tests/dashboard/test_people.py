"""Users and alerts settings as a hostile or clumsy person would fill them in (AppTest): the refusal says
what was wrong with what was typed, whole."""

from __future__ import annotations

import pytest

from tests.dashboard import test_app as base
from tests.dashboard.test_app import signed_in

desk = base.desk  # the same desk as the other page tests


def test_a_user_name_with_two_dashes_is_refused_with_the_whole_reason(desk) -> None:
    app = signed_in("admin", "users")
    app.text_input(key="add-name").input("anna--b c")
    app.text_input(key="add-password").input("Correct7Horse!")
    next(b for b in app.button if b.label == "Add").click().run()
    assert not app.exception, app.exception
    shown = [e.value.replace("\\", "") for e in app.error]
    assert shown == ["user name 'anna--b c': 2-100 lower-case letters, digits, '.', '_', '@' or '-'"]


def test_an_e_mail_address_with_two_dashes_is_refused_with_the_whole_reason(desk) -> None:
    app = signed_in("lars", "alerts")
    app.text_input[0].input("lars--x")
    next(b for b in app.button if b.label == "Save").click().run()
    assert not app.exception, app.exception
    assert [e.value.replace("\\", "") for e in app.error] == ["'lars--x' is not an e-mail address"]


@pytest.mark.parametrize("action", ["Reset the password", "Set the role", "Disable"])
def test_a_user_disabled_by_another_admin_meanwhile_is_not_swapped_for_someone_else(engine, desk, action: str) -> None:
    # The chosen user left the list of active users, the list fell back to its first name, and the form
    # (role, password, disable) acted on that other person without a word.
    from playbooks.workflow import users
    from tests.helpers.team import PASSWORD

    users.add(engine, "zoe", "admin", password=PASSWORD, by="admin")  # not the last admin: nothing stops a change
    users.add(engine, "aaron", "analyst", password=PASSWORD, by="admin")  # first in the list
    app = signed_in("admin", "users")
    app.selectbox(key="edit-name").set_value("arvid").run()
    users.disable(engine, "arvid", by="zoe")  # on another admin's screen, while this page is open
    app.text_input(key="reset-password").input("Another9Horse")
    app.selectbox(key="edit-role").set_value("lead")
    app.checkbox(key="disable-sure-arvid").check()
    next(b for b in app.button if b.label == action).click().run()
    assert not app.exception, app.exception
    aaron = users.active(engine, "aaron")
    assert aaron is not None and aaron.role == "analyst", "nobody else was changed or disabled"
    assert users.authenticate(engine, "aaron", PASSWORD) is not None, "nobody else's password was reset"
    assert "arvid: no longer an active user (disabled or removed meanwhile); nothing was changed." in [
        w.value.replace("\\", "") for w in app.warning
    ]
    assert app.selectbox(key="edit-name").value == "aaron", "the page now shows whom its forms are for"
