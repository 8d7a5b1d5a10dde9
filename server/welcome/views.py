"""Welcome pages for the field: the worklist, a household, the visit form, the info pack."""

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import field_actor
from ..core.access import Actor, receives_register_data
from ..core.clock import LOCAL_TZ, now, today_local
from ..core.errors import ValidationFailed
from ..formdata import fields_from_form
from ..labels import language_name
from ..org import queries as org_queries
from ..paging import page_number, paged
from ..services import queries as service_queries
from ..services import service_name
from ..sync.apply import commit_one
from ..web import form_errors, mutation_from_form, page, result_errors
from . import operations, queries
from .fields import LOG, WELCOME_VISIT

bp = Blueprint("welcome", __name__, url_prefix="/welcome", template_folder="templates")

SPEC = LOG.form_kinds()
COMMON_LANGUAGES = ("nl", "fr", "en", "ar", "tr", "uk", "ro", "pl", "es", "ru", "so", "ti")


def _local_input(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def _visitor() -> Actor:
    """Someone who visits the register's households; an officer gets a 404 (police
    separation: they receive no register data)."""
    current = field_actor()
    if not receives_register_data(current.roles):
        abort(404)
    return current


@bp.get("/")
def worklist():
    current = _visitor()
    shown = paged(queries.worklist(current, mine_only=not current.is_coordinator),
                  page_number(request.args))
    return page("welcome/worklist.html", households=shown.items, paging=shown,
                today=today_local(), neighbourhoods=dict(org_queries.neighbourhood_options(current)))


def _household_page(household_id: str, errors: dict | None = None, status: int = 200):
    current = _visitor()
    household = queries.get_visible(current, household_id)
    return page("welcome/household.html", status=status, household=household,
                visits=queries.visits_of(current, household.id), today=today_local(),
                neighbourhood=org_queries.neighbourhood(current, household.neighbourhood_id),
                matches=queries.matches(current, household), errors=errors or {},
                pack_language=queries.pack_language_for(household.languages, _offered()),
                teams=[(t.id, t.name) for t in org_queries.teams(current)] if current.is_coordinator else [],
                users=queries.assignable(current) if current.is_coordinator else [])


@bp.get("/households/<id:household_id>")
def household(household_id: str):
    return _household_page(household_id)


def _visit_form(household, values: dict, errors: dict, status: int = 200):
    current = _visitor()
    items = queries.pack_items(current.municipality_id)
    return page("welcome/visit.html", status=status, household=household, values=values,
                errors=errors, spec=SPEC, fields=WELCOME_VISIT, pack_items=items,
                pack_language_options=[(code, language_name(code)) for code in
                                       queries.pack_languages(current.municipality_id)],
                language_choices=list(dict.fromkeys([*household.languages, *COMMON_LANGUAGES])),
                service_options=[(s.id, service_name(s))
                                 for s in service_queries.search(current, limit=200)],
                max_time=_local_input(now()))


@bp.get("/households/<id:household_id>/visit")
def visit_form(household_id: str):
    household = queries.get_visible(_visitor(), household_id)
    values = {"household_id": household.id, "occurred_at": _local_input(now()),
              "languages": list(household.languages), "domains": [], "info_pack_items": []}
    return _visit_form(household, values, {})


@bp.post("/visits")
def log_visit():
    current = _visitor()
    fields = fields_from_form(request.form, SPEC)
    result = commit_one(current, mutation_from_form("welcome_visit.log", fields))
    if result.status == "rejected":
        household = queries.get_visible(current, request.form.get("household_id", ""))
        values = {**fields, "occurred_at": (request.form.get("occurred_at") or "")[:16]}
        return _visit_form(household, values, result_errors(result), status=422)
    flash(_("Visit saved."), "success")
    return redirect(url_for("welcome.household", household_id=fields["household_id"]), code=303)


@bp.post("/households/<id:household_id>/refer")
def refer(household_id: str):
    """One tap from a welcomed household to the referral form, for a person made of it."""
    current = _visitor()
    household = queries.get_visible(current, household_id, for_update=True)
    try:
        person_id = operations.person_for(current, household)
    except ValidationFailed as exc:
        return _household_page(household_id, form_errors(exc), status=422)
    return redirect(url_for("referrals.new", person=person_id), code=303)


@bp.post("/households/<id:household_id>/link")
def link(household_id: str):
    current = _visitor()
    household = queries.get_visible(current, household_id, for_update=True)
    try:
        operations.link_person(current, household, request.form.get("person_id") or None)
    except ValidationFailed as exc:
        return _household_page(household_id, form_errors(exc), status=422)
    flash(_("Household linked."), "success")
    return redirect(url_for("welcome.household", household_id=household_id), code=303)


def _offered() -> list[str]:
    return queries.pack_offered(g.municipality.id, current_app.config["LANGUAGES"])


@bp.get("/pack")
def pack():
    """The info pack to show, share or hand over as a QR code, in the household's language:
    every shipped language, items not translated yet shown in Dutch."""
    current = field_actor()
    languages = _offered()
    language = request.args.get("lang", "")
    if language not in languages:
        language = queries.PACK_BASE_LANGUAGE
    return page("welcome/pack.html", languages=languages, language=language,
                items=queries.pack_in(current.municipality_id, language),
                slug=g.municipality.slug)
