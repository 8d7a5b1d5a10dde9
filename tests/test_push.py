"""Web push reminders: subscriptions only for known push services, and a reminder that arrives
once, signed (VAPID) and encrypted (RFC 8291), in the user's language and without personal
data, checked by a push service stand-in on loopback (tests/push_service.py)."""

import json
import socket
import stat
import time
from datetime import timedelta

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask_babel import lazy_gettext as _l
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import select

from server.auth.models import User
from server.core.clock import now
from server.extensions import db
from server.push import keys, send
from server.push.models import PushReminder, PushSubscription
from server.push.reminders import SOURCES, Reminder, reminder_source

from .push_service import PushServiceStandIn

SUBSCRIPTIONS = "/api/v1/push/subscriptions"
VAPID_PEM = ec.generate_private_key(ec.SECP256R1()).private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption()).decode()


@pytest.fixture
def stand_in():
    service = PushServiceStandIn().start()
    yield service
    service.stop()


@pytest.fixture
def push_app(app, monkeypatch, compiled_catalogs):
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", VAPID_PEM)
    monkeypatch.setitem(app.config, "PUSH_LOOPBACK_STAND_IN", True)
    return app


@pytest.fixture
def due():
    """The reminders a test-only source yields; the list is the test's to fill."""
    reminders: list[Reminder] = []

    def test_source(now_):
        return list(reminders)

    reminder_source(test_source)
    yield reminders
    SOURCES.remove(test_source)


def subscribe(client, subscription: dict):
    return client.post(SUBSCRIPTIONS, json=subscription, headers={"X-CSRFToken": client.csrf})


def run(app, at=None) -> send.Outcome:
    with app.app_context():
        return send.run(at or now())


def devices_of(app, user_id: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(PushSubscription.endpoint).where(
            PushSubscription.user_id == user_id)))


def reminder_row(app, key: str) -> PushReminder:
    with app.app_context():
        row = db.session.get(PushReminder, key)
        db.session.expunge(row)
        return row


def speaks(app, user: User, locale: str) -> None:
    with app.app_context():
        db.session.get(User, user.id).locale = locale
        db.session.commit()


def test_reminder_arrives_once_signed_encrypted_in_the_users_language_without_personal_data(
        push_app, world, login, stand_in, due):
    worker = world.users["worker"]
    device = stand_in.device()
    assert subscribe(login("worker@a.test"), device.to_json()).status_code == 201
    speaks(push_app, worker, "nl")
    due.append(Reminder("test:session:1:24h", worker.id, _l("Sync now"), _l("Needs your attention"),
                        "/people/"))

    first, again = run(push_app), run(push_app)

    assert stand_in.refused == []
    [delivery] = stand_in.received
    assert delivery.payload == {"title": "Nu synchroniseren", "body": "Vraagt je aandacht",
                                "url": "/people/"}
    assert (first.sent, again.sent, again.skipped) == (1, 0, 1)
    assert delivery.vapid_public_key == keys.public_key(keys.load(push_app))
    assert delivery.headers["ttl"] == str(push_app.config["PUSH_TTL_SECONDS"])
    assert delivery.headers["urgency"] == "normal"
    assert delivery.headers["content-encoding"] == "aes128gcm"
    sent = json.dumps(delivery.payload, ensure_ascii=False)
    assert worker.display_name not in sent
    assert worker.email not in sent
    assert worker.id not in sent
    assert reminder_row(push_app, "test:session:1:24h").status == "sent"


def test_each_device_of_the_user_gets_the_reminder_and_nobody_elses(push_app, world, login,
                                                                    stand_in, due):
    phone, tablet, others = stand_in.device(), stand_in.device(), stand_in.device()
    worker = login("worker@a.test")
    assert subscribe(worker, phone.to_json()).status_code == 201
    assert subscribe(worker, tablet.to_json()).status_code == 201
    assert subscribe(login("volunteer@a.test"), others.to_json()).status_code == 201
    due.append(Reminder("test:two-devices", world.users["worker"].id, _l("Sync now"),
                        _l("Sync now"), "/"))

    run(push_app)

    assert sorted(d.path for d in stand_in.received) == sorted(
        p for p, d in stand_in.devices.items() if d in (phone, tablet))


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_no_longer_knows_is_forgotten(push_app, world, login, stand_in,
                                                                due, status):
    worker = world.users["worker"]
    gone, kept = stand_in.device(), stand_in.device()
    client = login("worker@a.test")
    subscribe(client, gone.to_json())
    subscribe(client, kept.to_json())
    stand_in.answers[gone.endpoint.removeprefix(stand_in.origin)] = status
    due.append(Reminder("test:gone", worker.id, _l("Sync now"), _l("Sync now"), "/"))

    outcome = run(push_app)

    assert devices_of(push_app, worker.id) == [kept.endpoint]
    assert (outcome.sent, outcome.pruned) == (1, 1)


