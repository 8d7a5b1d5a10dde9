"""Home: what needs doing today, per role."""

from flask import Blueprint, jsonify

from ..auth.current import actor
from ..buddies.views import home_context as buddy_home
from ..contacts import queries as contacts
from ..core.access import Role
from ..core.clock import today_local
from ..people import queries as people
from ..referrals import queries as referrals
from ..web import page
from .queries import contacts_per_week

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    current = actor()
    today = today_local()
    overview = None
    if current.is_coordinator:
        weeks = contacts_per_week(current, today)
        overview = {"weeks": weeks, "peak": max((n for _, n in weeks), default=0) or 1,
                    "without_team": people.without_team(current),
                    "overdue": referrals.overdue(current, today)}
    return page("home/index.html", today=today, overview=overview,
                follow_ups=contacts.follow_ups(current, until=today),
                referrals=referrals.open_referrals(current)[:10],
                recent=contacts.recent(current, limit=5),
                **(buddy_home(current) if current.has(Role.BUDDY) else {}))


@bp.get("/more")
def more():
    actor()
    return page("home/more.html")


@bp.get("/health")
def health():
    return jsonify(status="ok")
