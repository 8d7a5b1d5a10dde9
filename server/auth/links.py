"""Links that leave the app (invitation mails, links to copy): built from the configured
public address, never from the request's Host or X-Forwarded-Host, which a client chooses."""

from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for


def check_public_url(app: Flask) -> None:
    """At start: PUBLIC_URL is a plain http(s) address; behind a proxy it must be set."""
    configured = app.config["PUBLIC_URL"]
    if configured:
        parts = urlsplit(configured)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
                or parts.fragment:
            raise RuntimeError(f"PUBLIC_URL must look like https://handvast.example.be, "
                               f"not {configured!r}")
        app.config["PUBLIC_URL"] = configured.rstrip("/")
    elif app.config["PROXY_FIX"]:
        raise RuntimeError("Behind a proxy (HTTPS=1) set PUBLIC_URL to the address people "
                           "open, e.g. PUBLIC_URL=https://handvast.example.be: invitation "
                           "links are built from it.")


def public_link(endpoint: str, **values: str) -> str:
    """An absolute link to ``endpoint``; in development (no PUBLIC_URL, no proxy) the address
    this request came to."""
    path = url_for(endpoint, **values)
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return base + path
