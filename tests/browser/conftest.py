"""Browser fixtures and helpers: Playwright driving Debian's Chromium (never Playwright's own
download), phone-sized contexts, a server that can go away, and the steps many phone tests
share (signed in and synced, a contact logged without signal)."""

import shutil
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from server.contacts.models import Contact
from server.core import clock
from server.extensions import db

from ..conftest import ANSWERING, POLL_S
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


def phone_context(browser, base_url: str, locale: str = "en-BE", **options):
    """A phone-sized context. English, the default, is the language of the source strings the
    tests look for. On a test that travelled (the `travel` fixture) its pages' clock reads the
    server's."""
    options = {"viewport": {"width": 360, "height": 740}, "service_workers": "allow", **options}
    context = browser.new_context(base_url=base_url, locale=locale, **options)
    if abs(clock.now() - datetime.now(UTC)) > timedelta(seconds=1):
        context.clock.install(time=clock.now())
    return context


@pytest.fixture
def new_context(browser, live_server):
    """new_context(locale="nl-BE") -> a phone-sized context on the live server."""
    contexts = []

    def _new(locale: str = "en-BE", **options):
        context = phone_context(browser, live_server.url, locale, **options)
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


# What does not fit the window (as text, one line each): the page wider than the window, a
# table that scrolls on a wide screen, a form control drawn in its own background's colour.
MISFITS = """() => {
  const wide = window.innerWidth > 360;
  const found = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) found.push(`page ${width} px wide`);
  if (wide) for (const box of document.querySelectorAll(".table-scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) found.push(`table scrolls (${box.scrollWidth} px)`);
  }
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const light = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ground = (el) => { for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0) return c; }
    return [255, 255, 255]; };
  for (const el of document.querySelectorAll("select, input:not([type=hidden]), textarea, button")) {
    if (!el.checkVisibility()) continue;
    const [a, b] = [light(rgb(getComputedStyle(el).color)), light(ground(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 3) found.push(`${el.tagName.toLowerCase()}#${el.id} contrast ${ratio.toFixed(1)}`);
  }
  return found;
}"""


def misfits(page) -> list[str]:
    return page.evaluate(MISFITS)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


NOTE = "Samen naar het onthaalbureau: afspraak voor inburgering gemaakt."


def ready(page) -> None:
    """The worker controls the page and a first sync has put the working set on the phone."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    page.wait_for_function("() => document.documentElement.dataset.syncState === 'synced'", timeout=60_000)


def synced(page) -> None:
    page.evaluate("delete document.documentElement.dataset.syncState")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    ready(page)


def signed_in(field, demo, email: str = "volunteer@example.org"):
    page = field.phone().new_page()
    sign_in_page(page, email, demo["password"])
    ready(page)
    return page


def log_contact_offline(page, note: str = NOTE) -> None:
    if "/contacts/new" not in page.url:
        page.goto("/contacts/new")
    page.get_by_label("Street").check()
    page.get_by_label("Amina El Idrissi").check()
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")


def more_details(page) -> None:
    """Opens the form's "More details" (place, duration, ...) unless it is open already."""
    if not page.locator("details.more-fields").evaluate("d => d.open"):
        page.get_by_text("More details").click()


def contacts_with(app, note: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact).where(Contact.note == note))


class _OneRequestPerConnection(WSGIRequestHandler):
    protocol_version = "HTTP/1.0"  # no kept-alive connection outlives an outage


class SwitchableServer:
    """The app on a fixed port that can go down and come back, as the network does for a
    phone in a basement: every request, the service worker's included, then fails."""

    def __init__(self, app) -> None:
        self.app = app
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.up()

    def up(self) -> None:
        if self.server is None:
            self.server = make_server("127.0.0.1", self.port, ANSWERING.wrap(self.app), threaded=True,
                                      request_handler=_OneRequestPerConnection)
            threading.Thread(target=self.server.serve_forever, args=(POLL_S,), daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def field(app, browser):
    """A switchable server and phone-sized contexts on it: field.phone(), field.offline(ctx)."""
    server = SwitchableServer(app)
    contexts = []
    script_errors = []

    class Field:
        url = server.url

        @staticmethod
        def phone(locale: str = "en-BE", **options):
            context = phone_context(browser, server.url, locale, **options)
            context.on("weberror", lambda error: script_errors.append(str(error.error)))
            contexts.append(context)
            return context

        @staticmethod
        def offline() -> None:
            for context in contexts:
                context.set_offline(True)
            server.down()

        @staticmethod
        def online() -> None:
            server.up()
            for context in contexts:
                context.set_offline(False)

    yield Field
    for context in contexts:
        context.close()
    server.down()
    assert not script_errors, f"uncaught errors in the page scripts: {script_errors}"


def pytest_collection_modifyitems(items):
    """A browser that closes a context mid-download leaves werkzeug's test server holding a
    static file until the collector runs: a warning about the test server, not the app."""
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:unclosed file:ResourceWarning",
                "ignore:Exception ignored in:pytest.PytestUnraisableExceptionWarning"))
