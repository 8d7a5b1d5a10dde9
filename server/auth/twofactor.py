"""A second factor: a code from an authenticator app (TOTP, RFC 6238) or a single-use recovery
code; passkeys live in auth/passkeys.py.

Required for the roles in SECOND_FACTOR_ROLES (coordinators and admins: they see a whole
municipality), available to everyone. A code is accepted once: the time step it belongs to is
claimed in the database (``totp_last_step`` only ever grows), so the same code cannot be used
again within its window, not even by two requests at the same moment.
"""

import hashlib
import hmac
import secrets

import pyotp
import segno
from flask import current_app
from sqlalchemy import func, or_, select, update

from ..audit import audit
from ..core import clock
from ..extensions import db
from .models import Passkey, RecoveryCode, User

ISSUER = "handvast"
RECOVERY_CODES = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
DRIFT_STEPS = (0, -1, 1)  # the phone's clock may be one step (30 s) off either way


def required_for(user: User) -> bool:
    """Whether this account must give a second factor: it holds a role that needs one."""
    roles = set(current_app.config["SECOND_FACTOR_ROLES"])
    return any(membership.role in roles for membership in user.memberships)


def has_second_factor(user: User) -> bool:
    return bool(user.totp_secret) or bool(db.session.scalar(
        select(func.count()).select_from(Passkey).where(Passkey.user_id == user.id)))


def expected(user: User) -> bool:
    """A sign-in of this account is complete only with a second factor."""
    return required_for(user) or has_second_factor(user)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG (no script, no style attribute: CSP allows it)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff",
                                                 omitsize=True)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")


def _matching_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    step = totp.timecode(clock.now())
    for offset in DRIFT_STEPS:
        if hmac.compare_digest(totp.generate_otp(step + offset), code):
            return step + offset
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record ``step`` as used; False when it (or a later one) was used already."""
    claimed = db.session.execute(
        update(User).where(User.id == user.id,
                           or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    db.session.expire(user, ["totp_last_step"])
    return claimed == 1


def confirm_enrolment(user: User, secret: str, code: str) -> list[str] | None:
    """Keep ``secret`` when ``code`` comes from it; returns new recovery codes, or None."""
    code = _digits(code)
    step = _matching_step(secret, code) if code.isascii() and code.isdigit() else None
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    audit("second_factor_enrolled", user_id=user.id, object_type="totp")
    return recovery_codes_for(user) if not _has_recovery_codes(user) else []


def verify(user: User, code: str) -> str | None:
    """Check a code typed at sign-in: "totp" or "recovery" when it is good, else None."""
    typed = _digits(code).lower()
    if user.totp_secret and len(typed) == 6 and typed.isascii() and typed.isdigit():
        step = _matching_step(user.totp_secret, typed)
        if step is not None and _claim_step(user, step):
            return "totp"
    elif len(typed) == 10 and _use_recovery_code(user, typed):
        audit("recovery_code_used", user_id=user.id)
        return "recovery"
    return None  # audited as a failure by privacy/signins.py (this request rolls back)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _has_recovery_codes(user: User) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))))


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def recovery_codes_for(user: User) -> list[str]:
    """A fresh set of recovery codes (the old set stops working), shown once: only digests
    are kept. Each is 10 characters of a 31-letter alphabet, about 50 bits."""
    db.session.query(RecoveryCode).filter(RecoveryCode.user_id == user.id).delete(
        synchronize_session=False)
    codes = ["".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    audit("recovery_codes_made", user_id=user.id)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _use_recovery_code(user: User, code: str) -> bool:
    used = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                   RecoveryCode.code_hash == _digest(code),
                                   RecoveryCode.used_at.is_(None))
        .values(used_at=clock.now()).execution_options(synchronize_session=False)).rowcount
    return used == 1


def remove_authenticator(user: User) -> bool:
    """Turn the authenticator app off; refused while the account needs a second factor and
    this is its only one."""
    if required_for(user) and not db.session.scalar(
            select(func.count()).select_from(Passkey).where(Passkey.user_id == user.id)):
        return False
    user.totp_secret = None
    user.totp_last_step = None
    audit("second_factor_removed", user_id=user.id, object_type="totp")
    return True
