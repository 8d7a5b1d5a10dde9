"""Contact pages: log one in seconds, see it with its history, correct it, follow up."""

from datetime import datetime

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..audit import note_read
from ..auth.current import actor, field_actor
from ..core.clock import LOCAL_TZ, now, today_local
from ..core.errors import NotFound
from ..formdata import changed_fields, fields_from_form, original_json
from ..org import queries as org_queries
from ..people import queries as people_queries
from ..sync.apply import commit_one
from ..transaction import records_reads
from ..web import mutation_from_form, not_kept, out_of_reach, page, result_errors
from . import queries
from .fields import CONTACT, CREATE

bp = Blueprint("contacts", __name__, url_prefix="/contacts", template_folder="templates")

SPEC = CREATE.form_kinds(leave_out=["follow_up_done"])  # marked done on the follow-up list
RULES = CREATE.form_rules(leave_out=["follow_up_done"])


def _local_input(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def _form_context(people=None, **extra):
    current = field_actor()
    kept = extra.get("values", {}).get("neighbourhood_id")  # offered even when deactivated
    if people is None:
        people = people_queries.search(current, limit=300)
    return {"neighbourhood_options": org_queries.neighbourhood_options(current, kept),
            "people": people, "spec": SPEC, "rules": RULES, "fields": CONTACT, **extra}


def _values_for_form(values: dict) -> dict:
    out = dict(values)
    if isinstance(out.get("occurred_at"), datetime):
        out["occurred_at"] = _local_input(out["occurred_at"])
    elif isinstance(out.get("occurred_at"), str):
        out["occurred_at"] = out["occurred_at"][:16]
    return out


def participants(contact) -> queries.Participants:
    """For templates that list contacts: who each was with, as the current reader may know."""
    return queries.participants(actor(), contact)


@bp.get("/new")
def new():
    current = field_actor()
    chosen = request.args.get("person", "")
    people = people_queries.search(current, limit=300)  # the picker's, read once
    preset = [p.id for p in people if p.id == chosen]
    # No time in the page: it stays the same bytes (a 304 for the phone's copy); the
    # phone's script fills in the time the form is opened (pwa/js/forms.js).
    values = {"occurred_at": "", "channel": "", "person_ids": preset,
              "note_visibility": "team", "domains": []}
    return page("contacts/form.html", **_form_context(people, contact=None, values=values,
                                                      errors={}))


@bp.post("/")
def create():
    fields = fields_from_form(request.form, SPEC)
    if not fields["occurred_at"] and not request.form.get("mutation_id"):
        # Posted without script: the page has no time in it (see new()) and no script filled
        # in the time the form was opened, so the contact is now, as the form would have said.
        fields["occurred_at"] = now().astimezone(LOCAL_TZ).isoformat(timespec="minutes")
    result = commit_one(field_actor(), mutation_from_form("contact.create", fields))
    if result.status == "rejected":
        return page("contacts/form.html", status=422, **_form_context(
            contact=None, values=_values_for_form(fields), errors=result_errors(result)))
    flash(_("Contact saved."), "success")
    return redirect(url_for("contacts.show", contact_id=result.record_id), code=303)


@bp.get("/<id:contact_id>")
def show(contact_id: str):
    current = actor()
    contact = queries.get_visible(current, contact_id)
    neighbourhood = org_queries.neighbourhood(current, contact.neighbourhood_id)
    return page("contacts/show.html", contact=contact, neighbourhood=neighbourhood,
                note_shown=queries.note_shown(current, contact),
                history=queries.history(current, contact),
                may_correct=queries.may_correct(current, contact))


@bp.get("/<id:contact_id>/note")
@records_reads
def note(contact_id: str):
    """The text of a private or sensitive note, for this reader now: never kept on the phone
    (not_kept, and the service worker passes htmx requests by), a sensitive read audited."""
    current = actor()
    text = _read_note(current, queries.get_visible(current, contact_id))
    if text is None:
        raise NotFound
    return not_kept(page("contacts/note.html", "note", text=text, contact_id=contact_id))


def _read_note(current, contact) -> str | None:
    """The note for this reader's explicit read, the read recorded before any page renders."""
    text = queries.readable_note(current, contact)
    if text is not None:
        note_read(current, contact.note_visibility, municipality_id=contact.municipality_id,
                  object_type="contact", object_id=contact.id)
    return text


@bp.get("/<id:contact_id>/correct")
@records_reads
def correct_form(contact_id: str):
    current = actor()
    contact = queries.get_correctable(current, contact_id)
    values = {name: getattr(contact, name) for name in SPEC if name != "person_ids"}
    values["person_ids"] = [p.id for p in queries.participants(current, contact).people]
    values["note"] = _read_note(current, contact)
    original = original_json({**values, "occurred_at": _local_input(contact.occurred_at)}, SPEC)
    response = page("contacts/form.html", **_form_context(
        contact=contact, values=_values_for_form(values), errors={}, original=original))
    if queries.note_shown(current, contact) != "text":
        not_kept(response)  # a private or sensitive note is in the form
    return response


@bp.post("/<id:contact_id>/correct")
def correct(contact_id: str):
    current = actor()
    fields = changed_fields(request.form, SPEC)
    result = commit_one(current, mutation_from_form("contact.correct", fields,
                                                    record_id=contact_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        return page("contacts/form.html", status=422, **_form_context(
            contact=queries.get_visible(current, contact_id),
            values=_values_for_form(fields_from_form(request.form, SPEC)),
            errors=result_errors(result), original=request.form.get("original", "{}")))
    flash(_("Correction saved. The earlier version stays in the history."), "success")
    return redirect(url_for("contacts.show", contact_id=contact_id), code=303)


@bp.get("/follow-ups")
def follow_ups():
    current = actor()
    return page("contacts/follow_ups.html", "list", items=queries.follow_ups(current),
                today=today_local())


@bp.post("/<id:contact_id>/follow-up-done")
def follow_up_done(contact_id: str):
    result = commit_one(actor(), mutation_from_form(
        "contact.correct", {"follow_up_done": True}, record_id=contact_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        flash(_("The follow-up could not be closed."), "error")
    else:
        flash(_("Follow-up marked as done."), "success")
    return redirect(url_for("contacts.follow_ups"), code=303)
