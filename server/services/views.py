"""Service directory pages: search in any language, one service."""

from flask import Blueprint, request

from ..auth.current import actor
from ..core.vocab import SERVICE_CATEGORIES
from ..web import page, search_text
from . import queries

bp = Blueprint("services", __name__, url_prefix="/services", template_folder="templates")


@bp.get("/")
def index():
    text = search_text()
    category = request.args.get("category", "")
    category = category if category in SERVICE_CATEGORIES else None
    services = queries.search(actor(), text, category)
    return page("services/index.html", "results", services=services, q=text,
                category=category or "", person_id=request.args.get("person", "")[:36])


@bp.get("/<id:service_id>")
def show(service_id: str):
    return page("services/show.html", service=queries.get(actor(), service_id))
