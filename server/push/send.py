"""The reminder runner: claim each due reminder in the database, then send it to the user's
devices; retry failed sends a bounded number of times; forget devices the push service no
longer knows (404, 410). Safe to run from several machines at once."""

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_babel import force_locale
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from . import keys
from .models import FAILED, GAVE_UP, NO_DEVICE, SENDING, SENT, PushReminder, PushSubscription
from .pinning import pinned_session
from .reminders import BEFORE_ROUND, SOURCES, Reminder
from .subscriptions import allowed, endpoint_refusal, parse, public_addresses

log = logging.getLogger(__name__)
GONE = {404, 410}  # the push service forgot the subscription: so do we
STALE_CLAIM = timedelta(minutes=15)  # a runner that claimed and died: its claim is retried
TIMEOUT_SECONDS = 10
VAPID_HOURS = 12  # lifetime of the signed token (push services accept at most 24 h)


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    no_device: int = 0
    skipped: int = 0  # already claimed by this or another runner
    pruned: int = 0
    errors: list[str] = field(default_factory=list)  # sources that failed, by name

    def __str__(self) -> str:
        return (f"sent {self.sent}, failed {self.failed}, no device {self.no_device}, "
                f"already sent {self.skipped}, devices forgotten {self.pruned}")


def run(now: datetime) -> Outcome:
    """Send every reminder due at ``now`` once, and retry the failed ones that are due."""
    vapid = keys.load(current_app)  # NoKeys: refuse before claiming anything
    outcome = Outcome()
    with pinned_session() as http:  # a push service answers; it never sends us elsewhere
        sender = _Sender(vapid, http, now, outcome)
        for step in BEFORE_ROUND:
            try:
                step(now)
                db.session.commit()
            except Exception:  # the reminders are sent all the same
                db.session.rollback()
                log.exception("reminder round step %s failed", step.__name__)
                outcome.errors.append(step.__name__)
        for source in SOURCES:
            try:
                due = list(source(now))
            except Exception:  # one broken source never stops the others' reminders
                db.session.rollback()
                log.exception("reminder source %s failed", source.__name__)
                outcome.errors.append(source.__name__)
                continue
            for reminder in due:
                if _claim(reminder, now):
                    sender.deliver_isolated(reminder.key)
                else:
                    outcome.skipped += 1
        for key in _claim_retries(now):
            sender.deliver_isolated(key)
    return outcome


def _payload(reminder: Reminder, locale: str) -> dict[str, str]:
    with force_locale(locale):
        return {"title": str(reminder.title), "body": str(reminder.body), "url": reminder.url}


def _locale_of(user_id: str) -> str | None:
    """The user's language, else their municipality's default, else the app's; None when the
    account is gone or closed. (Tables by name: push imports no feature.)"""
    tables = db.metadata.tables
    users, memberships, municipalities = (tables["user_account"], tables["membership"],
                                          tables["municipality"])
    row = db.session.execute(select(users.c.locale, users.c.active)
                             .where(users.c.id == user_id)).first()
    if row is None or not row.active:
        return None
    default = db.session.scalar(
        select(municipalities.c.default_locale)
        .join(memberships, memberships.c.municipality_id == municipalities.c.id)
        .where(memberships.c.user_id == user_id).order_by(memberships.c.id).limit(1))
    languages = current_app.config["LANGUAGES"]
    for choice in (row.locale, default):
        if choice in languages:
            return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _path_only(url: str) -> bool:
    parts = urlsplit(url)
    return (url.startswith("/") and not url.startswith("//") and "\\" not in url
            and not parts.scheme and not parts.netloc
            and not any(ch.isspace() or not ch.isprintable() for ch in url))


