"""Buddy programme pages: the buddy's own, matching for workers, the coordinator's overview."""


from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import actor
from ..core.clock import now, today_local
from ..formdata import fields_from_form
from ..org import queries as org_queries
from ..paging import page_number, paged
from ..people import queries as people_queries
from ..sync.apply import commit_one
from ..web import mutation_from_form, out_of_reach, page, result_errors
from . import labels, matching, overview, queries
from .fields import (
    ANSWER,
    CREATE_WISH,
    LOG,
    MOVE,
    PAIR,
    PLAN,
    PROFILE,
    PROPOSE,
    REACH,
    SAVE_PROFILE,
    WISH,
)
from .vocab import PAIR_MOVES, PAIR_STATUSES

bp = Blueprint("buddies", __name__, url_prefix="/buddies", template_folder="templates")
SPECS = {i.type: i.form_kinds() for i in (SAVE_PROFILE, CREATE_WISH, PROPOSE, ANSWER, MOVE,
                                          REACH, PLAN, LOG)}


@bp.app_context_processor
def buddy_helpers() -> dict:
    return {"buddy_labels": labels, "buddy_name": lambda pair: queries.shown_name(g.actor, pair)}


def _member():
    current = actor()
    if not queries.takes_part(current):
        abort(404)
    return current


def _matcher():
    current = actor()
    if not queries.matches(current):
        abort(404)
    return current


def home_context(current) -> dict:
    """What the buddy's home section shows (home/index.html includes buddies/_home.html)."""
    sessions = queries.buddy_sessions(current)
    moment = now()
    return {"buddy_next": sessions[:1] and sessions[0], "buddy_sessions": sessions,
            "buddy_pairs": queries.pairs_of_buddy(current), "now": moment,
            "log_spec": SPECS["buddy_session.log"]}


@bp.get("/")
def index():
    current = _member()
    today = today_local()
    context = home_context(current) if queries.is_buddy(current) else {}
    if queries.matches(current):
        shown = paged(queries.open_pairs(current), page_number(request.args))
        context.update(wishes=queries.open_wishes(current), pairs=shown.items, paging=shown,
                       attention=overview.attention(current, today))
    return page("buddies/index.html", today=today, is_buddy=queries.is_buddy(current),
                is_matcher=queries.matches(current), **context)


def _commit(mutation_type: str, fields: dict, record_id: str | None = None):
    result = commit_one(actor(), mutation_from_form(mutation_type, fields, record_id=record_id))
    if out_of_reach(result):
        abort(404)
    return result


def _read(mutation_type: str) -> dict:
    return fields_from_form(request.form, SPECS[mutation_type])


# The buddy's profile


def _profile_form(values: dict, errors: dict, status: int = 200):
    current = actor()
    return page("buddies/profile.html", status=status, values=values, errors=errors,
                fields=PROFILE, spec=SPECS["buddy_profile.save"],
                neighbourhoods=org_queries.neighbourhood_options(current),
                profile=queries.own_profile(current))


@bp.get("/profile")
def profile():
    current = _member()
    if not queries.is_buddy(current):
        abort(404)
    own = queries.own_profile(current)
    values = {name: getattr(own, name) for name in SPECS["buddy_profile.save"]} if own else {
        "capacity": 1, "languages": [], "nearby_ids": [], "interests": [], "goals": [],
        "availability": []}
    return _profile_form(values, {})


@bp.post("/profile")
def save_profile():
    own = queries.own_profile(_member())
    fields = _read("buddy_profile.save")
    result = _commit("buddy_profile.save", fields, record_id=own.id if own else None)
    if result.status == "rejected":
        return _profile_form(fields, result_errors(result), status=422)
    flash(_("Profile saved."), "success")
    return redirect(url_for("buddies.index"), code=303)


# Wishes and matching


def _wish_form(values: dict, errors: dict, status: int = 200):
    current = _matcher()
    people = [(p.id, p.display_name) for p in people_queries.search(current, limit=300)
              if people_queries.full_profile(current, p)]
    return page("buddies/wish_form.html", status=status, values=values, errors=errors,
                fields=WISH, spec=SPECS["buddy_wish.create"], person_options=people)


