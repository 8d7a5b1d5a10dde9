"""Teams of the municipality: create, rename, and who is on each."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from ..core.errors import ValidationFailed
from ..core.ids import parse_id
from ..web import form_errors, form_values, page
from . import operations, queries
from .views import bp, manager


def _teams_page(errors=None, status=200):
    current = manager()
    return page("org/teams.html", status=status, teams=queries.teams(current),
                members=queries.members_by_team(current), errors=errors or {}, form=request.form)


@bp.get("/teams")
def teams():
    return _teams_page()


@bp.post("/teams")
def create_team():
    try:
        team = operations.create_team(manager(), form_values("name"))
    except ValidationFailed as exc:
        return _teams_page(form_errors(exc), status=422)
    flash(_("Team created."), "success")
    return redirect(url_for("org.team", team_id=team.id), code=303)


def _team_page(team_id: str, errors=None, status=200):
    current = manager()
    team = operations.get_team(current, team_id)
    members = queries.team_members(team)
    member_ids = {user.id for user in members}
    others = [(user, roles) for user, roles in queries.users(current) if user.id not in member_ids]
    return page("org/team.html", status=status, team=team, members=members, others=others,
                errors=errors or {}, form=request.form)


@bp.get("/teams/<id:team_id>")
def team(team_id: str):
    return _team_page(team_id)


@bp.post("/teams/<id:team_id>")
def rename_team(team_id: str):
    current = manager()
    team = operations.get_team(current, team_id)
    try:
        operations.rename_team(current, team, form_values("name"))
    except ValidationFailed as exc:
        return _team_page(team_id, form_errors(exc), status=422)
    flash(_("Team renamed."), "success")
    return redirect(url_for("org.team", team_id=team.id), code=303)


@bp.post("/teams/<id:team_id>/members")
def members(team_id: str):
    current = manager()
    team = operations.get_team(current, team_id)
    try:
        operations.set_member(current, team, parse_id(request.form.get("user_id")) or "",
                              request.form.get("member") == "1")
    except ValidationFailed as exc:
        return _team_page(team_id, form_errors(exc), status=422)
    return redirect(url_for("org.team", team_id=team.id), code=303)