def test_a_reminder_whose_only_device_is_gone_is_not_retried(push_app, world, login, stand_in,
                                                             due):
    worker = world.users["worker"]
    gone = stand_in.device()
    subscribe(login("worker@a.test"), gone.to_json())
    stand_in.answers[gone.endpoint.removeprefix(stand_in.origin)] = 410
    due.append(Reminder("test:only-gone", worker.id, _l("Sync now"), _l("Sync now"), "/"))

    run(push_app)
    later = run(push_app, now() + timedelta(hours=2))

    assert devices_of(push_app, worker.id) == []
    assert reminder_row(push_app, "test:only-gone").status == "no_device"
    assert later.sent == later.failed == 0


def test_a_failed_send_is_retried_later_and_then_arrives_once(push_app, world, login, stand_in,
                                                             due):
    worker = world.users["worker"]
    device = stand_in.device()
    path = device.endpoint.removeprefix(stand_in.origin)
    subscribe(login("worker@a.test"), device.to_json())
    stand_in.answers[path] = 503
    due.append(Reminder("test:retry", worker.id, _l("Sync now"), _l("Sync now"), "/"))
    start = now()

    failed = run(push_app, start)
    too_soon = run(push_app, start + timedelta(minutes=1))
    del stand_in.answers[path]
    retried = run(push_app, start + timedelta(minutes=6))
    after = run(push_app, start + timedelta(hours=3))

    assert (failed.failed, too_soon.failed, too_soon.sent) == (1, 0, 0)
    assert (retried.sent, after.sent) == (1, 0)
    assert len(stand_in.received) == 1
    row = reminder_row(push_app, "test:retry")
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_a_device_that_cannot_be_reached_fails_alone_and_the_round_goes_on(
        push_app, world, login, stand_in, due):
    """As found: a send that failed at network level compared a string with a number, the
    round stopped there (the volunteer's reminder was never sent) and the worker's stayed
    claimed with 0 attempts."""
    worker, volunteer = world.users["worker"], world.users["volunteer"]
    with socket.socket() as probe:  # a port nobody listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    unreachable = stand_in.device().to_json() | {"endpoint": f"http://127.0.0.1:{dead}/push/x"}
    assert subscribe(login("worker@a.test"), unreachable).status_code == 201
    subscribe(login("volunteer@a.test"), stand_in.device().to_json())
    due.append(Reminder("test:unreachable", worker.id, _l("Sync now"), _l("Sync now"), "/"))
    due.append(Reminder("test:reachable", volunteer.id, _l("Sync now"), _l("Sync now"), "/"))
    start = now()

    first = run(push_app, start)

    assert (first.sent, first.failed) == (1, 1)
    assert len(stand_in.received) == 1
    row = reminder_row(push_app, "test:unreachable")
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.next_attempt_at > start  # retried later, with backoff
    failures = 1 + sum(run(push_app, start + timedelta(days=day)).failed for day in range(1, 8))
    row = reminder_row(push_app, "test:unreachable")
    assert failures == row.attempts == push_app.config["PUSH_MAX_ATTEMPTS"]
    assert row.status == "gave_up"
    assert devices_of(push_app, worker.id) == []  # unreachable round after round: forgotten
    assert reminder_row(push_app, "test:reachable").status == "sent"


def test_a_reminder_whose_send_raises_is_failed_not_left_claimed(push_app, world, login,
                                                                 stand_in, due, monkeypatch):
    worker, volunteer = world.users["worker"], world.users["volunteer"]
    subscribe(login("worker@a.test"), stand_in.device().to_json())
    subscribe(login("volunteer@a.test"), stand_in.device().to_json())
    due.append(Reminder("test:raises", worker.id, _l("Sync now"), _l("Sync now"), "/"))
    due.append(Reminder("test:after", volunteer.id, _l("Sync now"), _l("Sync now"), "/"))
    send_once = send._Sender._send
    broken = {"left": 1}

    def breaks_once(sender, device, data):
        if broken["left"]:
            broken["left"] -= 1
            raise RuntimeError("a bug in one send")
        return send_once(sender, device, data)

    monkeypatch.setattr(send._Sender, "_send", breaks_once)
    outcome = run(push_app)

    assert (outcome.sent, outcome.failed) == (1, 1)
    row = reminder_row(push_app, "test:raises")
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "not sent")
    assert reminder_row(push_app, "test:after").status == "sent"


