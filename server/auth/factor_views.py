"""The second factor: give it at sign-in, enrol it, manage it on the account page."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import limiter
from ..web import not_kept, safe_next
from . import passkeys, sessions, twofactor
from .limits import client_address, login_limits

bp = Blueprint("factor", __name__, template_folder="templates")

ENROLLING = "totp_enrolling"  # the secret shown on the enrolment page, until confirmed
NEXT = "second_factor_next"
# What a session that still owes its second factor may reach (auth/__init__.py's gate).
OPEN_WHILE_PENDING = {"factor.verify", "factor.enrol_app", "factor.passkey_options",
                      "factor.passkey_register", "factor.sign_in_options", "factor.sign_in_passkey",
                      "auth.logout"}


def _user():
    return current_user._get_current_object()


def _pending() -> bool:
    return sessions.second_factor_pending(_user())


def _may_enrol() -> bool:
    """Enrolling needs a full sign-in, or, at the first sign-in, an account without any second
    factor yet: a password alone never adds a factor to an account that has one."""
    return not _pending() or not twofactor.has_second_factor(_user())


def _failed(response) -> bool:
    return response.status_code not in (200, 303)


def _user_key() -> str:
    """Wrong codes count per account at this address (limits.py): someone who has the
    password and guesses codes from their address never locks the owner out of theirs."""
    return f"second-factor:{current_user.id}:{client_address()}"


def _address_key() -> str:
    return "second-factor:" + client_address()


def _done():
    """The second factor was given: on to where the user was going."""
    sessions.second_factor_done()
    return safe_next(session.pop(NEXT, None))


@bp.route("/login/second-factor", methods=["GET", "POST"])
@limiter.limit(login_limits, key_func=_user_key, deduct_when=_failed, methods=["POST"])
@limiter.limit(login_limits, key_func=_address_key, deduct_when=_failed, methods=["POST"])
def verify():
    user = _user()
    if not _pending():
        return redirect(url_for("home.index"))
    if "next" in request.args:
        session[NEXT] = request.args["next"]
    if not twofactor.has_second_factor(user):
        return redirect(url_for("factor.enrol_app"))
    error = None
    if request.method == "POST":
        if twofactor.verify(user, request.form.get("code", "")[:40]):
            return redirect(_done(), code=303)
        error = _("That code is not right, or was used already. Try the newest code.")
    response = render_template("auth/second_factor.html", error=error,
                               has_app=bool(user.totp_secret),
                               has_passkeys=bool(passkeys.passkeys_of(user)))
    return not_kept(_response(response, 422 if error else 200))


def _response(body: str, status: int):
    from flask import make_response

    return make_response(body, status)


@bp.route("/account/two-factor/app", methods=["GET", "POST"])
@limiter.limit(login_limits, key_func=_user_key, deduct_when=_failed, methods=["POST"])
@limiter.limit(login_limits, key_func=_address_key, deduct_when=_failed, methods=["POST"])
def enrol_app():
    user = _user()
    if not _may_enrol() or (user.totp_secret and _pending()):
        abort(404)
    secret = session.get(ENROLLING) or twofactor.new_secret()
    session[ENROLLING] = secret
    error = None
    if request.method == "POST":
        codes = twofactor.confirm_enrolment(user, secret, request.form.get("code", "")[:40])
        if codes is not None:
            session.pop(ENROLLING, None)
            after = _done()
            flash(_("Your authenticator app is set up."), "success")
            if not codes:
                return redirect(after, code=303)
            return not_kept(_response(render_template("auth/recovery_codes.html", codes=codes,
                                                      after=after), 200))
        error = _("That code is not right. Check the time on your phone and try the newest code.")
    uri = twofactor.provisioning_uri(user, secret)
    body = render_template("auth/enrol_app.html", error=error, qr=twofactor.qr_svg(uri),
                           secret=secret, required=twofactor.required_for(user),
                           pending=_pending())
    return not_kept(_response(body, 422 if error else 200))


@bp.get("/account/two-factor")
def settings():
    user = _user()
    body = render_template("auth/two_factor.html", has_app=bool(user.totp_secret),
                           keys=passkeys.passkeys_of(user), required=twofactor.required_for(user),
                           unused_codes=twofactor.unused_recovery_codes(user))
    return not_kept(_response(body, 200))


@bp.post("/account/two-factor/recovery-codes")
def new_recovery_codes():
    user = _user()
    if not twofactor.has_second_factor(user):
        abort(404)
    codes = twofactor.recovery_codes_for(user)
    return not_kept(_response(render_template("auth/recovery_codes.html", codes=codes,
                                              after=url_for("factor.settings")), 200))


@bp.post("/account/two-factor/app/remove")
def remove_app():
    if twofactor.remove_authenticator(_user()):
        flash(_("The authenticator app is no longer asked for."), "success")
    else:
        flash(_("Your role needs a second factor: add a passkey before removing the app."), "error")
    return redirect(url_for("factor.settings"), code=303)


@bp.post("/account/passkeys/<passkey_id>/remove")
def remove_passkey(passkey_id: str):
    if passkeys.remove(_user(), passkey_id[:36]):
        flash(_("The passkey was removed."), "success")
    else:
        flash(_("This passkey cannot be removed: your role needs a second factor."), "error")
    return redirect(url_for("factor.settings"), code=303)


@bp.post("/account/passkeys/options")
def passkey_options():
    if not _may_enrol():
        abort(404)
    return _json(passkeys.registration_options(_user()))


@bp.post("/account/passkeys")
def passkey_register():
    if not _may_enrol():
        abort(404)
    body = request.get_json(silent=True) or {}
    key = passkeys.register(_user(), body.get("credential"), str(body.get("name") or "")[:60])
    if key is None:
        return jsonify(error=_("This passkey could not be added. Try again.")), 422
    after = url_for("factor.settings")
    if _pending():
        after = _done()
    if not twofactor.unused_recovery_codes(_user()):
        session["recovery_codes_after"] = after
        return jsonify(next=url_for("factor.show_codes_once")), 201, {"Cache-Control": "no-store"}
    return jsonify(next=after), 201


@bp.get("/account/two-factor/recovery-codes")
def show_codes_once():
    """After a first passkey: recovery codes are made afresh and shown here, once."""
    after = session.pop("recovery_codes_after", None)
    if after is None:
        return redirect(url_for("factor.settings"))
    codes = twofactor.recovery_codes_for(_user())
    return not_kept(_response(render_template("auth/recovery_codes.html", codes=codes,
                                              after=after), 200))


@bp.post("/login/passkey/options")
def sign_in_options():
    if not _pending() or not passkeys.passkeys_of(_user()):
        abort(404)
    return _json(passkeys.authentication_options(_user()))


@bp.post("/login/passkey")
@limiter.limit(login_limits, key_func=_user_key, deduct_when=_failed, methods=["POST"])
@limiter.limit(login_limits, key_func=_address_key, deduct_when=_failed, methods=["POST"])
def sign_in_passkey():
    if not _pending():
        abort(404)
    body = request.get_json(silent=True) or {}
    if not passkeys.authenticate(_user(), body.get("credential")):
        return jsonify(error=_("The passkey did not sign in. Try again or type a code.")), 422
    return jsonify(next=_done())


def _json(text: str):
    response = _response(text, 200)
    response.mimetype = "application/json"
    response.headers["Cache-Control"] = "no-store"
    return response
