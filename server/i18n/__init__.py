"""Language choice (user, then browser, then municipality), text direction, catalog commands."""

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from ..extensions import babel, db
from .cli import i18n_cli

RTL = frozenset({"ar", "fa", "he", "ur", "ps"})


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(current_user, "locale", None) if current_user.is_authenticated else None
    chosen = chosen or session.get("locale")
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    municipality = getattr(g, "municipality", None)
    return municipality.default_locale if municipality else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def text_direction() -> str:
    return "rtl" if str(get_locale()).split("_")[0] in RTL else "ltr"


def choose_language():
    """POST /language: remember the choice for this browser and, signed in, for the user."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("home.index")
    return redirect(target, code=303)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["BABEL_DEFAULT_TIMEZONE"])
    app.add_url_rule("/language", "choose_language", choose_language, methods=["POST"])
    app.cli.add_command(i18n_cli)

    @app.context_processor
    def language_context() -> dict:
        return {"text_direction": text_direction, "current_locale": lambda: str(get_locale()),
                "languages": app.config["LANGUAGES"]}
