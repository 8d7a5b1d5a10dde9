"""Users of the municipality: the searchable list, one user's roles, deactivation with a
confirmation step, invitations."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth import invitations, sessions
from ..auth import operations as accounts
from ..auth.current import require
from ..auth.links import public_link
from ..core.access import Actor, Role
from ..core.errors import ValidationFailed
from ..core.validate import whole_number
from ..labels import ROLE_LABELS
from ..web import form_errors, form_values, page, search_text
from . import queries
from .views import bp, manager


def _roles(current: Actor) -> list[str]:
    return [r.value for r in Role if r != Role.ADMIN or current.has(Role.ADMIN)]


def _users(source, errors=None, status=200):
    current = manager()
    role = source.get("role", "")
    role = role if role in ROLE_LABELS else ""
    text = search_text(source)
    listing = queries.user_page(current, text, role,
                                whole_number(source.get("page", "1")[:6]) or 1)
    return page("org/users.html", "results", status=status, listing=listing, q=text, role=role,
                errors=errors or {},
                outranking=queries.outranking(current, [u.id for u, _r in listing.rows]),
                grants=queries.waiting_grants(current),
                role_options=[(r, ROLE_LABELS[r]) for r in ROLE_LABELS])


@bp.get("/users")
def users():
    return _users(request.args)


@bp.post("/users/search")
def search_users():
    """By POST: a name or address being typed stays out of URLs, history and access logs."""
    return _users(request.form)


def _user_page(user_id: str, errors=None, status=200):
    current = manager()
    user = queries.get_user(current, user_id)
    return page("org/user.html", status=status, user=user, errors=errors or {},
                user_roles=queries.roles_here(current, user.id), roles=_roles(current),
                outranked=bool(queries.outranking(current, [user.id])),
                form=request.form)


@bp.get("/users/<id:user_id>")
def user(user_id: str):
    return _user_page(user_id)


@bp.post("/users/<id:user_id>/roles")
def roles(user_id: str):
    current = manager()
    user = queries.get_user(current, user_id)
    generation = user.session_generation
    try:
        accounts.set_roles(current, user, request.form.getlist("roles"))
    except ValidationFailed as exc:
        return _user_page(user_id, form_errors(exc), status=422)
    if user.id == current.user_id and user.session_generation != generation:
        sessions.start(user)  # their other devices were signed out; this one goes on
    flash(_("Roles saved. A role you give yourself as admin waits for a second admin.")
          if user.id == current.user_id and current.has(Role.ADMIN) else _("Roles saved."),
          "success")
    return redirect(url_for("org.user", user_id=user.id), code=303)


@bp.get("/users/<id:user_id>/deactivate")
def confirm_deactivate(user_id: str):
    """The confirmation step before deactivating: a page, so it works without script."""
    current = manager()
    user = queries.get_user(current, user_id)
    only_here = not current.has(Role.ADMIN) and any(
        m.municipality_id != current.municipality_id for m in user.memberships)
    return page("org/deactivate.html", user=user, only_here=only_here,
                outranked=bool(queries.outranking(current, [user.id])))


@bp.post("/users/<id:user_id>/active")
def active(user_id: str):
    current = manager()
    user = queries.get_user(current, user_id)
    try:
        accounts.set_active(current, user, request.form.get("active") == "1")
    except ValidationFailed as exc:
        return _user_page(user_id, form_errors(exc), status=422)
    flash(_("Account updated."), "success")
    return redirect(url_for("org.users"), code=303)


@bp.post("/grants/<id:grant_id>/approve")
def approve_grant(grant_id: str):
    current = require(Role.ADMIN)
    try:
        accounts.approve_grant(current, grant_id)
    except ValidationFailed as exc:
        return _users(request.args, form_errors(exc), status=422)
    flash(_("Role granted."), "success")
    return redirect(url_for("org.users"), code=303)


def _invite_page(errors=None, invite_link=None, status=200):
    current = manager()
    roles = _roles(current)
    return page("org/invite.html", status=status, errors=errors or {}, form=request.form,
                invite_link=invite_link, role_options=[(r, ROLE_LABELS[r]) for r in roles],
                team_options=[(t.id, t.name) for t in queries.teams(current)])


@bp.get("/invite")
def invite_form():
    return _invite_page()


@bp.post("/users/invite")
def invite():
    current = manager()
    teams = [t.id for t in queries.teams(current)]
    try:
        token = invitations.invite(current, form_values("email", "role", "team_id"), teams)
    except ValidationFailed as exc:
        return _invite_page(form_errors(exc), status=422)
    email = request.form.get("email", "")
    if token is None:  # an existing account: its owner accepts after signing in, no link
        invitations.send_mail(email, public_link("auth.pending_invitations"), existing=True)
        flash(_("The invitation is waiting for this person: they see it when they sign in."),
              "success")
        return _invite_page()
    link = public_link("auth.accept_invite", token=token)
    if invitations.send_mail(email, link, existing=False):
        flash(_("The invitation was sent by e-mail."), "success")
    return _invite_page(invite_link=link)
