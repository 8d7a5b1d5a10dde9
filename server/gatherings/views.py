"""Gathering pages: the calendar, plan one, count in one tap, what was raised, invitation."""

from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import actor, field_actor
from ..contacts.fields import CREATE as CONTACT_CREATE
from ..core.clock import LOCAL_TZ, now, today_local
from ..core.errors import NotFound
from ..formdata import changed_fields, fields_from_form, original_json
from ..org import queries as org_queries
from ..sync.apply import commit_one
from ..web import mutation_from_form, out_of_reach, page, result_errors
from . import queries
from .fields import ATTEND, COUNTERS, CREATE, GATHERING, INVITATION_LANGUAGES, TOPIC, UPDATE
from .invitation import invitation
from .labels import COUNTER_LABELS, KIND_LABELS

bp = Blueprint("gatherings", __name__, url_prefix="/gatherings", template_folder="templates")

SPEC = CREATE.form_kinds()
UPDATE_SPEC = UPDATE.form_kinds()
TOPIC_SPEC = TOPIC.form_kinds()
ATTEND_SPEC = ATTEND.form_kinds(leave_out=["present"])
FOLLOW_UP_SPEC = CONTACT_CREATE.form_kinds(leave_out=["follow_up_done"])


def _local_input(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def _host_options(current) -> list[tuple[str, str]]:
    return [(user.id, user.display_name) for user, roles in org_queries.users(current)
            if set(roles) & {"volunteer", "worker", "officer", "coordinator"}]


def _form(gathering, values: dict, errors: dict, status: int = 200, original: str = ""):
    current = field_actor()
    return page("gatherings/form.html", status=status, gathering=gathering, values=values,
                errors=errors, original=original, fields=GATHERING,
                spec=UPDATE_SPEC if gathering else SPEC,
                neighbourhood_options=org_queries.neighbourhood_options(current),
                host_options=_host_options(current), languages=INVITATION_LANGUAGES)


def _for_form(values: dict) -> dict:
    out = dict(values)
    if isinstance(out.get("starts_at"), datetime):
        out["starts_at"] = _local_input(out["starts_at"])
    elif isinstance(out.get("starts_at"), str):
        out["starts_at"] = out["starts_at"][:16]
    return out


@bp.get("/")
def index():
    current = actor()
    if not current.is_field_user:
        raise NotFound
    moment = now()
    return page("gatherings/index.html", upcoming=queries.calendar(current, moment, upcoming=True),
                past=queries.calendar(current, moment, upcoming=False, limit=30))


@bp.get("/new")
def new():
    current = field_actor()
    start = (now() + timedelta(days=7)).astimezone(LOCAL_TZ).replace(hour=14, minute=0)
    return _form(None, {"starts_at": _local_input(start), "host_ids": [current.user_id],
                        "invitation_languages": ["nl"]}, {})


@bp.post("/")
def create():
    fields = fields_from_form(request.form, SPEC)
    result = commit_one(field_actor(), mutation_from_form("gathering.create", fields))
    if result.status == "rejected":
        return _form(None, _for_form(fields), result_errors(result), status=422)
    flash(_("Gathering planned."), "success")
    return redirect(url_for("gatherings.show", gathering_id=result.record_id), code=303)


def _context(current, gathering) -> dict:
    return {"gathering": gathering, "title": queries.title(gathering),
            "neighbourhood": org_queries.neighbourhood(current, gathering.neighbourhood_id),
            "counters": COUNTERS, "attendees": queries.attendees(current, gathering),
            "may_edit": queries.may_edit(current, gathering),
            "may_count": queries.may_count(current), "counter_labels": COUNTER_LABELS}


@bp.get("/<id:gathering_id>")
def show(gathering_id: str):
    current = actor()
    gathering = queries.get_visible(current, gathering_id)
    return page("gatherings/show.html", **_context(current, gathering),
                topic_spec=TOPIC_SPEC, attend_spec=ATTEND_SPEC,
                nameable=queries.nameable_people(current) if queries.may_count(current) else [],
                occurred_at=_local_input(min(gathering.starts_at, now())),
                follow_up_spec=FOLLOW_UP_SPEC,
                follow_up_on=(today_local() + timedelta(days=7)).isoformat())


@bp.get("/<id:gathering_id>/count")
def count(gathering_id: str):
    current = actor()
    gathering = queries.get_visible(current, gathering_id)
    if not queries.may_count(current):
        raise NotFound
    return page("gatherings/count.html", **_context(current, gathering), topic_spec=TOPIC_SPEC,
                languages=_heard_options(gathering))


@bp.get("/count")
def count_planned_on_phone():
    """The counting page of a gathering planned on a phone without signal: the phone keeps it
    and shows it for /gatherings/<id>/count until that page exists (pwa/sw.js); the gathering
    comes from the phone's outbox (pwa/js/tallies.js), and the taps sync after it."""
    field_actor()
    kinds = {kind: str(label) for kind, label in KIND_LABELS.items()}
    return page("gatherings/count.html", gathering=None, title=_("Gathering planned on this phone"),
                counters=COUNTERS, counter_labels=COUNTER_LABELS, kind_labels=kinds,
                languages=_heard_options(None))


def _heard_options(gathering) -> list[str]:
    """The languages to tap: the app's, those met most, and any already heard."""
    common = ["nl", "fr", "en", "ar", "tr", "uk", "ru", "pl", "ro", "es", "so", "ti", "fa", "ps"]
    return list(dict.fromkeys([*common, *(gathering.languages_heard if gathering else [])]))


@bp.post("/<id:gathering_id>/count")
def count_post(gathering_id: str):
    """Without a script, each +1 / −1 button posts here (with one, the phone's outbox)."""
    fields = {"counter": request.form.get("counter"),
              "delta": {"1": 1, "-1": -1}.get(request.form.get("delta", ""))}
    return _act(gathering_id, "gathering.increment", fields, "gatherings.count")


@bp.post("/<id:gathering_id>/hear")
def hear(gathering_id: str):
    fields = {"language": request.form.get("language"),
              "heard": request.form.get("heard") == "true"}
    return _act(gathering_id, "gathering.hear", fields, "gatherings.count")


@bp.post("/<id:gathering_id>/topics")
def topic(gathering_id: str):
    fields = fields_from_form(request.form, TOPIC_SPEC)
    return _act(gathering_id, "gathering.topic", fields, "gatherings.show",
                _("Topic noted."))


@bp.post("/<id:gathering_id>/attend")
def attend(gathering_id: str):
    fields = fields_from_form(request.form, ATTEND_SPEC)
    if request.form.get("present") == "false":
        fields["present"] = False
    return _act(gathering_id, "gathering.attend", fields, "gatherings.show")


def _act(gathering_id: str, mutation_type: str, fields: dict, back: str, done: str = ""):
    result = commit_one(actor(), mutation_from_form(mutation_type, fields,
                                                    record_id=gathering_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        flash(_("Not saved: %(reasons)s",
                reasons="; ".join(result_errors(result).values())), "error")
    elif done:
        flash(done, "success")
    return redirect(url_for(back, gathering_id=gathering_id), code=303)


@bp.get("/<id:gathering_id>/edit")
def edit(gathering_id: str):
    current = field_actor()
    gathering = queries.get_editable(current, gathering_id)
    values = {name: getattr(gathering, name) for name in UPDATE_SPEC}
    original = original_json({**values, "starts_at": _local_input(gathering.starts_at)},
                             UPDATE_SPEC)
    return _form(gathering, _for_form(values), {}, original=original)


@bp.post("/<id:gathering_id>")
def update(gathering_id: str):
    current = field_actor()
    fields = changed_fields(request.form, UPDATE_SPEC)
    result = commit_one(current, mutation_from_form("gathering.update", fields,
                                                    record_id=gathering_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        return _form(queries.get_editable(current, gathering_id),
                     _for_form(fields_from_form(request.form, UPDATE_SPEC)),
                     result_errors(result), status=422,
                     original=request.form.get("original", "{}"))
    if result.status == "conflict":
        flash(_("Someone else changed this meanwhile: your version is in your conflicts."),
              "error")
    else:
        flash(_("Gathering saved."), "success")
    return redirect(url_for("gatherings.show", gathering_id=gathering_id), code=303)


@bp.get("/<id:gathering_id>/invitation")
def invite(gathering_id: str):
    current = actor()
    gathering = queries.get_visible(current, gathering_id)
    hood = org_queries.neighbourhood(current, gathering.neighbourhood_id)
    chosen = gathering.invitation_languages or ["nl"]
    texts = [invitation(gathering, language, hood.name if hood else None)
             for language in INVITATION_LANGUAGES]
    return page("gatherings/invitation.html", gathering=gathering,
                title=queries.title(gathering), texts=texts, chosen=chosen)
