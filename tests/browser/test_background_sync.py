"""Background Sync tells the truth: a round that did not complete rejects the sync event, so
the browser itself tries again, and the outbox reaches the server once it is back, with no
page left open to send it.

Chromium waits five minutes before a retry; its BackgroundSync field trial shortens that to
two seconds here. Its DevTools log of background services shows each attempt and why it
failed."""

import pytest

from .conftest import ARGS, CHROMIUM
from .test_offline import NOTE, contacts_with, demo, log_contact_offline, signed_in  # noqa: F401

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
