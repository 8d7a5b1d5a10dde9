"""Referral pages: my open referrals, refer someone, move a referral along."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..audit import note_read
from ..auth.current import actor, field_actor
from ..core.clock import today_local
from ..core.errors import NotFound
from ..core.vocab import next_referral_steps
from ..formdata import fields_from_form
from ..labels import REFERRAL_LABELS
from ..paging import page_number, paged
from ..people import queries as people_queries
from ..services import queries as service_queries
from ..services import service_name
from ..sync.apply import commit_one
from ..transaction import records_reads
from ..web import mutation_from_form, not_kept, out_of_reach, page, result_errors
from . import queries
from .fields import ADVANCE, CREATE, REFERRAL

bp = Blueprint("referrals", __name__, url_prefix="/referrals", template_folder="templates")

CREATE_SPEC = CREATE.form_kinds(leave_out=["occurred_on"])  # a referral is proposed today
CREATE_RULES = CREATE.form_rules(leave_out=["occurred_on"])
ADVANCE_SPEC = ADVANCE.form_kinds()


@bp.get("/")
def index():
    current = actor()
    everyone = request.args.get("all") == "1" and current.is_coordinator
    shown = paged(queries.open_referrals(current, mine_only=not everyone),
                  page_number(request.args))
    return page("referrals/index.html", referrals=shown.items, paging=shown,
                today=today_local(), everyone=everyone)


def _form(values: dict, errors: dict, status: int = 200):
    current = field_actor()
    return page("referrals/form.html", status=status, values=values, errors=errors,
                people=people_queries.search(current, limit=300),
                service_options=[(s.id, service_name(s))
                                 for s in service_queries.search(current, limit=200)],
                spec=CREATE_SPEC, rules=CREATE_RULES, fields=REFERRAL)


@bp.get("/new")
def new():
    return _form({"person_id": request.args.get("person", ""),
                  "service_id": request.args.get("service", "")}, {})


@bp.post("/")
def create():
    fields = fields_from_form(request.form, CREATE_SPEC)
    result = commit_one(field_actor(), mutation_from_form("referral.create", fields))
    if result.status == "rejected":
        return _form(fields, result_errors(result), status=422)
    flash(_("Referral saved."), "success")
    return redirect(url_for("referrals.show", referral_id=result.record_id), code=303)


def _show(referral_id: str, errors: dict | None = None, status: int = 200):
    current = actor()
    referral = queries.get_visible(current, referral_id)
    shown = {step.id: queries.step_note_shown(current, referral, step) for step in referral.steps}
    return page("referrals/show.html", "steps", status=status, referral=referral,
                shown=shown, closed=not next_referral_steps(referral.status),
                next_steps=queries.steps_allowed(current, referral), errors=errors or {},
                today=today_local(), spec=ADVANCE_SPEC, fields=REFERRAL,
                step_options=lambda steps: [(s, REFERRAL_LABELS[s]) for s in steps])


@bp.get("/<id:referral_id>")
def show(referral_id: str):
    return _show(referral_id)


@bp.get("/<id:referral_id>/steps/<int:step_id>/note")
@records_reads
def step_note(referral_id: str, step_id: int):
    """The text of a private or sensitive step note, for this reader now: never kept on the
    phone, a sensitive read audited (as contacts.note)."""
    current = actor()
    referral = queries.get_visible(current, referral_id)
    step = next((s for s in referral.steps if s.id == step_id), None)
    text = queries.readable_step_note(current, referral, step) if step else None
    if text is None:
        raise NotFound
    note_read(current, step.note_visibility, municipality_id=referral.municipality_id,
              object_type="referral", object_id=referral.id)
    return not_kept(page("referrals/note.html", "note", text=text, referral_id=referral.id))


@bp.post("/<id:referral_id>/advance")
def advance(referral_id: str):
    fields = {k: v for k, v in fields_from_form(request.form, ADVANCE_SPEC).items()
              if v is not None or k == "status"}
    result = commit_one(actor(), mutation_from_form("referral.advance", fields,
                                                    record_id=referral_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        return _show(referral_id, result_errors(result), status=422)
    flash(_("Referral updated."), "success")
    return redirect(url_for("referrals.show", referral_id=referral_id), code=303)
