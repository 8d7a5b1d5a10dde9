"""What every page shares: page-or-fragment rendering, error pages, template helpers."""

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    session,
    url_for,
)
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from jinja2_fragments.flask import render_block
from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter
from wtforms import ValidationError

from . import assets, labels
from .core.access import Actor
from .core.errors import Forbidden, NotFound, ValidationFailed
from .core.ids import new_id
from .core.validate import clean_line, whole_number

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from .core.mutations import Mutation, Result


def actor() -> Actor:
    """The signed-in user's Actor (set before each request by auth); a signed-in user without
    any role here gets a 404, never data."""
    if g.get("actor") is None:
        abort(404)
    return g.actor


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request")


def page(template: str, block: str | None = None, status: int = 200, **context: Any) -> Response:
    """The full page, or for an htmx request only ``block`` of it; caches keep them apart."""
    if block and is_htmx():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.headers["Vary"] = "HX-Request"
    return response


def safe_next(target: str | None) -> str:
    """Where to go after signing in or choosing a language: a path of this site, else home.
    Never an open redirect: browsers drop tabs and line breaks from a URL, so "/<tab>/evil" is
    "//evil", another host; and a line break in a header is no answer at all."""
    home = url_for("home.index")
    if not target or not target.startswith("/") or any(
            ch.isspace() or not ch.isprintable() for ch in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//") or "\\" in target:
        return home
    return target


# A page the phone must not keep (it holds a private or sensitive note): the service worker
# (pwa/sw.js, pwa/js/pages.js) never stores a response carrying this header.
NOT_KEPT_HEADER = "X-Handvast-Keep"


def not_kept(response: Response) -> Response:
    response.headers[NOT_KEPT_HEADER] = "no"
    response.headers["Cache-Control"] = "no-store"
    return response


def flashed_not_kept(response: Response) -> Response:
    """A page that showed a message after a save ("Contact saved.") is not kept on the phone:
    its copy would show the message again, offline, days later."""
    if getattr(request_ctx, "flashes", None):
        not_kept(response)
    return response


def large_upload(view):
    """A view that takes a file larger than MAX_CONTENT_LENGTH, up to WELCOME_MAX_UPLOAD_BYTES
    (transaction.LimitedRequest reads the mark)."""
    view.large_upload = True
    return view


def downloads_not_kept(response: Response) -> Response:
    """A download (an export, an hours sheet, a calendar file) is the user's, in their
    downloads: neither the phone's page store nor the browser's cache keeps a copy."""
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        not_kept(response)
    return response


def revalidated(response: Response) -> Response:
    """A page answered with an ETag, the digest of exactly the bytes served, and a 304 when
    the phone's copy (If-None-Match) has those bytes: the phone refreshes the pages it keeps
    for a few hundred bytes each (pwa/js/pages.js). Never for a page the phone must not keep."""
    if (request.method == "GET" and response.status_code == 200 and not response.direct_passthrough
            and not request.path.startswith("/api/") and NOT_KEPT_HEADER not in response.headers):
        response.add_etag()
        response.make_conditional(request)
    return response


def read_whole(response: Response) -> Response:
    """A file of pwa/ read into the response (they are small): then it is minified (scripts and
    stylesheets, server/assets.py) and compressed like a page (server/extensions.py), and no
    compressing stream holds the file open."""
    if response.direct_passthrough and request.endpoint == "static" and response.status_code == 200:
        source = response.response
        response.direct_passthrough = False
        try:
            body = b"".join(source)
        finally:
            getattr(source, "close", lambda: None)()
        if current_app.config["MINIFY_ASSETS"] and assets.minifiable(request.path):
            body = assets.minify(request.path, body)
        response.set_data(body)
    return response


# The session key under which the pages' CSRF token is kept (a name, not a secret).
PAGE_CSRF_TOKEN = "page_csrf_token"  # nosec B105


def page_csrf_token() -> str:
    """The CSRF token pages carry, signed once per session rather than once per second: a
    page then renders to the same bytes until what it shows changes, and its ETag holds. (The
    token has no time limit: WTF_CSRF_TIME_LIMIT in server/config.py.)"""
    kept = session.get(PAGE_CSRF_TOKEN)
    try:
        validate_csrf(kept)
    except ValidationError:
        kept = session[PAGE_CSRF_TOKEN] = generate_csrf()
    return kept


def form_errors(exc: ValidationFailed) -> dict[str, str]:
    """Field -> translated reason, for inline display."""
    return {e.field: _(e.reason) for e in exc.errors}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


class IdConverter(BaseConverter):
    """<id:name> in a route: a record id (a canonical UUID) or no match, so nothing else (a
    NUL byte, a word) ever reaches a query."""

    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(_exc: Exception) -> tuple[Any, int]:
        if _wants_json():
            return jsonify(error="not found"), 404
        return render_template("errors/404.html"), 404

    @app.errorhandler(Forbidden)
    def forbidden(_exc: Exception) -> tuple[Any, int]:
        # Indistinguishable from a missing record: no probing.
        return not_found(_exc)

    @app.errorhandler(429)
    def too_many(_exc: Exception) -> tuple[Any, int]:
        if _wants_json():
            return jsonify(error="too many requests"), 429
        return render_template("errors/429.html"), 429

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> tuple[Any, int]:
        if _wants_json():
            return jsonify(error="request too large"), 413
        megabytes = current_app.config["WELCOME_MAX_UPLOAD_BYTES"] // (1024 * 1024)
        return render_template("errors/400.html", reason=_(
            "What was sent is too large. A file to import may be at most %(size)s MB.",
            size=megabytes)), 413

    @app.errorhandler(400)
    def bad_request(exc: Any) -> tuple[Any, int]:
        if _wants_json():
            return jsonify(error=getattr(exc, "description", "bad request")), 400
        # A reason of ours (abort(400, description=_(...))) is shown; the libraries' own
        # (Werkzeug's default, Flask-WTF's CSRF messages) are English only: the page's text.
        reason = getattr(exc, "description", "")
        if isinstance(exc, CSRFError) or reason == BadRequest.description:
            reason = ""
        return render_template("errors/400.html", reason=reason), 400

    app.after_request(revalidated)
    app.after_request(flashed_not_kept)  # runs first: after_request functions run in reverse
    app.after_request(downloads_not_kept)
    app.after_request(read_whole)
    # Pages carry the session's stable token: a global for macros imported without context
    # (_forms.html), and in the context, where Flask-WTF put its own.
    app.jinja_env.globals["csrf_token"] = page_csrf_token
    app.jinja_env.globals["field_label"] = labels.field_label  # the error summary's (_forms.html)
    app.jinja_env.globals["form_spec"] = form_spec
    app.context_processor(lambda: {"csrf_token": page_csrf_token})
    app.jinja_env.filters["role_label"] = lambda role: labels.ROLE_LABELS[role]
    app.jinja_env.filters["language_name"] = labels.language_name
    app.jinja_env.filters["domain_label"] = lambda code: labels.DOMAIN_LABELS[code]

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {"labels": labels, "language_name_native": labels.native_language_name,
                "field_label": labels.field_label}


def form_spec(mutation_type: str) -> dict[str, str]:
    """A mutation form's ``data-spec`` (pwa/js/forms.js), from the declaration of its type."""
    from .core.records import INPUTS

    return INPUTS[mutation_type].form_kinds()


def mutation_from_form(mutation_type: str, fields: dict[str, Any],
                       record_id: str | None = None) -> "Mutation":
    """A form post as a mutation: ids made by the page's script on save, else here."""
    from .core.ids import parse_id
    from .core.mutations import Mutation

    return Mutation(
        id=parse_id(request.form.get("mutation_id")) or new_id(),
        type=mutation_type,
        record_id=record_id or parse_id(request.form.get("record_id")) or new_id(),
        fields=fields,
        base_version=_base_version(),  # type: ignore[arg-type]
    )


def _base_version() -> int | str | None:
    """Not a whole number: passed on as typed, and refused with a reason like any field."""
    text = request.form.get("base_version", "").strip()
    if not text:
        return None
    number = whole_number(text)
    return text if number is None else number


def out_of_reach(result: "Result") -> bool:
    """The operation refused the record itself (missing, or not this actor's to change): the
    page answers 404, as for a record out of scope. The operation is the one place that
    decides who may change what; views do not ask again."""
    from .sync.apply import NOT_ALLOWED

    return result.status == "rejected" and any(
        e.field == "record_id" and e.reason == NOT_ALLOWED for e in result.errors)


def result_errors(result: "Result") -> dict[str, str]:
    return {e.field: _(e.reason) for e in result.errors}


def search_text(source: "MultiDict[str, str] | None" = None) -> str:
    """The q of a search box, at most 100 printable characters cleaned as names are stored (a
    NUL byte never reaches the database: PostgreSQL refuses it)."""
    text = (request.args if source is None else source).get("q", "")[:100]
    return "".join(ch for ch in clean_line(text) if ch.isprintable())


def form_values(*names: str) -> dict[str, str]:
    """Only the named fields of the posted form (never the CSRF token or extras)."""
    return {name: request.form[name] for name in names if name in request.form}
