"""Sign in, sign out, accept an invitation, switch municipality."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from ..core.errors import NotFound, ValidationFailed
from ..extensions import db, limiter
from ..web import form_errors, form_values
from . import current, operations
from .models import User
from .passwords import verify_password

bp = Blueprint("auth", __name__, template_folder="templates")


def _account_key() -> str:
    return "login:" + operations.normalise_email(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    return response.status_code != 303


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_LIMITS"]


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("home.index")
    return target


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("auth/login.html", error=None, email="",
                           next=request.args.get("next", ""))


@bp.post("/login")
@limiter.limit(_login_limit, key_func=_account_key, deduct_when=_failed, methods=["POST"])
@limiter.limit(_login_limit, deduct_when=_failed, methods=["POST"])
def login_post():
    email = operations.normalise_email(request.form.get("email", ""))[:254]
    password = request.form.get("password", "")[:1024]
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        # One message for an unknown account, a wrong password and a closed account.
        return render_template("auth/login.html", error=_("Wrong e-mail address or password."),
                               email=email, next=request.form.get("next", "")), 401
    session.clear()
    session.permanent = True
    login_user(user)
    return redirect(safe_next(request.form.get("next")), code=303)


@bp.get("/api/v1/session")
def session_info():
    """Who the phone syncs for and the CSRF token its next push sends (a cached page may
    carry an old one); 401 when the session has ended, so the outbox waits for a sign-in."""
    current_actor = current.actor()
    return jsonify(user_id=current_actor.user_id, municipality_id=current_actor.municipality_id,
                   csrf_token=generate_csrf())


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    response = redirect(url_for("auth.login"), code=303)
    # The phone wipes itself (pwa/js/logout.js); this is the server's part. Another user's
    # unsent work kept on a shared phone lives in its storage: then only the cache goes.
    keep_outbox = request.form.get("keep") == "outbox"
    response.headers["Clear-Site-Data"] = '"cache"' if keep_outbox else '"cache", "storage"'
    return response


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    try:
        invitation = operations.find_invitation(token)
    except NotFound:
        abort(404)
    existing = db.session.scalar(select(User.id).where(User.email == invitation.email))
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            user = operations.accept_invitation(token, form_values(
                "display_name", "password", "password_again"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = form_errors(exc)
        else:
            login_user(user)
            return redirect(url_for("home.index"), code=303)
    status = 422 if errors else 200
    return render_template("auth/invite.html", invitation=invitation, existing=existing,
                           errors=errors, form=request.form), status


@bp.post("/municipality")
def switch_municipality():
    wanted = request.form.get("municipality_id", "")
    if wanted in {m.id for m in current.user_municipalities()}:
        session["municipality_id"] = wanted
    return redirect(url_for("home.index"), code=303)
