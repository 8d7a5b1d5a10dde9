"""Privacy pages: the public notice, a person's export and erasure, breaking the glass."""

import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..auth.current import actor
from ..core.access import Actor, may_manage_privacy
from ..core.errors import NotFound, ValidationFailed
from ..org import queries as org_queries
from ..people import queries as people
from ..people.operations import erase_person_on_request
from ..web import form_errors, not_kept, page
from . import export, glass

bp = Blueprint("privacy", __name__, template_folder="templates")


def _coordinator() -> Actor:
    current = actor()
    if not may_manage_privacy(current):
        raise NotFound
    return current


@bp.get("/privacy")
def notice():
    """For the people themselves: what is kept about them and how to ask for it. No sign-in,
    no personal data."""
    return render_template("privacy/notice.html")


def ask_for_reason(current: Actor, person_id: str, *, errors: dict | None = None,
                   reason: str = "", status: int = 403) -> Response:
    """people.show for a person outside the reader's scope: a page asking why (break the
    glass), or the usual 404 for whoever may not ask or a person of another municipality."""
    if not glass.askable(current, person_id):
        raise NotFound
    return not_kept(page("privacy/break_glass.html", status=status, person_id=person_id,
                         errors=errors or {}, reason=reason))


@bp.post("/people/<id:person_id>/access")
def open_access(person_id: str):
    current = actor()
    reason = request.form.get("reason", "")
    try:
        glass.open_person(current, person_id, reason)
    except ValidationFailed as exc:
        return ask_for_reason(current, person_id, errors=form_errors(exc), reason=reason,
                              status=422)
    flash(_("Access granted for %(hours)d hours. Your reason is recorded.",
            hours=current_app.config["BREAK_GLASS_HOURS"]), "warning")
    return redirect(url_for("people.show", person_id=person_id), code=303)


@bp.get("/people/<id:person_id>/export")
def export_page(person_id: str):
    current = _coordinator()
    person = people.get_visible(current, person_id)
    data = export.collect(current, person, how="page")
    with force_locale(export.page_language(person, str(get_locale()))):
        body = render_template(
            "privacy/export.html", person=person, data=data,
            neighbourhood=org_queries.neighbourhood(current, person.neighbourhood_id),
            team=next((t for t in org_queries.teams(current) if t.id == person.team_id), None))
    return not_kept(Response(body, mimetype="text/html"))


@bp.get("/people/<id:person_id>/export.json")
def export_json(person_id: str):
    current = _coordinator()
    person = people.get_visible(current, person_id)
    data = export.collect(current, person, how="json")
    response = Response(json.dumps(data, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = "attachment; filename=person-export.json"
    return not_kept(response)


@bp.get("/people/<id:person_id>/erase")
def erase_form(person_id: str):
    current = _coordinator()
    person = people.get_writable(current, person_id)
    return not_kept(page("privacy/erase.html", person=person, errors={}, values={}))


@bp.post("/people/<id:person_id>/erase")
def erase(person_id: str):
    current = _coordinator()
    person = people.get_writable(current, person_id)
    errors = {}
    if request.form.get("confirm") != "yes":
        errors["confirm"] = _("Tick the box to confirm.")
    else:
        try:
            erase_person_on_request(current, person_id, request.form.get("reason", ""))
        except ValidationFailed as exc:
            errors = form_errors(exc)
    if not errors:
        flash(_("The person and everything about them are erased. Phones forget them at "
                "their next sync."), "success")
        return redirect(url_for("people.index"), code=303)
    return not_kept(page("privacy/erase.html", status=422, person=person, errors=errors,
                         values=request.form))
