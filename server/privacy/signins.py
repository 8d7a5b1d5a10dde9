"""Sign-ins and failed attempts in the audit trail, recorded after the sign-in request has
answered (a failure rolls its own transaction back), without touching the sign-in itself."""

from flask import Response, request
from flask_login import current_user

from ..audit import audit
from ..auth import queries as accounts
from ..auth import sessions
from ..auth.operations import normalise_email
from ..extensions import db

# The second step of signing in (enrolling is one at a first sign-in): a wrong code or passkey
# answers 422, which rolls back.
SECOND_STEP = {"factor.verify", "factor.sign_in_passkey", "factor.enrol_app"}


def record_sign_in(response: Response) -> Response:
    """Sign-ins and failed attempts, recorded after the sign-in request answered (a failure
    rolls its own transaction back): the account's id when it exists, never the address typed.
    An account that owes a second factor is signed in when it gives it; the right password
    alone is recorded as that step."""
    if request.method != "POST":
        return response
    if request.endpoint in SECOND_STEP and current_user.is_authenticated:
        if response.status_code == 422:
            audit("second_factor_failed", user_id=current_user.id)
        elif sessions.signed_in_now():
            audit("sign_in", user_id=current_user.id, object_type="second_factor")
        else:
            return response
    elif request.endpoint != "auth.login_post":
        return response
    elif response.status_code == 303 and current_user.is_authenticated:
        pending = sessions.second_factor_pending(current_user._get_current_object())
        audit("sign_in_password" if pending else "sign_in", user_id=current_user.id)
    elif response.status_code in (401, 429):
        user = accounts.account(normalise_email(request.form.get("email", ""))[:254])
        audit("sign_in_failed" if response.status_code == 401 else "sign_in_blocked",
              user_id=user.id if user else None)
    else:
        return response
    db.session.commit()
    return response
