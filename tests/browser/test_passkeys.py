"""A coordinator enrols a passkey at the first sign-in and signs in with it the next time, in
Chromium with a virtual authenticator (DevTools protocol WebAuthn domain)."""

import pytest

from server import config

from ..factories import PASSWORD
from .conftest import screenshot, sign_in_page


@pytest.fixture
def required(app):
    before = app.config["SECOND_FACTOR_ROLES"]
    app.config["SECOND_FACTOR_ROLES"] = config.Defaults.SECOND_FACTOR_ROLES
    yield
    app.config["SECOND_FACTOR_ROLES"] = before


def _authenticator(context, page) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})


def test_a_passkey_is_the_second_factor(browser, live_server, world, required):
    # A passkey belongs to a domain name: the page is opened as localhost, not 127.0.0.1.
    context = browser.new_context(base_url=live_server.url.replace("127.0.0.1", "localhost"),
                                  locale="en-BE", viewport={"width": 360, "height": 740})
    page = context.new_page()
    _authenticator(context, page)
    sign_in_page(page, "coordinator@a.test")
    assert page.url.endswith("/account/two-factor/app")
    assert page.request.get("/api/v1/sync/pull").status == 403
    screenshot(page, "second-factor-enrol")
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url("**/account/two-factor/recovery-codes")
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept them — continue").click()
    page.wait_for_url(lambda url: "two-factor" not in url)
    assert page.request.get("/api/v1/sync/pull").status == 200

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login*")
    page.wait_for_load_state("networkidle")
    page.goto("/login")
    page.fill("#email", "coordinator@a.test")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login/second-factor" in url)
    assert page.request.get("/api/v1/sync/pull").status == 403
    screenshot(page, "second-factor-sign-in")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.request.get("/api/v1/sync/pull").status == 200
    context.close()
