"""A push service stand-in on loopback, started by the test itself, and devices subscribed to
it as a browser would be: a real P-256 key pair and auth secret per device.

It checks what a real push service checks — the VAPID token (``Authorization: vapid t=…,k=…``,
ES256 signed by the key in ``k``, ``aud`` the endpoint's origin, ``exp`` within 24 hours) —
and then does what the phone does: decrypts the RFC 8291 ``aes128gcm`` body with the device's
private key. Each endpoint can be told to answer another status (404, 410, 503)."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's subscription: what it posts (toJSON) and the secrets it keeps."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    def to_json(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}


@dataclass
class Delivery:
    path: str
    payload: dict
    headers: dict  # names in lower case
    vapid_public_key: str
    claims: dict


@dataclass
class PushServiceStandIn:
    devices: dict[str, Device] = field(default_factory=dict)  # by path
    received: list[Delivery] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why a request failed the checks
    answers: dict[str, int] = field(default_factory=dict)  # path -> status to answer

    def start(self) -> "PushServiceStandIn":
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                status = stand_in.receive(self.path, {k.lower(): v for k, v in self.headers.items()},
                                          self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def device(self) -> Device:
        path = f"/push/{b64url(os.urandom(16))}"
        device = Device(self.origin + path, ec.generate_private_key(ec.SECP256R1()),
                        os.urandom(16))
        self.devices[path] = device
        return device

    def receive(self, path: str, headers: dict, body: bytes) -> int:
        try:
            public_key, claims = self._check_vapid(headers.get("authorization", ""))
            device = self.devices[path]
            plain = http_ece.decrypt(body, private_key=device.private_key,
                                     auth_secret=device.auth, version="aes128gcm")
            payload = json.loads(plain)
        except (AssertionError, KeyError, ValueError, InvalidSignature) as exc:
            self.refused.append(f"{type(exc).__name__}: {exc}")
            return 400
        status = self.answers.get(path, 201)
        if status < 300:
            self.received.append(Delivery(path, payload, headers, public_key, claims))
        return status

    def _check_vapid(self, authorization: str) -> tuple[str, dict]:
        scheme, _, params = authorization.partition(" ")
        assert scheme.lower() == "vapid", f"not a VAPID authorization: {scheme!r}"
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        token, key = parts["t"], parts["k"]
        signing_input, _, signature = token.rpartition(".")
        header_b64, _, claims_b64 = signing_input.partition(".")
        header, claims = json.loads(unb64url(header_b64)), json.loads(unb64url(claims_b64))
        assert header["alg"] == "ES256", header
        raw = unb64url(signature)
        assert len(raw) == 64, "an ES256 signature is r and s, 32 bytes each"
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key)).verify(
            der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        assert claims["aud"] == self.origin, f"aud {claims['aud']} is not {self.origin}"
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600, "exp not within 24 h"
        assert claims["sub"].startswith(("mailto:", "https://")), claims["sub"]
        return key, claims