def test_a_push_service_name_that_resolves_to_our_network_is_never_connected_to(
        push_app, world, login, stand_in, due, monkeypatch):
    """The name is checked when the device subscribes and resolved again at each send: a name
    pointing at loopback (here localhost, let in as a push service for the test) is refused
    before any connection and the device forgotten."""
    monkeypatch.setitem(push_app.config, "PUSH_SERVICES", ["localhost", "fcm.googleapis.com"])
    monkeypatch.setitem(push_app.config, "PUSH_LOOPBACK_STAND_IN", False)
    body = stand_in.device().to_json() | {"endpoint": "https://localhost/wpush/x"}
    worker = world.users["worker"]
    assert subscribe(login("worker@a.test"), body).status_code == 201
    due.append(Reminder("test:rebound", worker.id, _l("Sync now"), _l("Sync now"), "/"))
    connected = []
    monkeypatch.setattr(requests.Session, "send", lambda *a, **k: connected.append(a))

    outcome = run(push_app)

    assert (outcome.sent, outcome.failed, outcome.pruned, outcome.no_device) == (0, 0, 1, 1)
    assert connected == []
    assert devices_of(push_app, worker.id) == []


def test_a_send_that_keeps_failing_is_given_up_after_the_bounded_attempts(
        push_app, world, login, stand_in, due):
    worker = world.users["worker"]
    device = stand_in.device()
    subscribe(login("worker@a.test"), device.to_json())
    stand_in.answers[device.endpoint.removeprefix(stand_in.origin)] = 503
    due.append(Reminder("test:give-up", worker.id, _l("Sync now"), _l("Sync now"), "/"))
    start = now()

    failures = sum(run(push_app, start + timedelta(days=day)).failed for day in range(8))

    row = reminder_row(push_app, "test:give-up")
    assert failures == push_app.config["PUSH_MAX_ATTEMPTS"] == row.attempts == 5
    assert (row.status, row.last_error) == ("gave_up", "HTTP 503")


def test_a_reminder_that_would_open_another_site_is_not_sent(push_app, world, login, stand_in,
                                                             due):
    worker = world.users["worker"]
    subscribe(login("worker@a.test"), stand_in.device().to_json())
    due.extend(Reminder(f"test:url:{i}", worker.id, _l("Sync now"), _l("Sync now"), url)
               for i, url in enumerate(["https://evil.example/", "//evil.example/", "/\\evil"]))

    assert run(push_app).sent == 0
    assert stand_in.received == []


# -- keys ----------------------------------------------------------------------------------

def test_the_keys_command_makes_one_key_readable_by_its_owner_only(app, monkeypatch, tmp_path):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    cli = app.test_cli_runner()

    made = cli.invoke(args=["push", "keys"])
    key_file = tmp_path / keys.KEY_FILE
    first = key_file.read_bytes()
    kept = cli.invoke(args=["push", "keys"])

    assert made.exit_code == kept.exit_code == 0, made.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes() == first
    with app.app_context():
        public = keys.public_key(keys.load(app))
    assert f"public key: {public}" in made.output
    assert f"public key: {public}" in kept.output


def test_without_keys_production_sends_nothing_and_the_page_is_told(
        app, world, login, monkeypatch, tmp_path, due):
    client = login("worker@a.test")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    monkeypatch.setitem(app.config, "TESTING", False)  # production: no key is made on the fly
    due.append(Reminder("test:no-keys", world.users["worker"].id, _l("Sync now"), _l("Sync now"), "/"))

    result = app.test_cli_runner().invoke(args=["push", "send-reminders"])
    answer = client.get("/api/v1/push/vapid-public-key")

    assert not (tmp_path / keys.KEY_FILE).exists()
    assert result.exit_code != 0
    assert "flask push keys" in result.output
    assert answer.status_code == 503
    with app.app_context():
        assert db.session.get(PushReminder, "test:no-keys") is None


def test_the_public_key_is_the_one_browsers_subscribe_with(push_app, world, login):
    answer = login("worker@a.test").get("/api/v1/push/vapid-public-key")

    public = answer.get_json()["public_key"]
    raw = serialization.load_pem_private_key(VAPID_PEM.encode(), None).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert answer.status_code == 200
    assert public == keys.public_key(keys.load(push_app))
    assert len(raw) == 65
    assert "=" not in public


