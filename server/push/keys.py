"""The VAPID key pair that signs every push: configured, or made once in the instance folder."""

import base64
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from py_vapid import Vapid

KEY_FILE = "vapid_private_key.pem"


class NoKeys(RuntimeError):
    """No VAPID key: nothing is sent (push services refuse unsigned messages anyway)."""

    def __init__(self, app: Flask) -> None:
        super().__init__(
            "no VAPID key to sign web push with: run `flask push keys` once (it keeps a key in "
            f"{Path(app.instance_path) / KEY_FILE}, readable by this user only), or set "
            "VAPID_PRIVATE_KEY (or HANDVAST_VAPID_PRIVATE_KEY) to a PEM private key.")


def key_path(app: Flask) -> Path:
    return Path(app.instance_path) / KEY_FILE


def make_key_file(app: Flask) -> bool:
    """A new P-256 private key in the instance folder, mode 0600, unless one is there: True
    when made. Written aside and linked into place, so two starts at once keep one key."""
    path = key_path(app)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
        os.link(draft, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(draft)
    return True


def _from_text(text: str) -> Vapid:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("the VAPID key must be a P-256 (prime256v1) EC private key")
        return Vapid(key)
    return Vapid.from_string(text)  # base64url: raw 32 bytes or DER


def load(app: Flask) -> Vapid:
    """The configured key, else the instance folder's; NoKeys when there is neither. A
    development start (debug, as `make run`) or a test makes the instance folder's key when it
    is missing, as it does the secret key; production never does: `flask push keys` once."""
    configured = app.config.get("VAPID_PRIVATE_KEY")
    if configured:
        return _from_text(configured)
    path = key_path(app)
    if not path.exists() and (app.debug or app.testing):
        make_key_file(app)
    if not path.exists():
        raise NoKeys(app)
    return _from_text(path.read_text(encoding="ascii"))


def public_key(vapid: Vapid) -> str:
    """The applicationServerKey browsers subscribe with: the uncompressed point, base64url."""
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                        serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def subject(app: Flask) -> str:
    """Whom a push service contacts about our messages: configured, else the public https
    address, else the mail sender."""
    if app.config.get("VAPID_SUBJECT"):
        return app.config["VAPID_SUBJECT"]
    public = urlsplit(app.config.get("PUBLIC_URL", ""))
    if public.scheme == "https" and public.hostname:
        return f"https://{public.hostname}"
    return f"mailto:{app.config['MAIL_SENDER']}"