@bp.get("/wishes/new")
def new_wish():
    return _wish_form({"person_id": request.args.get("person", ""), "urgency": "normal",
                       "goals": [], "languages": [], "availability": [], "interests": []}, {})


@bp.post("/wishes/")
def create_wish():
    _matcher()
    fields = _read("buddy_wish.create")
    result = _commit("buddy_wish.create", fields)
    if result.status == "rejected":
        return _wish_form(fields, result_errors(result), status=422)
    flash(_("Wish saved. Here are the suggested buddies."), "success")
    return redirect(url_for("buddies.wish", wish_id=result.record_id), code=303)


def _wish_page(wish_id: str, errors: dict | None = None, status: int = 200):
    current = _matcher()
    wish = queries.get_wish(current, wish_id)
    return page("buddies/wish.html", status=status, wish=wish, errors=errors or {},
                suggestions=matching.suggestions(current, wish) if wish.status == "open" else [],
                pairs=queries.pairs_for(current, statuses=PAIR_STATUSES, wish_id=wish.id),
                neighbourhood=org_queries.neighbourhood(current, wish.person.neighbourhood_id))


@bp.get("/wishes/<id:wish_id>")
def wish(wish_id: str):
    return _wish_page(wish_id)


@bp.post("/wishes/<id:wish_id>/propose")
def propose(wish_id: str):
    _matcher()
    queries.get_wish(actor(), wish_id)
    result = _commit("buddy_pair.propose", {"wish_id": wish_id,
                                            "buddy_id": request.form.get("buddy_id") or None})
    if result.status == "rejected":
        return _wish_page(wish_id, result_errors(result), status=422)
    flash(_("Proposal sent. The buddy is asked to answer."), "success")
    return redirect(url_for("buddies.pair", pair_id=result.record_id), code=303)


# Pairs


def _pair_page(pair_id: str, errors: dict | None = None, status: int = 200):
    current = _member()
    pair = queries.get_pair(current, pair_id)
    return page("buddies/pair.html", status=status, pair=pair, errors=errors or {},
                sessions=queries.sessions_of_pair(current, pair.id), now=now(),
                is_pair_buddy=pair.buddy_id == current.user_id,
                is_matcher=queries.matches(current), moves=labels_for_moves(pair),
                fields=PAIR)


def labels_for_moves(pair) -> list[tuple[str, str]]:
    return [(s, labels.PAIR_LABELS[s]) for s in PAIR_MOVES.get(pair.status, ())]


@bp.get("/pairs/<id:pair_id>")
def pair(pair_id: str):
    return _pair_page(pair_id)


def _pair_post(pair_id: str, mutation_type: str, fields: dict, done: str):
    current = _member()
    pair = queries.get_pair(current, pair_id)  # out of reach: 404 before any validation
    if mutation_type == "buddy_pair.answer" and pair.buddy_id != current.user_id:
        abort(404)
    result = _commit(mutation_type, fields, record_id=pair_id)
    if result.status == "rejected":
        return _pair_page(pair_id, result_errors(result), status=422)
    flash(done, "success")
    return redirect(url_for("buddies.pair", pair_id=pair_id), code=303)


@bp.post("/pairs/<id:pair_id>/answer")
def answer(pair_id: str):
    return _pair_post(pair_id, "buddy_pair.answer", _read("buddy_pair.answer"),
                      _("Thank you for your answer."))


@bp.post("/pairs/<id:pair_id>/move")
def move(pair_id: str):
    return _pair_post(pair_id, "buddy_pair.move", _read("buddy_pair.move"), _("Pair updated."))


@bp.post("/pairs/<id:pair_id>/goals")
def goals(pair_id: str):
    return _pair_post(pair_id, "buddy_pair.goals", _read("buddy_pair.goals"),
                      _("Goals updated."))
