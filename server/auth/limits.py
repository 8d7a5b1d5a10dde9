"""What the sign-in steps (password, second factor) count failures by: the client's address,
an IPv6 /64 as one, and the limit LOGIN_LIMITS. Failures count per account *and* address: an
attacker failing from their own address locks only that address out of the account, never the
owner signing in from theirs; and per address, across accounts."""

import ipaddress

from flask import current_app, request


def client_address() -> str:
    """The client's address; for IPv6 its /64, which one attacker holds whole."""
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return request.remote_addr or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def login_limits() -> str:
    return current_app.config["LOGIN_LIMITS"]
