"""Buddy session pages (plan, confirm, log, .ics) and the volunteer hours export."""

import csv
import io
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..audit import audit
from ..calendar.ics import calendar as ics_calendar
from ..calendar.views import ics_response
from ..core.clock import now, parse_month, today_local
from ..sync.apply import commit_one
from ..transaction import records_reads
from ..web import actor, mutation_from_form, page, result_errors
from . import queries
from .calendar import event_of
from .fields import SESSION
from .operations import vouches_for_hours
from .views import SPECS, _commit, _member, _read, bp

# Sessions


def _session_form(pair_id: str, values: dict, errors: dict, status: int = 200):
    current = _member()
    pair = queries.get_pair(current, pair_id)
    return page("buddies/session_form.html", status=status, pair=pair, values=values,
                errors=errors, fields=SESSION, spec=SPECS["buddy_session.plan"])


@bp.get("/pairs/<id:pair_id>/plan")
def plan_form(pair_id: str):
    tomorrow = today_local() + timedelta(days=1)
    return _session_form(pair_id, {"day": tomorrow.isoformat(), "start_time": "14:00",
                                   "duration_minutes": 60}, {})


@bp.post("/sessions/")
def plan():
    _member()
    fields = _read("buddy_session.plan")
    result = commit_one(actor(), mutation_from_form("buddy_session.plan", fields))
    if result.status == "rejected":
        if not fields.get("pair_id"):
            abort(404)
        return _session_form(fields["pair_id"], fields, result_errors(result), status=422)
    flash(_("Session planned."), "success")
    return redirect(url_for("buddies.session", session_id=result.record_id), code=303)


def _session_page(session_id: str, errors: dict | None = None, status: int = 200):
    current = _member()
    session = queries.get_session(current, session_id)
    return page("buddies/session.html", status=status, session=session, errors=errors or {},
                started=session.starts_at <= now(), fields=SESSION,
                spec=SPECS["buddy_session.log"], ends_at=queries.ends_at(session),
                confirms_hours=vouches_for_hours(current, session))


@bp.get("/sessions/<id:session_id>")
def session(session_id: str):
    return _session_page(session_id)


@bp.post("/sessions/<id:session_id>/confirm")
def confirm(session_id: str):
    _member()
    result = _commit("buddy_session.confirm", {}, record_id=session_id)
    if result.status == "rejected":
        return _session_page(session_id, result_errors(result), status=422)
    flash(_("Session confirmed."), "success")  # before it took place, or its hours after
    return redirect(url_for("buddies.session", session_id=session_id), code=303)


@bp.post("/sessions/<id:session_id>/log")
def log(session_id: str):
    _member()
    result = _commit("buddy_session.log", _read("buddy_session.log"), record_id=session_id)
    if result.status == "rejected":
        return _session_page(session_id, result_errors(result), status=422)
    flash(_("Session logged."), "success")
    if request.form.get("back") == "home":  # logged in two taps from the buddy's home
        return redirect(url_for("home.index"), code=303)
    return redirect(url_for("buddies.session", session_id=session_id), code=303)


@bp.get("/sessions/<id:session_id>.ics")
def session_ics(session_id: str):
    session = queries.get_session(_member(), session_id)
    body = ics_calendar([event_of(session, signed_in=True)], name="handvast",
                        base_url=request.host_url.rstrip("/"))
    return ics_response(body, "buddy-session.ics")


# Volunteer hours


def _month(text: str | None) -> date:
    """The month asked for (YYYY-MM), this month when none is; anything else is a 400."""
    if not text:
        return today_local().replace(day=1)
    month = parse_month(text)
    if month is None:
        abort(400, description=_("The month must be written as year-month, e.g. 2026-11."))
    return month


def safe_cell(value: object) -> object:
    """A cell a spreadsheet never runs as a formula (CSV injection): text starting with
    = + - @ or a tab or carriage return gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _hours_csv(rows: list[queries.Hours], month: date) -> str:
    """All hours, then those a worker or coordinator confirmed and those the buddy logged
    alone; a total row last."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Buddy"), _("Month"), _("Sessions held"), _("Hours"),
                     _("Confirmed hours"), _("Unconfirmed hours (logged by the buddy alone)")])
    total = queries.Hours(_("Total"), sum(r.sessions for r in rows),
                          sum(r.confirmed for r in rows), sum(r.unconfirmed for r in rows))
    for row in [*rows, total]:
        writer.writerow([safe_cell(row.name), month.strftime("%Y-%m"), row.sessions,
                         *(f"{minutes / 60:.2f}" for minutes in (row.minutes, row.confirmed,
                                                                 row.unconfirmed))])
    return out.getvalue()


@bp.get("/hours.csv")
@records_reads
def hours():
    """Volunteer hours per buddy for a month (coordinator: everyone; a buddy: their own), for
    volunteer insurance and attestations. Every export is audited."""
    current = _member()
    if not (current.is_coordinator or queries.is_buddy(current)):
        abort(404)
    month = _month(request.args.get("month"))
    body = _hours_csv(queries.hours_by_month(current, month,
                                             only_own=not current.is_coordinator), month)
    audit("export_buddy_hours", user_id=current.user_id, municipality_id=current.municipality_id)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="buddy-hours-{month.strftime("%Y-%m")}.csv"')
    response.headers["Cache-Control"] = "no-store"
    return response

