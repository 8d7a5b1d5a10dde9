"""Reminders on a real phone browser (headless Chromium):

- the service worker shows a pushed reminder: the server's title and body, the app's icon,
  and the page a tap opens (a path of this site only), delivered through the DevTools
  protocol as the push service would (ServiceWorker.deliverPushMessage);
- the "Reminders on this phone" control asks for permission only when tapped, subscribes with
  the server's VAPID key, posts the subscription (the server keeps it, and the runner's
  reminder reaches it through the push service stand-in), and turns off again.

Headless Chromium has no push service to subscribe with: the page's PushManager is replaced
by one that hands out a device of the stand-in (tests/push_service.py), as a browser would."""

import json

import pytest
from flask_babel import lazy_gettext as _l
from playwright.sync_api import expect

from server.core.clock import now
from server.push import keys, send
from server.push.reminders import SOURCES, Reminder, reminder_source

from ..push_service import PushServiceStandIn
from ..test_push import VAPID_PEM, devices_of
from .conftest import screenshot, sign_in_page

pytestmark = pytest.mark.browser

NOTIFICATIONS = """() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
  .then((shown) => shown.map((n) => ({ title: n.title, body: n.body, icon: n.icon, url: n.data?.url })))"""
FAKE_PUSH_MANAGER = """(device) => {
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    window.subscribedWith = Array.from(key);
    current = { endpoint: device.endpoint, options: { applicationServerKey: key.buffer },
      toJSON: () => device, unsubscribe: async () => { current = null; return true; } };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
}"""


@pytest.fixture
def push_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", VAPID_PEM)
    monkeypatch.setitem(app.config, "PUSH_LOOPBACK_STAND_IN", True)
    return app


@pytest.fixture
def stand_in():
    service = PushServiceStandIn().start()
    yield service
    service.stop()


def _registration_ids(context, page) -> list:
    """The service worker registrations Chromium reports (ServiceWorker.enable events)."""
    cdp = context.new_cdp_session(page)
    registrations: list = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    return cdp, registrations


def _deliver(page, cdp, registrations, origin: str, payload: dict) -> None:
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")

    def ours() -> set[str]:
        return {r["registrationId"] for r in registrations
                if r["scopeURL"] == f"{origin}/" and not r["isDeleted"]}

    for _ in range(80):  # the registration event follows ServiceWorker.enable
        if ours():
            break
        page.wait_for_timeout(25)
    [registration] = ours()
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": origin, "registrationId": registration, "data": json.dumps(payload)})


def _shown(page, count: int) -> list[dict]:
    for _ in range(40):
        shown = page.evaluate(NOTIFICATIONS)
        if len(shown) >= count:
            return shown
        page.wait_for_timeout(250)
    return page.evaluate(NOTIFICATIONS)


def test_the_service_worker_shows_a_pushed_reminder_that_opens_a_page_of_this_site(
        push_app, field, world):
    context = field.phone(permissions=["notifications"])
    page = context.new_page()
    cdp, registrations = _registration_ids(context, page)
    sign_in_page(page, "worker@a.test")
    with push_app.app_context():
        payload = send._payload(Reminder("k", world.users["worker"].id, _l("Sync now"),
                                         _l("Needs your attention"), "/referrals/"), "nl")

    _deliver(page, cdp, registrations, field.url, payload)
    _deliver(page, cdp, registrations, field.url, {**payload, "url": "https://evil.example/x"})

    first, other = sorted(_shown(page, 2), key=lambda n: n["url"], reverse=True)
    assert first == {"title": "Nu synchroniseren", "body": "Vraagt je aandacht",
                     "icon": f"{field.url}/static/icons/icon-192.png", "url": "/referrals/"}
    assert other["url"] == "/"  # never another site


def test_reminders_are_turned_on_with_a_tap_reach_the_phone_and_are_turned_off(
        push_app, field, world, stand_in):
    device = stand_in.device()
    worker = world.users["worker"]
    context = field.phone()
    page = context.new_page()
    page.add_init_script(f"({FAKE_PUSH_MANAGER})({json.dumps(device.to_json())})")
    sign_in_page(page, "worker@a.test")
    page.goto("/more")
    control = page.locator("[data-push-control]")
    turn_on = page.get_by_role("button", name="Turn on reminders")
    expect(control.get_by_role("status")).to_have_text("Reminders are off on this phone.")
    assert page.evaluate("Notification.permission") == "default"  # not asked before the tap

    context.grant_permissions(["notifications"], origin=field.url)  # the user says yes
    turn_on.click()

    expect(control.get_by_role("status")).to_have_text("Reminders are on for this phone.")
    expect(page.get_by_role("button", name="Turn off reminders")).to_be_focused()
    assert devices_of(push_app, worker.id) == [device.endpoint]
    with push_app.app_context():
        public = keys.public_key(keys.load(push_app))
    assert bytes(page.evaluate("window.subscribedWith")) == _unb64(public)
    screenshot(page, "push-reminders-on")

    def due_now(now_):
        return [Reminder("browser:1", worker.id, _l("Sync now"), _l("Sync now"), "/")]

    reminder_source(due_now)
    try:
        with push_app.app_context():
            assert send.run(now()).sent == 1
    finally:
        SOURCES.remove(due_now)
    [delivery] = stand_in.received
    # the worker chose no language: the municipality's, Dutch
    assert delivery.payload == {"title": "Nu synchroniseren", "body": "Nu synchroniseren", "url": "/"}

    page.get_by_role("button", name="Turn off reminders").click()

    expect(control.get_by_role("status")).to_have_text("Reminders are off on this phone.")
    expect(turn_on).to_be_focused()
    assert devices_of(push_app, worker.id) == []


def test_signing_out_ends_the_phones_reminders_on_the_server_too(push_app, field, world, stand_in):
    device = stand_in.device()
    context = field.phone(permissions=["notifications"])
    page = context.new_page()
    page.add_init_script(f"({FAKE_PUSH_MANAGER})({json.dumps(device.to_json())})")
    sign_in_page(page, "worker@a.test")
    page.goto("/more")
    page.get_by_role("button", name="Turn on reminders").click()
    expect(page.get_by_role("button", name="Turn off reminders")).to_be_visible()
    assert devices_of(push_app, world.users["worker"].id) == [device.endpoint]

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login**")

    assert devices_of(push_app, world.users["worker"].id) == []


def test_a_refused_permission_is_said_and_nothing_is_kept(push_app, field, world):
    page = field.phone().new_page()
    sign_in_page(page, "worker@a.test")
    page.goto("/more")
    page.evaluate("Notification.requestPermission = async () => 'denied'")  # the user says no

    page.get_by_role("button", name="Turn on reminders").click()

    expect(page.locator("[data-push-control]").get_by_role("status")).to_have_text(
        "Notifications for handvast are blocked. Allow them in the browser’s site settings, "
        "then try again.")
    assert devices_of(push_app, world.users["worker"].id) == []


def _unb64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
