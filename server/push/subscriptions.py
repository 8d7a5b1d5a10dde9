"""A browser's PushSubscription.toJSON() read and checked: an endpoint of a known push service
over HTTPS (never an address of ours or our network), and keys of the right shape."""

import base64
import binascii
import ipaddress
import re
import socket
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from ..core.errors import N_, FieldError, ValidationFailed

MAX_ENDPOINT = 1024
LOOPBACK_HOSTS = {"127.0.0.1", "::1"}
URL_CHARACTERS = set(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"{LABEL}(?:\.{LABEL})*")  # ASCII names only (IDNs as xn--), no end dot
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


def parse(endpoint: str) -> Url | None:
    """The endpoint as the sending library reads it (requests prepares every URL with urllib3's
    parse_url), or None when Python's own reading differs from it in scheme, host or port:
    what is checked is what is connected to."""
    if not set(endpoint) <= URL_CHARACTERS:  # ASCII, no space, no backslash, no control
        return None
    try:
        parts, ours = parse_url(endpoint), urlsplit(endpoint)
        same = ((parts.scheme, (parts.host or "").strip("[]").lower(), parts.port)
                == (ours.scheme, ours.hostname or "", ours.port))
    except (LocationParseError, ValueError):
        return None
    return parts if same else None


def endpoint_refusal(endpoint: Any, services: list[str], loopback_stand_in: bool) -> str | None:
    """Why this endpoint is refused, or None. ``loopback_stand_in``: the tests' push service on
    http://127.0.0.1:<port> (never honoured outside the test configuration)."""
    if not isinstance(endpoint, str) or not endpoint:
        return N_("is required")
    parts = parse(endpoint) if len(endpoint) <= MAX_ENDPOINT else None
    if parts is None or not parts.host or parts.auth is not None:
        return N_("is not a push service address")
    host = parts.host.strip("[]").lower()
    if loopback_stand_in and parts.scheme == "http" and host in LOOPBACK_HOSTS and parts.port:
        return None
    if parts.scheme != "https":
        return N_("must use https")
    if _ip_literal(host):
        return N_("an IP address is not a push service")
    if parts.port not in (None, 443) or not HOST_NAME.fullmatch(host):
        return N_("is not a push service address")
    if not _host_allowed(host, services):
        return N_("is not a known push service")
    return None


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def public_addresses(host: str) -> list[str] | None:
    """The addresses the host resolves to now, if every one is public (no loopback, private,
    link-local, unique-local or otherwise reserved address); [] when one is not; None when it
    does not resolve. Asked just before each send (a name that was a push service's may point
    elsewhere today), and the send connects to the first of them (pinning.py)."""
    try:
        found = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    addresses = list(dict.fromkeys(info[4][0].split("%")[0] for info in found))
    if not addresses or not all(ipaddress.ip_address(a).is_global for a in addresses):
        return []
    return addresses


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