# -- which subscriptions are taken ----------------------------------------------------------

ACCEPTED = [
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABh",
    "https://web.push.apple.com/QGuQyavXutnMH2TQ",
    "https://wns2-db5p.notify.windows.com/w/?token=BQYAAAB",
]
REFUSED = [
    ("http://fcm.googleapis.com/fcm/send/x", "must use https"),
    ("ftp://fcm.googleapis.com/fcm/send/x", "must use https"),
    ("https://127.0.0.1/push", "an IP address is not a push service"),
    ("https://[::1]/push", "an IP address is not a push service"),
    ("https://10.0.0.5/push", "an IP address is not a push service"),
    ("https://192.168.1.10/push", "an IP address is not a push service"),
    ("https://169.254.169.254/latest/meta-data", "an IP address is not a push service"),
    ("https://142.250.74.42/fcm/send/x", "an IP address is not a push service"),
    ("https://localhost/push", "is not a known push service"),
    ("https://push.example.org/x", "is not a known push service"),
    ("https://fcm.googleapis.com.example.org/x", "is not a known push service"),
    ("https://notify.windows.com/w/", "is not a known push service"),
    ("https://2130706433/push", "is not a known push service"),
    # As found: Python's parser reads the host as 127.0.0.1\.notify.windows.com (a Windows
    # push host), the sending library as 127.0.0.1 — and connected there.
    ("https://127.0.0.1\\.notify.windows.com/wpush", "is not a push service address"),
    ("https://10.0.0.1\\.notify.windows.com/wpush", "is not a push service address"),
    ("https://wns2.notify.windows.com\\@127.0.0.1/wpush", "is not a push service address"),
    ("https://wns2.notify.windows.com:443@127.0.0.1/x", "is not a push service address"),
    ("https://[fd00::1]/x", "an IP address is not a push service"),
    ("https://[::ffff:127.0.0.1]/x", "an IP address is not a push service"),
    ("https://wns2.nötify.windows.com/x", "is not a push service address"),
    ("https://fcm.googleapis.com./fcm/send/x", "is not a push service address"),
    ("https://fcm.googleapis.com:80/fcm/send/x", "is not a push service address"),
    ("https://fcm.googleapis.com:8443/fcm/send/x", "is not a push service address"),
    ("https://me@fcm.googleapis.com/fcm/send/x", "is not a push service address"),
    ("not a url", "is not a push service address"),
    ("fcm.googleapis.com/fcm/send/x", "is not a push service address"),
    ("", "is required"),
]


@pytest.fixture
def worker_client(app, world, login):
    return login("worker@a.test")


@pytest.mark.parametrize("endpoint", ACCEPTED)
def test_https_endpoints_of_known_push_services_are_taken(worker_client, stand_in, endpoint):
    subscription = {**stand_in.device().to_json(), "endpoint": endpoint}

    assert subscribe(worker_client, subscription).status_code == 201


@pytest.mark.parametrize(("endpoint", "reason"), REFUSED)
def test_other_endpoints_are_refused_with_the_reason(worker_client, stand_in, endpoint, reason):
    answer = subscribe(worker_client, {**stand_in.device().to_json(), "endpoint": endpoint})

    assert answer.status_code == 422
    assert answer.get_json()["errors"] == [{"field": "endpoint", "reason": reason}]


def test_the_loopback_stand_in_is_taken_only_with_the_test_flag(app, worker_client, stand_in,
                                                                monkeypatch):
    device = stand_in.device().to_json()
    without = subscribe(worker_client, device)
    monkeypatch.setitem(app.config, "PUSH_LOOPBACK_STAND_IN", True)
    monkeypatch.setitem(app.config, "TESTING", False)
    outside_tests = subscribe(worker_client, device)
    monkeypatch.setitem(app.config, "TESTING", True)
    with_flag = subscribe(worker_client, device)

    assert (without.status_code, outside_tests.status_code, with_flag.status_code) == (422, 422, 201)
    assert without.get_json()["errors"] == [{"field": "endpoint", "reason": "must use https"}]


