"""The service worker tells the truth: a Background Sync round that did not complete rejects
the sync event, so the browser itself tries again and the outbox reaches the server once it is
back, with no page left open to send it; a failed round is said, on the page and in the
console; kept pages are revalidated, not downloaded again.

Chromium waits five minutes before retrying a sync; its BackgroundSync field trial shortens
that to two seconds here. Its DevTools log of background services shows each attempt and why
it failed."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import ARGS, CHROMIUM, NOTE, contacts_with, log_contact_offline, ready, signed_in, synced

pytestmark = pytest.mark.browser

QUICK_RETRIES = ["--force-fieldtrials=BackgroundSync/Quick",
                 "--force-fieldtrial-params=BackgroundSync.Quick:initial_retry_delay_sec/2"
                 "/max_sync_attempts/5"]


@pytest.fixture(scope="module")
def browser(playwright_instance):
    """This module's Chromium retries a failed sync after seconds, not minutes."""
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM,
                                                  args=ARGS + QUICK_RETRIES)
    yield browser
    browser.close()


def _background_sync_log(page) -> list[dict]:
    """Chromium's own record of every sync event it dispatches and how each one ended."""
    events = []
    cdp = page.context.new_cdp_session(page)
    cdp.on("BackgroundService.backgroundServiceEventReceived",
           lambda event: events.append(event["backgroundServiceEvent"]))
    cdp.send("BackgroundService.startObserving", {"service": "backgroundSync"})
    cdp.send("BackgroundService.setRecording", {"shouldRecord": True, "service": "backgroundSync"})
    return events


def _named(events, name: str) -> list[dict]:
    return [e for e in events if e["eventName"].lower() == name and e["instanceId"] == "outbox"]


def _until(page, condition, seconds: float = 15) -> bool:
    """Wait for condition() while the page's events keep coming in."""
    for _ in range(int(seconds * 4)):
        if condition():
            return True
        page.wait_for_timeout(250)
    return condition()


def test_failed_background_sync_is_retried_by_the_browser_until_the_outbox_arrives(
        app, field, demo):  # noqa: F811
    page = signed_in(field, demo)
    log = _background_sync_log(page)
    field.offline()
    page.context.set_offline(False)  # the phone has signal, the server is unreachable
    log_contact_offline(page)
    assert _until(page, lambda: _named(log, "sync event failed")), f"no failed sync: {log}"
    failure = {m["key"]: m["value"] for m in _named(log, "sync event failed")[0]["eventMetadata"]}
    assert failure["Failure Reason"] == "waitUntil rejected"
    assert contacts_with(app, NOTE) == 0
    page.goto("about:blank")  # no page of the app is left to sync: only the browser's retry
    field.online()
    assert _until(page, lambda: contacts_with(app, NOTE) == 1, seconds=30)
    assert _until(page, lambda: any(m["value"] == "succeeded" for e in _named(log, "sync completed")
                                    for m in e["eventMetadata"]))


# The phone revalidates every kept page now and then (pwa/js/pages.js), not only those a
# pulled change concerns: make "then" now.
# Taken under the sync lock: a round already under way ends first, so it cannot stamp every
# page as revalidated just after this marks them due.
ALL_PAGES_DUE = """async () => {
  const store = await import("/static/js/store.js");
  await navigator.locks.request("handvast-sync", () => store.setMeta("pages_all_at", 0));
}"""


def test_an_unchanged_kept_page_is_revalidated_not_downloaded_again(field, demo):  # noqa: F811
    page = signed_in(field, demo)
    answers = {}
    page.on("response", lambda response: answers.setdefault(urlsplit(response.url).path, response.status))
    page.evaluate(ALL_PAGES_DUE)
    synced(page)
    assert answers["/people/"] == answers["/services/"] == answers["/more"] == 304
    kept = page.evaluate("""async () => (await (await caches.open("handvast-pages-2"))
        .match("/people/")).text()""")
    assert "Amina El Idrissi" in kept  # the phone's copy, whole


def test_a_round_that_fails_is_said_on_the_page_and_in_the_console(
        app, field, demo, monkeypatch):  # noqa: F811
    page = signed_in(field, demo)
    page.goto("/more")
    ready(page)  # the page listens for "online" once its texts are loaded and it syncs
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    monkeypatch.setitem(app.view_functions, "sync_pages.conflict_inbox", lambda: ("broken", 500))
    page.evaluate(ALL_PAGES_DUE)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.documentElement.dataset.syncState === 'retry'")
    expect(page.locator("[data-sync-outcome]")).to_have_text(
        "The server could not be reached. Trying again soon.")
    assert any("/conflicts answered 500" in error for error in errors), errors
