"""A browser's PushSubscription.toJSON() read and checked: an endpoint of a known push service
over HTTPS (never an address of ours or our network), and keys of the right shape."""

import base64
import binascii
import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from ..core.errors import N_, FieldError, ValidationFailed

MAX_ENDPOINT = 1024
LOOPBACK_HOSTS = {"127.0.0.1", "::1"}
BASE64URL = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def _b64url(text: Any) -> bytes | None:
    if not isinstance(text, str) or not text or len(text) > 100:
        return None
    if not set(text) <= BASE64URL:
        return None
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


def _is_p256_point(raw: bytes | None) -> bool:
    if raw is None or len(raw) != 65 or raw[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def _host_allowed(host: str, services: list[str]) -> bool:
    for service in services:
        service = service.lower()
        if service.startswith("*."):
            suffix = service[1:]
            if host.endswith(suffix) and len(host) > len(suffix):
                return True
        elif host == service:
            return True
    return False


def endpoint_refusal(endpoint: Any, services: list[str], loopback_stand_in: bool) -> str | None:
    """Why this endpoint is refused, or None. ``loopback_stand_in``: the tests' push service on
    http://127.0.0.1:<port> (never honoured outside the test configuration)."""
    if not isinstance(endpoint, str) or not endpoint:
        return N_("is required")
    if len(endpoint) > MAX_ENDPOINT or any(ch.isspace() or not ch.isprintable() for ch in endpoint):
        return N_("is not a push service address")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return N_("is not a push service address")
    host = (parts.hostname or "").lower()
    if not host or parts.username is not None or parts.password is not None:
        return N_("is not a push service address")
    if loopback_stand_in and parts.scheme == "http" and host in LOOPBACK_HOSTS and port:
        return None
    if parts.scheme != "https":
        return N_("must use https")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return N_("an IP address is not a push service")
    if port not in (None, 443):
        return N_("is not a push service address")
    if not _host_allowed(host.rstrip("."), services) or host.endswith("."):
        return N_("is not a known push service")
    return None


def allowed(config: Any) -> tuple[list[str], bool]:
    """The configured push services, and whether the tests' loopback stand-in is allowed: only
    when PUSH_LOOPBACK_STAND_IN is set in a test configuration (TESTING)."""
    return config["PUSH_SERVICES"], bool(config["PUSH_LOOPBACK_STAND_IN"] and config["TESTING"])


def read(body: Any, services: list[str], loopback_stand_in: bool) -> Subscription:
    """The subscription in ``body`` (PushSubscription.toJSON()), or ValidationFailed with the
    reason per field."""
    if not isinstance(body, dict):
        raise ValidationFailed.single("subscription", N_("must be a JSON object"))
    errors = []
    refusal = endpoint_refusal(body.get("endpoint"), services, loopback_stand_in)
    if refusal:
        errors.append(("endpoint", refusal))
    keys = body.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    if not _is_p256_point(_b64url(keys.get("p256dh"))):
        errors.append(("keys.p256dh", N_("must be a P-256 public key, base64url")))
    auth = _b64url(keys.get("auth"))
    if auth is None or len(auth) != 16:
        errors.append(("keys.auth", N_("must be 16 bytes, base64url")))
    if errors:
        raise ValidationFailed([FieldError(f, r) for f, r in errors])
    return Subscription(body["endpoint"], keys["p256dh"].rstrip("="), keys["auth"].rstrip("="))
