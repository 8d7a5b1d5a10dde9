"""Headers, CSRF on every unsafe request, no inline script or style anywhere."""

import re

import pytest

from .conftest import csrf_token

pytestmark = pytest.mark.fresh_sign_in  # about signing in: every client signs in afresh

PAGES = ["/", "/people/", "/people/new", "/contacts/new", "/contacts/follow-ups", "/referrals/",
         "/referrals/new", "/services/", "/more", "/conflicts", "/attention", "/manage/users",
         "/manage/teams"]


def test_csp_is_strict(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_style_or_handlers(world, login, path):
    html = login("coordinator@a.test").get(path).get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts
    assert all("src=" in attrs for attrs in scripts)
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"hx-on", html)


def test_session_cookie_flags(world, client):
    token = csrf_token(client)
    response = client.post("/login", data={"email": "worker@a.test",
                                           "password": "correct horse battery",
                                           "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_htmx_requests_need_the_csrf_header(world, login):
    client = login("worker@a.test")
    path = f"/contacts/{world.records['contact']}/follow-up-done"
    without = client.post(path, headers={"HX-Request": "true"})
    assert without.status_code == 400
    with_header = client.post(path, headers={"HX-Request": "true", "X-CSRFToken": client.csrf})
    assert with_header.status_code == 303


def test_no_personal_data_in_urls(world, login):
    """Links carry record ids, never names or phone numbers."""
    from urllib.parse import unquote_plus

    html = login("worker@a.test").get("/people/").get_data(as_text=True)
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert any(world.records["person"] in href for href in hrefs)  # Amina's page is linked
    for href in map(unquote_plus, hrefs):
        assert "Amina" not in href
        # Her phone number (+32 470 00), in any spelling; never digits inside an id.
        assert not re.search(r"(?<![0-9a-f-])(?:\+?32)?\s*0?470\s*00", href), href
