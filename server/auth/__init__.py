"""Accounts, sign-in, roles per municipality."""

from flask import Flask, jsonify, redirect, request, session, url_for
from flask_login import current_user

from ..extensions import db, login_manager
from .current import load_actor
from .models import User

PUBLIC_ENDPOINTS = {"auth.login", "auth.login_post", "auth.accept_invite", "static",
                    "choose_language", "script_messages", "pwa.service_worker", "pwa.manifest", "pwa.offline",
                    "sync.openapi_document", "home.health"}


def _ended_reason() -> str | None:
    """Why a phone's session ended, when its cookie names a closed account: the phone then
    wipes the case data it keeps (pwa/js/sync.js); otherwise it only hides them."""
    user_id = session.get("_user_id")
    user = db.session.get(User, user_id) if isinstance(user_id, str) else None
    return "account closed" if user is not None and not user.active else None


def init_app(app: Flask) -> None:
    from .views import bp

    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, user_id)
        return user if user and user.active else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            return jsonify(error="not signed in", reason=_ended_reason()), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        load_actor()
        return None

    app.register_blueprint(bp)
