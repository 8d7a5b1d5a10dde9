"""People pages: search, create, edit, assign to a caseload, the timeline."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import actor, field_actor
from ..core.consent import limits_processing
from ..core.errors import NotFound
from ..core.vocab import PERSON_LANGUAGES
from ..formdata import changed_fields, fields_from_form, original_json
from ..labels import language_name
from ..org import queries as org_queries
from ..sync.apply import commit_one
from ..web import mutation_from_form, not_kept, out_of_reach, page, result_errors, search_text
from . import queries, timeline
from .fields import ASSIGN, PERSON, UPDATE

bp = Blueprint("people", __name__, url_prefix="/people", template_folder="templates")

SPEC = UPDATE.form_kinds()
# What a person outside the reader's scope answers instead of a 404 (privacy registers it).
OUT_OF_SCOPE: list = []
RULES = UPDATE.form_rules()
ASSIGN_SPEC = ASSIGN.form_kinds()


def _form_context(**extra):
    current = field_actor()
    kept = extra.get("values", {}).get("neighbourhood_id")  # offered even when deactivated
    return {"neighbourhood_options": org_queries.neighbourhood_options(current, kept), "spec": SPEC,
            "rules": RULES, "fields": PERSON,
            "language_options": [(code, language_name(code)) for code in PERSON_LANGUAGES],
            **extra}


def _list(people: list, q: str):
    """The list, each person whose consent was withdrawn or expired flagged for whoever sees
    their full profile (core.consent)."""
    current = actor()
    flags = {p.id: state for p in people if queries.full_profile(current, p)
             and limits_processing(state := queries.consent(p))}
    return page("people/index.html", "results", people=people, q=q, flags=flags)


@bp.get("/")
def index():
    return _list(queries.search(actor()), "")


@bp.post("/search")
def search():
    """By POST: the name being typed stays out of URLs, browser history and access logs."""
    text = search_text(request.form)
    return _list(queries.search(actor(), text), text)


@bp.get("/new")
def new():
    return page("people/form.html", **_form_context(person=None, values={}, errors={}))


@bp.post("/")
def create():
    mutation = mutation_from_form("person.create", fields_from_form(request.form, SPEC))
    result = commit_one(field_actor(), mutation)
    if result.status == "rejected":
        return page("people/form.html", status=422, **_form_context(
            person=None, values=fields_from_form(request.form, SPEC), errors=result_errors(result)))
    flash(_("Person saved."), "success")
    return redirect(url_for("people.show", person_id=result.record_id), code=303)


@bp.get("/<id:person_id>")
def show(person_id: str):
    current = actor()
    try:
        person = queries.get_visible(current, person_id)
    except NotFound:
        if OUT_OF_SCOPE:  # privacy asks for a reason (break the glass), or the usual 404
            return OUT_OF_SCOPE[0](current, person_id)
        raise
    in_scope = queries.in_scope(current, person.id)
    response = page("people/show.html", person=person, teams=org_queries.teams(current),
                    timeline=timeline.for_person(current, person.id),
                    full=queries.full_profile(current, person),
                    neighbourhood=org_queries.neighbourhood(current, person.neighbourhood_id),
                    writable=queries.is_writable(current, person.id),
                    consent=queries.consent(person), granted=not in_scope,
                    consent_recorded_by=queries.consent_recorded_by(person))
    # Opened outside one's scope (break the glass): never kept on the phone.
    return response if in_scope else not_kept(response)


@bp.get("/<id:person_id>/edit")
def edit(person_id: str):
    person = queries.get_writable(actor(), person_id)
    values = {name: getattr(person, name) for name in SPEC}
    return page("people/form.html", **_form_context(
        person=person, values=values, errors={}, original=original_json(values, SPEC)))


@bp.post("/<id:person_id>")
def update(person_id: str):
    current = actor()
    mutation = mutation_from_form("person.update", changed_fields(request.form, SPEC),
                                  record_id=person_id)
    result = commit_one(current, mutation)
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        return page("people/form.html", status=422, **_form_context(
            person=queries.get_writable(current, person_id),
            values=fields_from_form(request.form, SPEC), errors=result_errors(result),
            original=request.form.get("original", "{}")))
    if result.status == "conflict":
        flash(_("Someone else changed this meanwhile. Your version is kept in your conflicts."),
              "warning")
    else:
        flash(_("Changes saved."), "success")
    return redirect(url_for("people.show", person_id=person_id), code=303)


@bp.post("/<id:person_id>/team")
def assign(person_id: str):
    current = actor()
    mutation = mutation_from_form("person.assign", fields_from_form(request.form, ASSIGN_SPEC),
                                  record_id=person_id)
    result = commit_one(current, mutation)
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        flash(_("The caseload could not be changed."), "error")
    else:
        flash(_("Caseload changed."), "success")
    if not queries.is_visible(current, person_id):
        return redirect(url_for("people.index"), code=303)
    return redirect(url_for("people.show", person_id=person_id), code=303)
