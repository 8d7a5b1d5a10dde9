"""Passwords: the one rule for choosing one, and argon2id hashing with parameters from the config."""

import re
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
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


def _hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=current_app.config["ARGON2_TIME_COST"],
                          memory_cost=current_app.config["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
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
