"""Browser fixtures: Playwright driving Debian's Chromium (never Playwright's own download)."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ..factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def playwright_instance():
    assert shutil.which(CHROMIUM), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(locale="nl-BE") -> a phone-sized context on the live server. The default,
    English, is the language of the source strings the tests look for."""
    contexts = []

    def _new(locale: str = "en-BE", **options):
        context = browser.new_context(base_url=live_server.url, locale=locale,
                                      viewport={"width": 360, "height": 740},
                                      service_workers="allow", **options)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


def sign_in_page(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
