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


class Timer:
    first_delay_seconds: float = 10  # let the server settle before the first round

    def __init__(self, app: Flask, interval_seconds: float) -> None:
        self.app, self.interval = app, interval_seconds
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def start_once(self) -> None:
        if self.thread is None and self._starting.acquire(blocking=False):  # never released
            self.thread = threading.Thread(target=self._loop, daemon=True,
                                           name="handvast-reminders")
            self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def _loop(self) -> None:
        delay = self.first_delay_seconds
        while not self.stopped.wait(delay):
            delay = self.interval
            with self.app.app_context():
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


def init_app(app: Flask) -> None:
    minutes = app.config["PUSH_TIMER_MINUTES"]
    if not minutes or app.testing:
        return
    timer = app.extensions["push_timer"] = Timer(app, minutes * 60)
    app.before_request(timer.start_once)
