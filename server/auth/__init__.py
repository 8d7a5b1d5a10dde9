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

    app.register_blueprint(bp)
