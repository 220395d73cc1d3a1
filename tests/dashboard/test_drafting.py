"""Drafting as it goes in a crisis (AppTest): an incident closed by a lead while someone writes for it."""

from __future__ import annotations

import pytest

from playbooks.workflow import incidents, messages
from tests.dashboard import test_app as base
from tests.dashboard.test_app import APPROVED, signed_in

desk = base.desk  # the same desk as the other page tests


@pytest.mark.parametrize("others_open", [True, False])
def test_a_text_for_an_incident_closed_meanwhile_is_kept_and_said_so(engine, desk, others_open: bool) -> None:
    # The list of open incidents lost the one being written for: the page switched to another incident (or
    # to "No open incident.") and the text the person wrote vanished from the page without a word.
    if others_open:
        incidents.open_incident(engine, title="Vattenläcka", by="lars", keywords=["vatten"])
    app = signed_in("anna", "drafting")
    app.selectbox[0].set_value(desk["incident"]).run()
    text = APPROVED.replace("09.00", "10.00") + " <b>**Ring 113 13**</b>"
    app.text_area(key=f"draft-{desk['incident']}-sv").input(text).run()
    incidents.close_incident(engine, desk["incident"], by="lars")
    app.button(key="draft-submit").click().run()
    assert not app.exception, app.exception
    assert [m.state for m in messages.list_messages(engine, desk["incident"])] == ["published"], "nothing submitted"
    warned = [w.value.replace("\\", "") for w in app.warning]
    assert (
        f"#{desk['incident']} Brand i Östmark: this incident was closed meanwhile; your text was not submitted. Here it is, to keep:"
        in warned
    )
    assert [c.value for c in app.code] == [text], "the text, as text"
    app.run()
    assert [c.value for c in app.code] == [text], "kept until dismissed"
    next(b for b in app.button if b.label == "Dismiss this message").click().run()
    assert not app.exception and [c.value for c in app.code] == []


def test_the_message_box_stops_at_the_length_the_service_accepts(desk) -> None:
    # Without a limit in the browser a megabyte paste ran the as-you-type checks on every keystroke (2.5 s
    # each) and was refused only at submit.
    app = signed_in("anna", "drafting")
    app.selectbox[0].set_value(desk["incident"]).run()
    box = app.text_area(key=f"draft-{desk['incident']}-sv")
    assert box.proto.max_chars == messages.MAX_TEXT
