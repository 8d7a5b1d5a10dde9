"""The push runner connects to the address its send-time check approved, never to what the
name resolves to a moment later (DNS rebinding), and TLS still verifies the push service's
name: a real HTTPS server on loopback with a certificate for a name that resolves nowhere."""

import datetime
import http.server
import ssl
import threading

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from server.push.pinning import NotPinned, pinned_session

NAME = "push.handvast.test"  # .test never resolves: only the pin can reach the server


def _certificate(tmp_path, name: str):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def push_service(tmp_path):
    """An HTTPS server on 127.0.0.1 presenting a certificate for NAME; records Host headers."""
    cert, key = _certificate(tmp_path, NAME)
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.headers["Host"])
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], str(cert), seen
    server.shutdown()
    server.server_close()


def test_the_send_goes_to_the_checked_address_with_the_name_verified(push_service):
    port, ca, seen = push_service
    with pinned_session() as http:
        http.get_adapter(f"https://{NAME}/").pin(NAME, "127.0.0.1")
        answer = http.post(f"https://{NAME}:{port}/wpush/x", data=b"x", verify=ca, timeout=5)
    assert answer.status_code == 201
    assert seen == [f"{NAME}:{port}"]


def test_a_name_no_check_approved_is_not_connected_to(push_service):
    port, ca, seen = push_service
    with pinned_session() as http, pytest.raises(NotPinned):
        http.post(f"https://localhost:{port}/wpush/x", data=b"x", verify=ca, timeout=5)
    assert seen == []


def test_tls_verifies_the_push_service_name_not_the_address(push_service):
    """Pinned to an address whose certificate is for another name: refused by TLS."""
    port, ca, seen = push_service
    with pinned_session() as http:
        http.get_adapter("https://other.handvast.test/").pin("other.handvast.test", "127.0.0.1")
        with pytest.raises(requests.exceptions.SSLError):
            http.post(f"https://other.handvast.test:{port}/wpush/x", data=b"x", verify=ca,
                      timeout=5)
    assert seen == []
