"""Accounts, sign-in, roles per municipality."""

from flask import Flask, jsonify, redirect, request, url_for
from flask_login import current_user

from ..extensions import login_manager
from . import sessions

PUBLIC_ENDPOINTS = {"auth.login", "auth.login_post", "auth.accept_invite", "static",
                    "choose_language", "script_messages", "pwa.service_worker", "pwa.manifest", "pwa.offline",
                    "sync.openapi_document", "home.health", "privacy.notice"}


def needs_login() -> bool:
    return request.endpoint not in PUBLIC_ENDPOINTS and request.endpoint is not None


def init_app(app: Flask) -> None:
    from ..web import safe_next
    from . import cli  # noqa: F401  (flask sync restored)
    from .factor_views import OPEN_WHILE_PENDING
    from .factor_views import bp as factor_bp
    from .links import check_public_url
    from .views import bp

    check_public_url(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    login_manager.user_loader(sessions.load_user)
    sessions.init_app(app)

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            return jsonify(error="not signed in", reason=sessions.ended_reason()), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def require_login():
        if needs_login() and not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    @app.before_request
    def require_second_factor():
        """A session whose second factor is still to come reaches the second-factor pages and
        nothing else: no page, fragment or API answer with personal data."""
        if (not needs_login() or not current_user.is_authenticated
                or request.endpoint in OPEN_WHILE_PENDING
                or not sessions.second_factor_pending(current_user._get_current_object())):
            return None
        if request.path.startswith("/api/"):
            return jsonify(error="second factor required"), 403
        wanted = request.full_path.rstrip("?") if request.method == "GET" else "/"
        return redirect(url_for("factor.verify", next=safe_next(wanted)))

    @app.context_processor
    def sign_in_context() -> dict:
        # Pages of a session still owing its second factor show no account menu, and the
        # phone neither keeps nor syncs anything for it (pwa/js/app.js looks for data-logout).
        return {"full_sign_in": lambda: current_user.is_authenticated and not
                sessions.second_factor_pending(current_user._get_current_object())}

    app.register_blueprint(bp)
    app.register_blueprint(factor_bp)
