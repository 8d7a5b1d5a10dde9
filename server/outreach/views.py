"""Outreach pages: the rounds, and the live round page that works offline from start to end
(pwa/js/rounds.js keeps the round that runs on the phone)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import actor, field_actor
from ..core.clock import LOCAL_TZ, now
from ..core.errors import NotFound
from ..org import queries as org_queries
from ..sync.apply import commit_one
from ..web import mutation_from_form, out_of_reach, page, result_errors
from . import queries
from .fields import COUNTERS, ROUND, START, TOPIC

bp = Blueprint("outreach", __name__, url_prefix="/outreach", template_folder="templates")

START_SPEC = START.form_kinds()
TOPIC_SPEC = TOPIC.form_kinds()


@bp.get("/")
def index():
    current = field_actor()
    return page("outreach/index.html", rounds=queries.recent(current), counters=COUNTERS)


@bp.get("/round")
def live():
    """The round running now: the start form, or its counters (the phone decides offline)."""
    current = field_actor()
    return page("outreach/round.html", running=queries.open_round(current), counters=COUNTERS,
                fields=ROUND, spec=START_SPEC, topic_spec=TOPIC_SPEC,
                neighbourhood_options=org_queries.neighbourhood_options(current),
                now=now().astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M"))


@bp.post("/")
def start():
    fields = {"kind": request.form.get("kind") or None, "place": request.form.get("place"),
              "neighbourhood_id": request.form.get("neighbourhood_id") or None,
              "started_at": now().isoformat()}
    result = commit_one(field_actor(), mutation_from_form("outreach_round.start", fields))
    if result.status == "rejected":
        flash(_("Not saved: %(reasons)s", reasons="; ".join(result_errors(result).values())),
              "error")
    return redirect(url_for("outreach.live"), code=303)


@bp.get("/<id:round_id>")
def show(round_id: str):
    current = field_actor()
    outreach_round = queries.get_visible(current, round_id)
    return page("outreach/show.html", round=outreach_round, counters=COUNTERS,
                neighbourhood=org_queries.neighbourhood(current, outreach_round.neighbourhood_id),
                may_count=queries.may_count(current))


@bp.post("/<id:round_id>/count")
def count(round_id: str):
    fields = {"counter": request.form.get("counter"),
              "delta": {"1": 1, "-1": -1}.get(request.form.get("delta", ""))}
    return _act(round_id, "outreach_round.increment", fields)


@bp.post("/<id:round_id>/topics")
def topic(round_id: str):
    fields = {"domain": request.form.get("domain") or None,
              "text": request.form.get("text") or None}
    return _act(round_id, "outreach_round.topic", fields)


@bp.post("/<id:round_id>/end")
def end(round_id: str):
    return _act(round_id, "outreach_round.end", {"ended_at": now().isoformat()})


def _act(round_id: str, mutation_type: str, fields: dict):
    result = commit_one(actor(), mutation_from_form(mutation_type, fields, record_id=round_id))
    if out_of_reach(result):
        raise NotFound
    if result.status == "rejected":
        flash(_("Not saved: %(reasons)s", reasons="; ".join(result_errors(result).values())),
              "error")
    return redirect(url_for("outreach.live"), code=303)
