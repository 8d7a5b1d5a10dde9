"""Sessions the server can end: a signed cookie that names the user's session generation,
the time of sign-in and the time of the last request.

A session is live while the generation in it equals the account's (bumping it ends every
session of that account, on every device), the account is active, the last request was less
than SESSION_IDLE_HOURS ago and the sign-in less than SESSION_LIFETIME_DAYS ago. Anything
else is treated as signed out: 401 on /api/..., the sign-in page elsewhere.
"""

from datetime import timedelta

from flask import Flask, current_app, g, session
from flask_login import login_user

from ..core import clock
from ..extensions import db
from .models import User

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
SEEN_STEP = 60  # seconds: the last-request time is rewritten at most once a minute
# Whether this sign-in is complete: "given" (a second factor was given), "not needed", or
# "needed" (the password was right, the second factor is still to come: auth/gate.py lets
# such a session reach only the second-factor pages, never personal data).
SECOND_FACTOR = "second_factor"


def init_app(app: Flask) -> None:
    # The browser may drop the cookie once no server would accept it any more.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=app.config["SESSION_LIFETIME_DAYS"])


def end_sessions(user: User) -> None:
    """End every session of ``user`` at its next request (written when the request commits)."""
    # Counted in the database, so two processes ending sessions at once both count.
    user.session_generation = User.session_generation + 1


def start(user: User, *, second_factor_given: bool = False) -> None:
    """Sign ``user`` in on this device with a fresh session; until a second factor is given,
    an account that expects one reaches only the second-factor pages."""
    from .twofactor import expected

    session.clear()
    session.permanent = True
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = _now()
    needed = not second_factor_given and expected(user)
    session[SECOND_FACTOR] = "needed" if needed else ("given" if second_factor_given else "not needed")


def second_factor_given() -> bool:
    return session.get(SECOND_FACTOR) == "given"


def second_factor_pending(user: User) -> bool:
    """Whether this session still waits for the second factor (a session from before second
    factors existed is judged now, once)."""
    state = session.get(SECOND_FACTOR)
    if state is None:
        from .twofactor import expected

        state = session[SECOND_FACTOR] = "needed" if expected(user) else "not needed"
    return state == "needed"


def second_factor_done() -> None:
    """The second factor was given in this session: from now on it is a full sign-in (and
    ``signed_in_now()`` tells the audit trail so when it completed one)."""
    g.second_factor_completed_sign_in = session.get(SECOND_FACTOR) == "needed"
    session[SECOND_FACTOR] = "given"


def signed_in_now() -> bool:
    """Whether this request completed a sign-in by giving the owed second factor."""
    return bool(g.get("second_factor_completed_sign_in"))


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user of a live session, else None with the session
    emptied (also for a remember cookie: it carries no sign-in time, so it never signs in)."""
    user = _user_of(session_id)
    if user is None or not _in_time():
        g.account_closed = _closed(session_id)
        session.clear()
        return None
    if _now() - session[SEEN_AT] >= SEEN_STEP:
        session[SEEN_AT] = _now()
    return user


def ended_reason() -> str | None:
    """Why this request's session ended, when its cookie named a closed account: the phone
    then wipes the case data it keeps (pwa/js/sync.js); otherwise it only hides them."""
    return "account closed" if g.get("account_closed") else None


def _closed(session_id: str) -> bool:
    user = db.session.get(User, session_id.rpartition(":")[0] or session_id)
    return user is not None and not user.active


def _user_of(session_id: str) -> User | None:
    user_id, _, generation = session_id.rpartition(":")
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active or str(user.session_generation) != generation:
        return None
    return user


def _in_time() -> bool:
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return False
    config, now = current_app.config, _now()
    return (now - signed_in < config["SESSION_LIFETIME_DAYS"] * 86400
            and now - seen < config["SESSION_IDLE_HOURS"] * 3600)


def _now() -> int:
    return int(clock.now().timestamp())
