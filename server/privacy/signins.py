"""Sign-ins and failed attempts in the audit trail, recorded after the sign-in request has
answered (a failure rolls its own transaction back), without touching the sign-in itself."""

from flask import Response, request
from flask_login import current_user

from ..audit import audit
from ..auth import queries as accounts
from ..auth.operations import normalise_email
from ..extensions import db

# The second step of signing in: a wrong code or passkey answers 422, which rolls back.
SECOND_STEP = {"factor.verify", "factor.sign_in_passkey"}


def record_sign_in(response: Response) -> Response:
    """Sign-ins and failed attempts, recorded after the sign-in request answered (a failure
    rolls its own transaction back): the account's id when it exists, never the address typed."""
    if request.method != "POST":
        return response
    if request.endpoint in SECOND_STEP and response.status_code == 422 \
            and current_user.is_authenticated:
        audit("second_factor_failed", user_id=current_user.id)
        db.session.commit()
        return response
    if request.endpoint != "auth.login_post":
        return response
    if response.status_code == 303 and current_user.is_authenticated:
        audit("sign_in", user_id=current_user.id)
    elif response.status_code in (401, 429):
        user = accounts.account(normalise_email(request.form.get("email", ""))[:254])
        audit("sign_in_failed" if response.status_code == 401 else "sign_in_blocked",
              user_id=user.id if user else None)
    else:
        return response
    db.session.commit()
    return response
