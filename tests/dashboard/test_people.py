"""Users and alerts settings as a hostile or clumsy person would fill them in (AppTest): the refusal says
what was wrong with what was typed, whole."""

from __future__ import annotations

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
