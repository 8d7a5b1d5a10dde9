"""Sign in, sign out, change password, accept an invitation, switch municipality."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import generate_csrf

from ..core.errors import NotFound, ValidationFailed
from ..extensions import limiter
from ..web import form_errors, form_values, safe_next
from . import current, invitations, operations, queries, sessions
from .limits import client_address, login_limits
from .passwords import MAX_LENGTH, HashingBusy, verify_password

bp = Blueprint("auth", __name__, template_folder="templates")


def _account_at_address_key() -> str:
    """Password failures count per account at this address (limits.py)."""
    email = operations.normalise_email(request.form.get("email", ""))[:254]
    return f"login:{email}:{client_address()}"


def _failed(response) -> bool:
    # A busy server (503) is no failed attempt: it must not lock anyone out.
    return response.status_code not in (303, 503)


@bp.errorhandler(HashingBusy)
def hashing_busy(exc: HashingBusy):
    """Every hashing slot is taken (a sign-in storm): come back in a few seconds, rather than
    queue behind the others while their requests wait too."""
    message = _("Many people are signing in right now. Please try again in a few seconds.")
    if request.endpoint == "auth.login_post":
        page = render_template("auth/login.html", error=message, email=request.form.get(
            "email", "")[:254], next=request.form.get("next", ""))
    else:
        page = render_template("errors/400.html", reason=message)
    return page, 503, {"Retry-After": str(exc.retry_after)}


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("auth/login.html", error=None, email="",
                           next=request.args.get("next", ""))


@bp.post("/login")
@limiter.limit(login_limits, key_func=_account_at_address_key, deduct_when=_failed,
               methods=["POST"])
@limiter.limit(login_limits, key_func=client_address, deduct_when=_failed, methods=["POST"])
def login_post():
    email = operations.normalise_email(request.form.get("email", ""))[:254]
    password = request.form.get("password", "")[:MAX_LENGTH]
    user = queries.account(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        # One message for an unknown account, a wrong password and a closed account.
        return render_template("auth/login.html", error=_("Wrong e-mail address or password."),
                               email=email, next=request.form.get("next", "")), 401
    operations.rehash_if_needed(user, password)
    sessions.start(user)
    if sessions.second_factor_pending(user):
        return redirect(url_for("factor.verify", next=safe_next(request.form.get("next"))),
                        code=303)
    if invitations.pending(user):
        return redirect(url_for("auth.pending_invitations"), code=303)
    return redirect(safe_next(request.form.get("next")), code=303)


@bp.get("/api/v1/session")
def session_info():
    """Who the phone syncs for and the CSRF token its next push sends (a cached page may
    carry an old one); 401 when the session has ended, so the outbox waits for a sign-in."""
    from ..sync.conflicts import open_conflicts

    current_actor = current.actor()
    return jsonify(user_id=current_actor.user_id, municipality_id=current_actor.municipality_id,
                   csrf_token=generate_csrf(),
                   open_conflicts=len(open_conflicts(current_actor)))


@bp.post("/logout")
def logout():
    operations.sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    response = redirect(url_for("auth.login"), code=303)
    # The phone wipes itself (pwa/js/logout.js); this is the server's part. Another user's
    # unsent work kept on a shared phone lives in its storage: then only the cache goes.
    keep_outbox = request.form.get("keep") == "outbox"
    response.headers["Clear-Site-Data"] = '"cache"' if keep_outbox else '"cache", "storage"'
    return response


def _password_key() -> str:
    return "password:" + current_user.id


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(login_limits, key_func=_password_key, deduct_when=_failed, methods=["POST"])
def change_password():
    user, errors = current_user._get_current_object(), {}
    if request.method == "POST":
        try:
            operations.change_password(user, form_values(
                "current_password", "password", "password_again"))
        except ValidationFailed as exc:
            errors = form_errors(exc)
        else:
            # every other session has ended; this one goes on, as fully signed in as it was
            sessions.start(user, second_factor_given=sessions.second_factor_given())
            flash(_("Your password was changed. You were signed out everywhere else."), "success")
            return redirect(url_for("home.index"), code=303)
    return render_template("auth/password.html", errors=errors), 422 if errors else 200


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """Join with a new account. For an address that has an account the page only says to sign
    in: the invitation waits on /invitations, and the link signs no one in."""
    try:
        invitation = invitations.find_invitation(token)
    except NotFound:
        abort(404)
    existing = invitations.for_existing_account(invitation)
    errors: dict[str, str] = {}
    if request.method == "POST" and not existing:
        try:
            user = invitations.join(token, form_values(
                "display_name", "password", "password_again"))
        except ValidationFailed as exc:
            errors = form_errors(exc)
        else:
            sessions.start(user)
            return redirect(url_for("home.index"), code=303)
    status = 422 if errors else 200
    return render_template("auth/invite.html", invitation=invitation, existing=existing,
                           errors=errors, form=request.form), status


@bp.get("/invitations")
def pending_invitations():
    return render_template("auth/invitations.html",
                           invitations=invitations.pending(current_user))


@bp.post("/invitations/<invitation_id>/accept")  # matched against the list, never queried
def accept_pending(invitation_id: str):
    try:
        invitations.accept(current_user, invitation_id)
    except NotFound:
        abort(404)
    flash(_("Invitation accepted."), "success")
    return redirect(url_for("auth.pending_invitations"), code=303)


@bp.post("/municipality")
def switch_municipality():
    wanted = request.form.get("municipality_id", "")
    # org.current.load_actor never enters a deactivated one, whatever the session names
    if wanted in {m.municipality_id for m in current_user.memberships}:
        session["municipality_id"] = wanted
    return redirect(url_for("home.index"), code=303)
