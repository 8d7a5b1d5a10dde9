"""Passkeys (WebAuthn) as a second factor, through the maintained ``webauthn`` library.

The relying party is the address people open (PUBLIC_URL, else this request's host): a
passkey made on one address is not offered on another. The challenge of a ceremony is kept in
the session and used once.
"""

from urllib.parse import urlsplit

from flask import current_app, request, session
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..audit import audit
from ..core.clock import now
from ..core.ids import new_id
from ..extensions import db
from .models import Passkey, User

CHALLENGE = "webauthn_challenge"
NAME_MAX = 60


def _origin() -> str:
    return current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")


def _rp_id() -> str:
    return urlsplit(_origin()).hostname or ""


def passkeys_of(user: User) -> list[Passkey]:
    return list(db.session.scalars(select(Passkey).where(Passkey.user_id == user.id)
                                   .order_by(Passkey.created_at)))


def registration_options(user: User) -> str:
    options = generate_registration_options(
        rp_id=_rp_id(), rp_name="handvast", user_name=user.email,
        user_id=user.id.encode(), user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=key.credential_id)
                             for key in passkeys_of(user)])
    session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _take_challenge() -> bytes | None:
    from webauthn import base64url_to_bytes

    kept = session.pop(CHALLENGE, None)
    return base64url_to_bytes(kept) if isinstance(kept, str) else None


def register(user: User, credential: object, name: str) -> Passkey | None:
    """Keep the passkey the browser made for ``credential``; None when it does not verify."""
    challenge = _take_challenge()
    if challenge is None or not isinstance(credential, (dict, str)):
        return None
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=_rp_id(),
            expected_origin=_origin())
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError):
        return None
    key = Passkey(id=new_id(), user_id=user.id, credential_id=verified.credential_id,
                  public_key=verified.credential_public_key, sign_count=verified.sign_count,
                  name=(name.strip() or "passkey")[:NAME_MAX])
    db.session.add(key)
    audit("passkey_added", user_id=user.id, object_type="passkey", object_id=key.id)
    return key


def authentication_options(user: User) -> str:
    options = generate_authentication_options(
        rp_id=_rp_id(), user_verification=UserVerificationRequirement.PREFERRED,
        allow_credentials=[PublicKeyCredentialDescriptor(id=key.credential_id)
                           for key in passkeys_of(user)])
    session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def authenticate(user: User, credential: object) -> bool:
    """Whether ``credential`` is a fresh signature by one of the user's passkeys."""
    challenge = _take_challenge()
    if challenge is None or not isinstance(credential, dict):
        return False
    keys = {bytes_to_base64url(key.credential_id): key for key in passkeys_of(user)}
    key = keys.get(str(credential.get("rawId") or credential.get("id") or ""))
    if key is None:
        return False
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=_rp_id(),
            expected_origin=_origin(), credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError):
        return False
    key.sign_count = verified.new_sign_count
    key.last_used_at = now()
    return True


def remove(user: User, passkey_id: str) -> bool:
    """Remove one of the user's passkeys; refused when it is the only second factor of an
    account that needs one."""
    from .twofactor import required_for

    key = db.session.scalar(select(Passkey).where(Passkey.id == passkey_id,
                                                  Passkey.user_id == user.id))
    if key is None:
        return False
    if required_for(user) and not user.totp_secret and len(passkeys_of(user)) == 1:
        return False
    db.session.delete(key)
    audit("passkey_removed", user_id=user.id, object_type="passkey", object_id=passkey_id)
    return True
