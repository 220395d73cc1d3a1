"""My flags' post search as a hostile or clumsy person would use it (AppTest): one clear answer, no traceback."""

from __future__ import annotations

import pytest

from playbooks.workflow import desk as queries
from tests.dashboard import test_app as base
from tests.dashboard.test_app import signed_in

desk = base.desk  # the same desk as the other page tests


@pytest.mark.parametrize("field", ["find-words", "find-account"])
def test_a_search_with_a_nul_is_a_search_not_a_traceback(desk, field: str) -> None:
    # PostgreSQL refuses a NUL in a text parameter: the LIKE pattern raised on the page.
    app = signed_in("anna", "flags")
    app.text_input(key=field).input("for\x00um" if field == "find-account" else "hör\x00de").run()
    assert not app.exception, app.exception
    assert any("posts, newest first" in c.value for c in app.caption), "the NUL is ignored: it cannot be in a post"
    app.text_input(key=field).input("\x00").run()
    assert not app.exception, app.exception


def test_the_service_searches_past_a_nul(engine, desk) -> None:
    assert queries.search_posts(engine, text="hör\x00de") == queries.search_posts(engine, text="hörde") != []
    assert queries.search_posts(engine, account="\x00") == queries.search_posts(engine)
