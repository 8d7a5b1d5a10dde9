"""Administration ("Beheer"): its home page; users, teams and places have their own modules."""

from flask import Blueprint

from ..auth.current import require
from ..core.access import Actor, Role
from ..web import page
from . import queries

bp = Blueprint("org", __name__, url_prefix="/manage", template_folder="templates")


def manager() -> Actor:
    """Coordinators and admins manage their municipality; anyone else gets a 404."""
    return require(Role.COORDINATOR, Role.ADMIN)


def active_flag(value: str | None) -> bool:
    return value == "1"


@bp.get("/")
def manage():
    current = manager()
    return page("org/manage.html", teams=len(queries.teams(current)),
                users=queries.user_page(current).total,
                grants=len(queries.waiting_grants(current)))
