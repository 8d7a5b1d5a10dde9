"""The embedded default's reminders: a daemon thread in the server process sends the due ones
every PUSH_TIMER_MINUTES (`make run` sets 5). Started by the first request a process serves,
so the reloader's watching parent process never runs one; off in tests and, unless
configured, in production (where cron runs `flask push send-reminders`)."""

import logging
import threading

from flask import Flask

from ..core.clock import now
from ..extensions import db
from . import keys, send

log = logging.getLogger(__name__)
FIRST_DELAY_SECONDS = 10


def init_app(app: Flask) -> None:
    minutes = app.config["PUSH_TIMER_MINUTES"]
    if not minutes or app.testing:
        return
    started = threading.Lock()

    @app.before_request
    def start_reminder_timer() -> None:
        if started.acquire(blocking=False):  # once per process, never released
            threading.Thread(target=_loop, args=(app, minutes * 60), daemon=True,
                             name="handvast-reminders").start()


def _loop(app: Flask, interval: float) -> None:
    stop = threading.Event()
    delay: float = FIRST_DELAY_SECONDS
    while not stop.wait(delay):
        delay = interval
        with app.app_context():
            try:
                outcome = send.run(now())
            except keys.NoKeys as exc:
                log.warning("reminders not sent: %s", exc)
            except Exception:  # the timer goes on; the next round tries again
                log.exception("reminder round failed")
            else:
                if outcome.sent or outcome.failed:
                    log.info("reminders: %s", outcome)
            finally:
                db.session.remove()