def _claim(reminder: Reminder, now: datetime) -> bool:
    """Insert the reminder's row (committed before anything is sent): True when this runner
    owns it. The key's primary key decides between runners; IntegrityError means another has it."""
    exists = select(PushReminder.key).where(PushReminder.key == reminder.key)
    if db.session.scalar(exists) is not None:
        db.session.rollback()
        return False
    if not _path_only(reminder.url) or len(reminder.key) > 200:
        log.error("reminder %s refused: its url must be a path of this site", reminder.key[:200])
        return False
    locale = _locale_of(reminder.user_id)
    if locale is None:
        db.session.rollback()
        return False
    db.session.add(PushReminder(key=reminder.key, user_id=reminder.user_id, status=SENDING,
                                payload=_payload(reminder, locale), attempts=0, claimed_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _claim_retries(now: datetime) -> list[str]:
    """Failed reminders due for another try, and claims left by a runner that died: each
    taken over by one atomic UPDATE, so two runners never both retry one."""
    retryable = or_(and_(PushReminder.status == FAILED, PushReminder.next_attempt_at <= now),
                    and_(PushReminder.status == SENDING, PushReminder.claimed_at < now - STALE_CLAIM))
    candidates = db.session.scalars(select(PushReminder.key).where(retryable).limit(500)).all()
    db.session.rollback()
    claimed = []
    for key in candidates:
        taken = db.session.execute(
            update(PushReminder).where(PushReminder.key == key, retryable)
            .values(status=SENDING, claimed_at=now).execution_options(synchronize_session=False))
        db.session.commit()
        if taken.rowcount == 1:
            claimed.append(key)
    return claimed


class _Sender:
    def __init__(self, vapid: Vapid, http: requests.Session, now: datetime, outcome: Outcome):
        self.vapid, self.http, self.now, self.outcome = vapid, http, now, outcome
        self.config = current_app.config
        self.subject = keys.subject(current_app)

    def deliver_isolated(self, key: str) -> None:
        """deliver(), and whatever goes wrong with this reminder stays with it: it is counted
        as a failed attempt (retried later, given up in the end), never left claimed, and the
        round goes on with the next one."""
        try:
            self.deliver(key)
        except Exception:
            db.session.rollback()
            log.exception("reminder round: a send failed")
            row = db.session.get(PushReminder, key, populate_existing=True)
            if row is not None:
                row.attempts += 1
                self._failed(row, "not sent")
                db.session.commit()

    def deliver(self, key: str) -> None:
        """Send a claimed reminder to every device of its user; record what became of it."""
        row = db.session.get(PushReminder, key, populate_existing=True)
        devices = db.session.scalars(select(PushSubscription).where(
            PushSubscription.user_id == row.user_id)).all()
        delivered, errors = 0, []
        data = json.dumps(row.payload, ensure_ascii=False)
        for device in devices:
            status = self._send(device, data)
            if isinstance(status, int) and status < 300:
                delivered += 1
                device.failures = 0
            elif status in GONE or status == "refused":
                db.session.delete(device)
                self.outcome.pruned += 1
            else:
                errors.append(f"HTTP {status}" if isinstance(status, int) else str(status))
                self._device_failed(device, status)
        row.attempts += 1
        row.next_attempt_at = None
        if delivered:
            row.status, row.sent_at, row.last_error = SENT, self.now, None
            self.outcome.sent += 1
        elif not errors:
            row.status = NO_DEVICE
            self.outcome.no_device += 1
        else:
            self._failed(row, "; ".join(errors)[:200])
        db.session.commit()

    def _device_failed(self, device: PushSubscription, status: int | str | None) -> None:
        """Unreachable, or failing on its side (5xx), round after round: forgotten in the end
        (the browser subscribes again when the user opens the app)."""
        if isinstance(status, int) and status < 500:
            return  # the service answered (429, 400, ...): the device is not at fault
        device.failures = (device.failures or 0) + 1
        if device.failures >= self.config["PUSH_MAX_ATTEMPTS"]:
            db.session.delete(device)
            self.outcome.pruned += 1

    def _failed(self, row: PushReminder, error: str) -> None:
        row.last_error = error
        self.outcome.failed += 1
        if row.attempts >= self.config["PUSH_MAX_ATTEMPTS"]:
            row.status = GAVE_UP
            log.warning("reminder %s given up after %d attempts: %s", row.key, row.attempts, error)
        else:
            row.status = FAILED
            row.next_attempt_at = self.now + timedelta(minutes=5 * 2 ** (row.attempts - 1))

    def _send(self, device: PushSubscription, data: str) -> int | str | None:
        """The push service's HTTP status, "refused" for an endpoint no longer allowed, or
        a short reason when it could not be reached. Never logs the endpoint (a capability)."""
        services, stand_in = allowed(self.config)
        parts = parse(device.endpoint)
        if endpoint_refusal(device.endpoint, services, stand_in) or parts is None:
            return "refused"
        if not (stand_in and parts.scheme == "http"):  # the tests' loopback stand-in
            public = public_addresses(parts.host)
            if public is None:
                return "not resolved"
            if not public:
                log.warning("push service name %s resolves to a non-public address: refused",
                            parts.host)
                return "refused"
            self.http.get_adapter(device.endpoint).pin(parts.host, public[0])
        claims = {"sub": self.subject, "aud": f"{parts.scheme}://{parts.netloc}",
                  "exp": int(time.time()) + VAPID_HOURS * 3600}
        try:
            response = webpush({"endpoint": device.endpoint,
                                "keys": {"p256dh": device.p256dh, "auth": device.auth}},
                               data=data, vapid_private_key=self.vapid, vapid_claims=claims,
                               ttl=self.config["PUSH_TTL_SECONDS"], timeout=TIMEOUT_SECONDS,
                               headers={"Urgency": self.config["PUSH_URGENCY"]},
                               requests_session=self.http)
        except WebPushException as exc:
            if exc.status_code is None:
                return "not sent"
            log.info("push to %s answered %s", parts.hostname, exc.status_code)
            return exc.status_code
        except requests.RequestException as exc:
            log.info("push to %s failed: %s", parts.hostname, type(exc).__name__)
            return type(exc).__name__
        return response.status_code
