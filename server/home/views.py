"""Home: what needs doing today, per role; "more": the rest of what the role may open."""

from flask import Blueprint, jsonify

from ..auth.current import actor
from ..buddies.views import home_context as buddy_home
from ..contacts import queries as contacts
from ..core.access import Actor, Role
from ..core.clock import today_local
from ..people import queries as people
from ..referrals import queries as referrals
from ..web import page
from .queries import contacts_per_week, my_contacts_by_neighbourhood

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    current = actor()
    today = today_local()
    return page("home/index.html", today=today, overview=_overview(current, today),
                **_field_work(current, today),
                **(buddy_home(current) if current.has(Role.BUDDY) else {}))


def _overview(current: Actor, today):
    """The coordinator's municipality at a glance, the first thing on their home."""
    if not current.is_coordinator:
        return None
    weeks = contacts_per_week(current, today)
    without_team, without_team_count = people.without_team(current)
    overdue, overdue_count = referrals.overdue(current, today)
    return {"weeks": weeks, "peak": max((n for _, n in weeks), default=0) or 1,
            "without_team": without_team, "without_team_count": without_team_count,
            "overdue": overdue, "overdue_count": overdue_count}


def _field_work(current: Actor, today) -> dict:
    """Follow-ups, referrals and recent contacts: for those who log them (a buddy's and an
    admin's home lead elsewhere)."""
    if not current.is_field_user:
        return {"follow_ups": [], "referrals": [], "recent": [], "places": []}
    places = my_contacts_by_neighbourhood(current, today) if current.has(Role.OFFICER) else []
    return {"follow_ups": contacts.follow_ups(current, until=today),
            "referrals": referrals.first_open(current, limit=10),
            "recent": contacts.recent(current, limit=5), "places": places}


@bp.get("/more")
def more():
    actor()
    return page("home/more.html")


@bp.get("/health")
def health():
    return jsonify(status="ok")
