"""Sending to the address that was checked. The runner resolves a push service's name just
before each send and refuses any non-public address (subscriptions.public_addresses); the
HTTP library would resolve the name again when it connects, and a name that answered a
public address to the check may answer 127.0.0.1 a moment later (DNS rebinding). This
adapter connects to the checked address itself, while TLS still verifies the push service's
name and the Host header still carries it."""

from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter


class NotPinned(requests.ConnectionError):
    """A request to a name no send-time check approved."""


class PinnedAdapter(HTTPAdapter):
    def __init__(self) -> None:
        super().__init__(max_retries=0)
        self.pins: dict[str, str] = {}

    def pin(self, host: str, address: str) -> None:
        self.pins[host.lower()] = address

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        host = (urlsplit(request.url).hostname or "").lower()
        address = self.pins.get(host)
        if address is None:
            raise NotPinned(f"no checked address for {host}", request=request)
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        pool_kwargs = {**pool_kwargs, "server_hostname": host, "assert_hostname": host}
        return self.poolmanager.connection_from_host(
            **{**host_params, "host": address}, pool_kwargs=pool_kwargs)

    def add_headers(self, request, **kwargs) -> None:
        request.headers["Host"] = urlsplit(request.url).netloc.rsplit("@", 1)[-1]


def pinned_session() -> requests.Session:
    """A session for the push services: HTTPS only through the adapter, no redirects, no
    proxy from the environment (a proxy would resolve the name itself)."""
    session = requests.Session()
    session.trust_env = False
    session.max_redirects = 0
    session.mount("https://", PinnedAdapter())
    return session
