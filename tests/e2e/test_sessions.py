"""Issue 13 item 3 in Chromium: a reload keeps the person signed in (a signed, expiring cookie), signing
out ends it for good, and a bookmarked page opens after sign-in."""

from __future__ import annotations

from crisisdesk.demo import DEMO_PASSWORD
from tests.e2e import test_desk as base
from tests.e2e.test_desk import sign_in

demo, browser = base.demo, base.browser  # the same fixtures (a demo of this module's own)


def test_a_reload_keeps_the_session_and_signing_out_ends_it(browser, demo) -> None:
    page, dialogs = sign_in(browser, demo, "anna")
    page.wait_for_function("document.cookie.includes('crisisdesk_session=')", timeout=15_000)
    page.reload()
    page.get_by_role("heading", name="Live monitor").wait_for(timeout=30_000)
    assert page.get_by_role("textbox", name="User name").count() == 0
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("textbox", name="User name").wait_for(timeout=30_000)
    page.wait_for_function("!document.cookie.includes('crisisdesk_session=')", timeout=15_000)
    page.reload()
    page.get_by_role("textbox", name="User name").wait_for(timeout=30_000)
    assert dialogs == []
    page.close()


def test_a_bookmarked_page_opens_after_sign_in(browser, demo) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{demo['url']}/approvals")
    page.get_by_role("textbox", name="User name").fill("lena")
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Approvals").wait_for(timeout=30_000)
    assert "Page not found" not in page.content()
    page.goto(f"{demo['url']}/sources")  # a bookmark opened while signed in: the cookie signs in
    page.get_by_role("heading", name="Sources").wait_for(timeout=30_000)
    page.close()
