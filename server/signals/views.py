"""Signal pages: raise one from anywhere, triage them, and see where your own stand."""

from datetime import timedelta

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ..auth.current import actor, field_actor
from ..core.clock import now
from ..core.errors import NotFound
from ..core.ids import parse_id
from ..formdata import fields_from_form
from ..gatherings import queries as gatherings
from ..org import queries as org_queries
from ..outreach import queries as outreach
from ..sync.apply import commit_one
from ..web import mutation_from_form, out_of_reach, page, result_errors
from . import operations, queries
from .fields import CREATE, SIGNAL, STATUSES, THEMES, TRIAGE

bp = Blueprint("signals", __name__, url_prefix="/signals", template_folder="templates")

CREATE_SPEC = CREATE.form_kinds()
TRIAGE_SPEC = TRIAGE.form_kinds()


def updates_for_page() -> list[queries.Update]:
    """The signed-in reporter's unseen steps (home and the signal list show them)."""
    current = g.get("actor")
    return queries.updates(current) if current is not None and current.is_field_user else []


def _filters(current) -> queries.Filters:
    args = request.args
    hoods = {i for i, _name in org_queries.neighbourhood_options(current)}
    return queries.Filters(
        theme=args.get("theme") if args.get("theme") in THEMES else None,
        neighbourhood_id=args.get("neighbourhood") if args.get("neighbourhood") in hoods else None,
        status=args.get("status") if args.get("status") in STATUSES else None,
        age=args.get("age") if args.get("age") in queries.AGES else None)


@bp.get("/")
def index():
    current = field_actor()
    filters = _filters(current)
    moment = now()
    triager = queries.may_triage(current)
    return page("signals/index.html", triager=triager, filters=filters,
                signals=queries.listing(current, filters, moment) if triager else [],
                mine=queries.listing(current, queries.Filters(mine=True), moment),
                neighbourhood_options=org_queries.neighbourhood_options(current),
                statuses=STATUSES, themes=THEMES, ages=queries.AGES)


def _linkable(current) -> dict:
    """Recent gatherings and rounds the reporter may see, to link a signal to."""
    tomorrow = now() + timedelta(days=1)
    return {
        "gathering_options": [
            (g.id, f"{format_date(g.starts_at, 'd MMM')} · {gatherings.title(g)}")
            for g in gatherings.calendar(current, tomorrow, upcoming=False, limit=20)],
        "round_options": [(r.id, f"{format_date(r.started_at, 'd MMM')} · {r.place}")
                          for r in outreach.recent(current, limit=20)]}


def _form(values: dict, errors: dict, status: int = 200):
    current = field_actor()
    return page("signals/form.html", status=status, values=values, errors=errors,
                fields=SIGNAL, spec=CREATE_SPEC, themes=THEMES,
                neighbourhood_options=org_queries.neighbourhood_options(current),
                **_linkable(current))


@bp.get("/new")
def new():
    return _form({"urgency": "normal", "gathering_id": parse_id(request.args.get("gathering")),
                  "round_id": parse_id(request.args.get("round"))}, {})


@bp.post("/")
def create():
    fields = fields_from_form(request.form, CREATE_SPEC)
    result = commit_one(field_actor(), mutation_from_form("signal.create", fields))
    if result.status == "rejected":
        return _form(fields, result_errors(result), status=422)
    flash(_("Signal raised. You will see here where it stands."), "success")
    return redirect(url_for("signals.show", signal_id=result.record_id), code=303)


def _show(signal_id: str, errors: dict | None = None, status: int = 200):
    current = field_actor()
    signal = queries.get_visible(current, signal_id)
    return page("signals/show.html", status=status, signal=signal,
                neighbourhood=org_queries.neighbourhood(current, signal.neighbourhood_id),
                next_statuses=queries.next_statuses(signal) if queries.may_triage(current) else (),
                errors=errors or {}, fields=SIGNAL, spec=TRIAGE_SPEC, mine=signal.reporter_id
                == current.user_id)


@bp.get("/<id:signal_id>")
def show(signal_id: str):
    return _show(signal_id)


@bp.post("/<id:signal_id>/triage")
def triage(signal_id: str):
    fields = {k: v for k, v in fields_from_form(request.form, TRIAGE_SPEC).items()
              if v is not None or k == "status"}
    result = commit_one(actor(), mutation_from_form("signal.triage", fields, record_id=signal_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        return _show(signal_id, result_errors(result), status=422)
    flash(_("Signal updated. The person who raised it sees the new status."), "success")
    return redirect(url_for("signals.show", signal_id=signal_id), code=303)


@bp.post("/<id:signal_id>/seen")
def seen_one(signal_id: str):
    result = commit_one(field_actor(), mutation_from_form("signal.seen", {}, record_id=signal_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":  # a version the page never showed
        abort(400)
    return redirect(url_for("signals.index"), code=303)


@bp.post("/seen")
def seen():
    operations.mark_seen(field_actor())
    return redirect(url_for("signals.index"), code=303)
