"""Passwords: the one rule for choosing one, and argon2id hashing with parameters from the config.

Hashing is slow and memory-hungry on purpose (ARGON2_MEMORY_COST KiB per hash), so a process
hashes at most PASSWORD_HASH_SLOTS passwords at once: a storm of sign-ins waits its turn for
PASSWORD_HASH_WAIT_SECONDS and is then told to come back (HashingBusy, a 503 with
Retry-After), while every other request is served as usual."""

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app
from zxcvbn import zxcvbn

from ..core.errors import N_

MIN_LENGTH = 12
MAX_LENGTH = 1024  # sign-in reads no more than this; long passphrases are welcome
# zxcvbn reads a prefix: its matching is quadratic, and 72 characters are plenty to judge.
_JUDGED_LENGTH = 72
# Below 10^8 guesses (zxcvbn score 0-2) a password is on, or a small variation of, the
# common-password list that zxcvbn ships (breach corpora), a dictionary word or a pattern
# such as "aaaaaaaaaaaa" or "Password1234".
_MIN_GUESSES_LOG10 = 8
_CONTEXT_WORDS = ("handvast",)
# zxcvbn keeps the user's words in a module global during a call: one call at a time (~2 ms).
_ZXCVBN = threading.Lock()


def password_problem(password: str, context: tuple[str, ...] = ()) -> str | None:
    """Why a new password is refused, or None. Length and commonness only: no composition rules.

    ``context`` holds the account's own words (e-mail address, name), which make a weak part."""
    if len(password) < MIN_LENGTH:
        return N_("at least 12 characters")
    if len(password) > MAX_LENGTH:
        return N_("too long")
    pieces = (w for part in context for w in re.split(r"[\W_]+", part))
    words = [*_CONTEXT_WORDS, *(w for w in (*context, *pieces) if w)]
    with _ZXCVBN:
        verdict = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=words)
    if verdict["guesses_log10"] < _MIN_GUESSES_LOG10:
        return N_("too common or too easy to guess: a few unrelated words make a strong one")
    return None


class HashingBusy(Exception):  # noqa: N818 - reads as a state, as Werkzeug's ServiceUnavailable
    """Every hashing slot of this process stayed taken while the caller waited."""

    retry_after = 5  # seconds, for the Retry-After header


_SLOTS_KEY = "handvast.password_hash_slots"
_SLOTS_MADE = threading.Lock()


def hashing_slots(app: Flask) -> threading.BoundedSemaphore:
    """The app's bounded pool of hashing slots (one per CPU unless configured), made once."""
    with _SLOTS_MADE:
        if _SLOTS_KEY not in app.extensions:
            size = app.config["PASSWORD_HASH_SLOTS"] or os.cpu_count() or 1
            app.extensions[_SLOTS_KEY] = threading.BoundedSemaphore(size)
        return app.extensions[_SLOTS_KEY]


@contextmanager
def _slot() -> Iterator[None]:
    slots = hashing_slots(current_app._get_current_object())  # type: ignore[attr-defined]
    if not slots.acquire(timeout=current_app.config["PASSWORD_HASH_WAIT_SECONDS"]):
        raise HashingBusy
    try:
        yield
    finally:
        slots.release()


def _hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=current_app.config["ARGON2_TIME_COST"],
                          memory_cost=current_app.config["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    with _slot():
        return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Raises HashingBusy when no hashing slot frees up in time."""
    with _slot():
        if not stored:
            _hasher().hash(password)  # spend the same time as a real check
            return False
        try:
            return _hasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with other parameters than the configured ones."""
    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True
