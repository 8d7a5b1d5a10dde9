"""The calendar page (subscribe, renew) and the feed itself, read without a session."""

import re

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.current import actor
from ..extensions import db, limiter
from ..web import not_kept, page
from . import ics
from .events import events_for
from .models import CalendarFeed, digest, new_secret

bp = Blueprint("calendar", __name__, url_prefix="/calendar", template_folder="templates")
SECRET = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return not_kept(response)


@bp.get("/")
def index():
    actor()
    feed = db.session.get(CalendarFeed, current_user.id)
    return page("calendar/index.html", has_feed=feed is not None, address=None)


@bp.post("/renew")
def renew():
    """A new secret address; the old one (if any) stops working at once. The address is shown
    this once: only its digest is kept."""
    actor()
    secret = new_secret()
    feed = db.session.get(CalendarFeed, current_user.id)
    if feed is None:
        db.session.add(CalendarFeed(user_id=current_user.id, secret_digest=digest(secret)))
    else:
        feed.secret_digest = digest(secret)
    flash(_("Your calendar address is ready. Any earlier address no longer works."), "success")
    address = request.host_url.rstrip("/") + url_for("calendar.feed", secret=secret)
    return not_kept(page("calendar/index.html", has_feed=True, address=address))


@bp.get("/<secret>.ics")
@limiter.limit("60 per minute")
def feed(secret: str):
    """The user's events, for their phone's calendar: found by the secret's digest (a lookup
    on a hash: no timing difference tells how much of a guess was right)."""
    if not SECRET.fullmatch(secret):
        abort(404)
    found = db.session.scalar(db.select(CalendarFeed).where(
        CalendarFeed.secret_digest == digest(secret)))
    if found is None or not found.user.active:
        abort(404)
    body = ics.calendar(events_for(found.user_id), name="handvast",
                        base_url=request.host_url.rstrip("/"))
    return ics_response(body, "handvast.ics")
