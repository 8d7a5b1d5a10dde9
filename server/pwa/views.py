"""The service worker (at /sw.js so its scope is the whole app), manifest, offline page."""

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _

from .. import assets, working_set
from ..web import actor
from . import bundle

bp = Blueprint("pwa", __name__, template_folder="templates")


@cache
def _service_worker(folder: str, static_url: str, manifest_url: str, minify: bool) -> str:
    """sw.js with its cache version set to a digest of everything in pwa/ (any changed file
    makes a new worker, which fills new caches and deletes the old ones) and its app shell
    listed from the same files."""
    files = sorted(path for path in Path(folder).rglob("*")
                   if path.is_file() and not path.name.startswith(".") and path.name != "sw.js")
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update((Path(folder) / "sw.js").read_bytes())
    shell = [f"{static_url}/{path.relative_to(folder).as_posix()}" for path in files] + [manifest_url]
    source = (Path(folder) / "sw.js").read_text(encoding="utf-8")
    source = source.replace("const SHELL = [];", f"const SHELL = {json.dumps(shell)};", 1)
    source = source.replace('const VERSION = "dev";', f'const VERSION = "{digest.hexdigest()[:12]}";', 1)
    return assets.minified(".js", source) if minify else source


@bp.get("/sw.js")
def service_worker():
    made = _service_worker if not current_app.debug else _service_worker.__wrapped__
    body = made(current_app.static_folder, current_app.static_url_path, url_for("pwa.manifest"),
                current_app.config["MINIFY_ASSETS"])
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Service-Worker-Allowed"] = "/"
    # Looked at again after five minutes, not on every page opened (the browser checks for a
    # new worker at each navigation; registered with updateViaCache "all", pwa/js/app.js).
    # While developing, DevTools' "Update on reload" takes a changed worker at once.
    response.headers["Cache-Control"] = "max-age=300"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    body = {
        "name": "handvast",
        "short_name": "handvast",
        "description": _("Log your first-line integration work, also without signal."),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d4b",
        "icons": [
            {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": "/static/icons/maskable-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = make_response(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/offline")
def offline():
    return render_template("pwa/offline.html")


@bp.get("/working-set.json")
def working_set_for_me():
    """The pages this user's phone keeps (server/working_set.py); revalidated by ETag, so a
    phone that asks again pays a 304."""
    response = make_response(working_set.for_actor(current_app, actor()))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/api/v1/sync/pages")
def page_bundle():
    """Many kept pages in one streamed answer (server/pwa/bundle.py)."""
    current = actor()
    try:
        pages = bundle.read_pages(request.get_json(silent=True))
    except bundle.BadRequest as exc:
        response = jsonify(error=str(exc))
        response.status_code = 400
        return response
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    listed = [(path, etag, working_set.keeps(app, current, path)) for path, etag in pages]
    return bundle.response(app, listed, current_app.config["SYNC_SNAPSHOT_SECONDS"] * 4)
