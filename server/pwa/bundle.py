"""Many kept pages in one response: the phone asks for the pages of its working set it lacks
or must revalidate, and receives them as lines of JSON, each rendered by its own view as if
the phone had asked for it alone (same scope, same ETag, same "not kept" mark), compressed as one
stream so that the markup the pages share is sent once (pwa/js/pages.js)."""

import io
import json
import re
import time
import zlib
from collections.abc import Iterator

import brotli
from flask import Flask, Response, request

MAX_PAGES = 500
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
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


FLUSH_EVERY = 256 * 1024  # bytes of pages between flushes: the phone sees progress


class _Gzip:
    def __init__(self) -> None:
        self.packer = zlib.compressobj(6, zlib.DEFLATED, 31)

    def process(self, data: bytes) -> bytes:
        return self.packer.compress(data)

    def flush(self) -> bytes:
        return self.packer.flush(zlib.Z_SYNC_FLUSH)

    def finish(self) -> bytes:
        return self.packer.flush()


def _packer(encoding: str):
    # Brotli's window (4 MiB here) spans many pages, so what they share is sent once; gzip's
    # 32 KiB spans two or three. Phones ask for br over HTTPS, browsers not over plain HTTP.
    return brotli.Compressor(quality=5, lgwin=22) if encoding == "br" else _Gzip()


def _packed(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    # Flushing after every page would cost each page a block of its own: flush now and then.
    packer, pending = _packer(encoding), 0
    for chunk in chunks:
        packed = packer.process(chunk)
        pending += len(chunk)
        if pending >= FLUSH_EVERY:
            packed += packer.flush()
            pending = 0
        if packed:
            yield packed
    yield packer.finish()


def _encoding() -> str | None:
    accepted = request.accept_encodings
    return next((name for name in ("br", "gzip") if accepted[name]), None)


def response(app: Flask, pages: list[tuple[str, str | None, bool]],
             budget_seconds: float) -> Response:
    """The streamed bundle of [(path, etag, in the working set)]. Each page renders in a
    request context of its own, after this request's has ended, with this request's cookie:
    exactly as if the phone had fetched it."""
    # Pages of one template side by side: within gzip's window, each finds its like.
    pages = sorted(pages, key=lambda page: UUID.sub("{id}", page[0]))
    lines = _lines(app, dict(request.environ), pages, budget_seconds)
    encoding = _encoding()
    out = Response(_packed(lines, encoding) if encoding else lines, mimetype="application/x-ndjson")
    if encoding:
        out.headers["Content-Encoding"] = encoding
    out.headers["Cache-Control"] = "no-store"
    out.headers["Vary"] = "Accept-Encoding"
    return out
