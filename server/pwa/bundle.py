"""Many kept pages in one response: the phone asks for the pages of its working set it lacks
or must revalidate, and receives them as lines of JSON, each rendered by its own view as if
the phone had asked for it alone (same scope, same ETag, same "not kept" mark), gzipped as one
stream so that the markup the pages share is compressed once (pwa/js/pages.js)."""

import io
import json
import time
import zlib
from collections.abc import Iterator

from flask import Flask, Response, request

MAX_PAGES = 500
# Request headers a page is rendered with: who asks and in which language, nothing else.
PASSED = ("HTTP_COOKIE", "HTTP_ACCEPT_LANGUAGE", "HTTP_USER_AGENT", "HTTP_HOST",
          "REMOTE_ADDR", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "wsgi.url_scheme",
          "wsgi.version", "wsgi.errors", "wsgi.multithread", "wsgi.multiprocess",
          "wsgi.run_once", "SCRIPT_NAME")
HEADERS = ("Content-Type", "ETag", "X-Handvast-Keep", "Content-Language")


class BadRequest(ValueError):
    pass


def read_pages(body: object) -> list[tuple[str, str | None]]:
    """[(path, the phone's ETag or None)] of ``{"pages": [{"url", "etag"?}]}``."""
    pages = body.get("pages") if isinstance(body, dict) else None
    if not isinstance(pages, list):
        raise BadRequest("expected {\"pages\": [{\"url\": ..., \"etag\": ...}]}")
    if len(pages) > MAX_PAGES:
        raise BadRequest(f"more than {MAX_PAGES} pages")
    out = []
    for item in pages:
        url = item.get("url") if isinstance(item, dict) else None
        etag = item.get("etag") if isinstance(item, dict) else None
        if not isinstance(url, str) or not url.startswith("/") or len(url) > 300 or "?" in url:
            raise BadRequest("every page needs a url: a path of this site")
        if etag is not None and (not isinstance(etag, str) or len(etag) > 200):
            raise BadRequest("an etag is a short string")
        out.append((url, etag))
    return out


def _environ(base: dict, path: str, etag: str | None) -> dict:
    environ = {key: base[key] for key in PASSED if key in base}
    environ.update({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
                    "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0",
                    "HTTP_ACCEPT": "text/html"})
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    return environ


def _render(app: Flask, base: dict, path: str, etag: str | None) -> dict:
    with app.request_context(_environ(base, path, etag)):
        try:
            response = app.full_dispatch_request()
        except Exception:  # noqa: BLE001 - one page failing is said for that page only
            app.logger.exception("a page of a bundle failed")
            return {"url": path, "status": 500}
        line: dict = {"url": path, "status": response.status_code}
        if response.status_code == 200 and not response.direct_passthrough:
            line["headers"] = {k: response.headers[k] for k in HEADERS if k in response.headers}
            line["body"] = response.get_data(as_text=True)
        return line


def _lines(app: Flask, base: dict, pages: list[tuple[str, str | None, bool]],
           budget_seconds: float) -> Iterator[bytes]:
    started = time.monotonic()
    for done, (path, etag, kept) in enumerate(pages):
        if done and time.monotonic() - started > budget_seconds:
            yield json.dumps({"end": True, "more": True}).encode() + b"\n"
            return
        # A page not in the working set (any more) is not rendered: the phone lets it go.
        line = _render(app, base, path, etag) if kept else {"url": path, "status": 404}
        yield json.dumps(line, ensure_ascii=False).encode() + b"\n"
    yield json.dumps({"end": True, "more": False}).encode() + b"\n"


def _gzipped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        if packed := packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH):
            yield packed
    yield packer.flush()


def response(app: Flask, pages: list[tuple[str, str | None, bool]],
             budget_seconds: float) -> Response:
    """The streamed bundle of [(path, etag, in the working set)]. Each page renders in a
    request context of its own, after this request's has ended, with this request's cookie:
    exactly as if the phone had fetched it."""
    lines = _lines(app, dict(request.environ), pages, budget_seconds)
    gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    out = Response(_gzipped(lines) if gzip else lines, mimetype="application/x-ndjson")
    if gzip:
        out.headers["Content-Encoding"] = "gzip"
    out.headers["Cache-Control"] = "no-store"
    out.headers["Vary"] = "Accept-Encoding"
    return out