@pytest.mark.parametrize(("keys_", "field", "reason"), [
    ({"p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, "keys.p256dh",
     "must be a P-256 public key, base64url"),
    ({"p256dh": "B" + "A" * 86, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, "keys.p256dh",
     "must be a P-256 public key, base64url"),  # 65 bytes, not a point of the curve
    ({"p256dh": None, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, "keys.p256dh",
     "must be a P-256 public key, base64url"),
    ("valid p256dh", "keys.auth", "must be 16 bytes, base64url"),
])
def test_keys_of_the_wrong_shape_are_refused(worker_client, stand_in, keys_, field, reason):
    subscription = stand_in.device().to_json()
    subscription["endpoint"] = ACCEPTED[0]
    if keys_ == "valid p256dh":
        subscription["keys"]["auth"] = "AAAA"
    else:
        subscription["keys"] = keys_

    answer = subscribe(worker_client, subscription)

    assert answer.status_code == 422
    assert answer.get_json()["errors"] == [{"field": field, "reason": reason}]


def test_a_malformed_body_is_a_400(worker_client):
    answer = worker_client.post(SUBSCRIPTIONS, data="{not json",
                                headers={"X-CSRFToken": worker_client.csrf,
                                         "Content-Type": "application/json"})

    assert answer.status_code == 400


# -- a device's subscription over time -------------------------------------------------------

def test_turning_off_removes_only_ones_own_subscription(app, world, login, stand_in):
    worker, volunteer = login("worker@a.test"), login("volunteer@a.test")
    mine = {**stand_in.device().to_json(), "endpoint": ACCEPTED[0]}
    theirs = {**stand_in.device().to_json(), "endpoint": ACCEPTED[1]}
    subscribe(worker, mine)
    subscribe(volunteer, theirs)

    answers = [client.delete(SUBSCRIPTIONS, json={"endpoint": ACCEPTED[1]},
                             headers={"X-CSRFToken": client.csrf}).status_code
               for client in (worker, worker)]
    removed = worker.delete(SUBSCRIPTIONS, json=mine, headers={"X-CSRFToken": worker.csrf})

    assert answers == [204, 204]
    assert removed.status_code == 204
    assert devices_of(app, world.users["worker"].id) == []
    assert devices_of(app, world.users["volunteer"].id) == [ACCEPTED[1]]


@pytest.mark.parametrize("endpoint", ["\x00", "https://fcm.googleapis.com/fcm/send/a\x00b", 5, ""])
def test_turning_off_an_odd_endpoint_is_refused_not_a_server_error(login, endpoint):
    worker = login("worker@a.test")
    answer = worker.delete(SUBSCRIPTIONS, json={"endpoint": endpoint},
                           headers={"X-CSRFToken": worker.csrf})
    assert answer.status_code == 422


def test_a_phone_handed_on_sends_to_its_new_user(app, world, login, stand_in):
    device = {**stand_in.device().to_json(), "endpoint": ACCEPTED[0]}
    first = subscribe(login("worker@a.test"), device)
    again = subscribe(login("volunteer@a.test"), device)

    assert (first.status_code, again.status_code) == (201, 200)
    assert devices_of(app, world.users["worker"].id) == []
    assert devices_of(app, world.users["volunteer"].id) == [ACCEPTED[0]]


def test_a_known_endpoint_posted_with_other_keys_is_refused_and_stays_its_devices(
        app, world, login, stand_in):
    """Read in the code: whoever learnt a device's endpoint could post it with keys of their
    own and take that device's reminders."""
    device = {**stand_in.device().to_json(), "endpoint": ACCEPTED[0]}
    thief = {**stand_in.device().to_json(), "endpoint": ACCEPTED[0]}
    first = subscribe(login("worker@a.test"), device)
    taken = subscribe(login("volunteer@a.test"), thief)

    assert (first.status_code, taken.status_code) == (201, 422)
    assert taken.get_json()["errors"] == [{"field": "endpoint",
                                           "reason": "is another device's subscription"}]
    assert devices_of(app, world.users["worker"].id) == [ACCEPTED[0]]
    with app.app_context():
        kept = db.session.scalar(select(PushSubscription.p256dh))
    assert kept == device["keys"]["p256dh"].rstrip("=")


def test_a_user_keeps_their_latest_devices(app, world, worker_client, stand_in, monkeypatch):
    monkeypatch.setitem(app.config, "PUSH_MAX_DEVICES", 2)
    endpoints = [f"{ACCEPTED[0]}-{i}" for i in range(3)]
    for endpoint in endpoints:
        assert subscribe(worker_client, {**stand_in.device().to_json(), "endpoint": endpoint}
                         ).status_code == 201

    assert sorted(devices_of(app, world.users["worker"].id)) == sorted(endpoints[1:])


@pytest.mark.parametrize(("config", "subject"), [
    ({"PUBLIC_URL": "https://handvast.example.be:8443/app/"}, "https://handvast.example.be"),
    ({"PUBLIC_URL": "http://localhost:5000"}, "mailto:handvast@localhost"),
    ({"VAPID_SUBJECT": "mailto:beheer@example.be"}, "mailto:beheer@example.be"),
])
def test_push_services_are_told_whom_to_contact(app, monkeypatch, config, subject):
    for name, value in config.items():
        monkeypatch.setitem(app.config, name, value)

    assert keys.subject(app) == subject


def test_a_closed_account_gets_no_reminders(push_app, world, login, stand_in, due):
    worker = world.users["worker"]
    subscribe(login("worker@a.test"), stand_in.device().to_json())
    with push_app.app_context():
        db.session.get(User, worker.id).active = False
        db.session.commit()
    due.append(Reminder("test:closed", worker.id, _l("Sync now"), _l("Sync now"), "/"))

    assert run(push_app).sent == 0
    assert stand_in.received == []


# -- the stand-in itself refuses what a push service refuses ---------------------------------

def _signed_post(stand_in, device, claims: dict, signing_key, shown_key) -> None:
    """A message as pywebpush would send it, with the token signed by one key and ``k``
    naming another (or the same)."""
    headers = Vapid(signing_key).sign(claims)
    if shown_key is not signing_key:
        token = headers["Authorization"].split("t=", 1)[1].split(",", 1)[0]
        headers["Authorization"] = f"vapid t={token},k={keys.public_key(Vapid(shown_key))}"
    body = WebPusher(device.to_json()).encode(b'{"title": "x"}', "aes128gcm")["body"]
    requests.post(device.endpoint, data=body, headers={**headers, "TTL": "60",
                                                        "Content-Encoding": "aes128gcm"}, timeout=5)


@pytest.mark.parametrize("flaw", ["another key", "wrong audience", "expires in two days",
                                  "expired"])
def test_the_stand_in_refuses_a_token_a_push_service_would_refuse(stand_in, flaw):
    device = stand_in.device()
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    claims = {"sub": "mailto:handvast@localhost", "aud": stand_in.origin,
              "exp": int(time.time()) + 3600}
    shown = key
    if flaw == "another key":
        shown = other
    elif flaw == "wrong audience":
        claims["aud"] = "https://fcm.googleapis.com"
    elif flaw == "expires in two days":
        claims["exp"] = int(time.time()) + 48 * 3600
    else:
        claims["exp"] = int(time.time()) - 60

    _signed_post(stand_in, device, claims, key, shown)
    _signed_post(stand_in, device, {**claims, "aud": stand_in.origin,
                                    "exp": int(time.time()) + 3600}, key, key)

    assert len(stand_in.refused) == 1
    assert len(stand_in.received) == 1  # the same message, correctly signed, is taken


# -- runners that fail ----------------------------------------------------------------------

def test_a_broken_source_does_not_stop_the_others_reminders(push_app, world, login, stand_in, due):
    def broken(now_):
        raise RuntimeError("a feature's bug")

    reminder_source(broken)
    subscribe(login("worker@a.test"), stand_in.device().to_json())
    due.append(Reminder("test:beside-broken", world.users["worker"].id, _l("Sync now"),
                        _l("Sync now"), "/"))
    try:
        result = push_app.test_cli_runner().invoke(args=["push", "send-reminders"])
    finally:
        SOURCES.remove(broken)

    assert len(stand_in.received) == 1
    assert "sent 1" in result.output
    assert result.exit_code != 0
    assert "broken" in result.output


def test_a_claim_left_by_a_runner_that_died_is_sent_later(push_app, world, login, stand_in):
    worker = world.users["worker"]
    subscribe(login("worker@a.test"), stand_in.device().to_json())
    claimed = now() - timedelta(hours=1)
    with push_app.app_context():
        db.session.add(PushReminder(key="test:died", user_id=worker.id, status="sending",
                                    payload={"title": "t", "body": "b", "url": "/"},
                                    attempts=0, claimed_at=claimed))
        db.session.commit()

    fresh = run(push_app, claimed + timedelta(minutes=5))  # the runner may still be at it
    later = run(push_app)

    assert (fresh.sent, later.sent) == (0, 1)
    assert [d.payload for d in stand_in.received] == [{"title": "t", "body": "b", "url": "/"}]
