"""Language choice (user, then browser, then municipality), text direction, catalog commands."""

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from babel.lists import format_list
from flask import Flask, current_app, g, jsonify, redirect, request, session
from flask_babel import format_date, format_time, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from ..extensions import babel
from ..web import safe_next
from .catalogs import languages_present
from .cli import i18n_cli
from .scripts import script_catalog


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
    """From CLDR, so a new right-to-left language (fa, he, ur…) needs no code."""
    return "rtl" if get_locale().character_order == "right-to-left" else "ltr"


def isolate(text: object) -> Markup:
    """<bdi> around user text inside a translated sentence: an Arabic name in a Dutch
    sentence (or a Dutch service in an Arabic one) keeps its own direction."""
    return Markup("<bdi>{}</bdi>").format(text)


def plus(count: int) -> Markup:
    """"+2" that reads "+2" in Arabic too: left to right, isolated from the sentence around it
    (in a right-to-left line the sign would otherwise move behind the number)."""
    return Markup('<bdi dir="ltr">+{}</bdi>').format(int(count))


def list_of(items: Iterable[object]) -> Markup:
    """Items joined as the language joins a list: "Arabisch, Frans en Nederlands", "العربية
    والفرنسية", with Arabic's "،". Items are escaped unless they are markup already (links)."""
    parts = list(items)
    if not parts:
        return Markup()
    locale = get_locale()
    # CLDR's standard Arabic list joins every item with "و" alone; written Arabic separates
    # three or more items with "،" as well, which CLDR keeps in its unit style (whose pattern
    # for two items Babel garbles; two items take "و" alone anyway).
    style = "unit" if locale.language == "ar" and len(parts) > 2 else "standard"
    pattern = format_list([f"{{{i}}}" for i in range(len(parts))], style=style, locale=locale)
    return escape(pattern).format(*parts)  # the language's separators, the items escaped


def date_and_time(value: datetime) -> str:
    """A moment as the language writes it, to the minute (never seconds): "12 nov 2026, 14:05"."""
    pattern = get_locale().datetime_formats.get("medium", "{1} {0}")
    return str(pattern).format(format_time(value, "short"), format_date(value, "medium"))


def offered_languages(default: str, directories: str) -> list[str]:
    """Every language with a catalog, the default first: a new catalog is a new language."""
    present = {code for directory in directories.split(";")
               for code in languages_present(Path(directory))}
    return [default, *sorted(present - {default})]


def choose_language():
    """POST /language: remember the choice for this browser and, signed in, for the user."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
    return redirect(safe_next(request.form.get("next")), code=303)


def script_messages():
    """The catalog of the page's language for scripts and the service worker (pwa/js/i18n.js),
    cached by the service worker so that offline texts are translated too."""
    response = jsonify(script_catalog(str(get_locale())))
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def init_app(app: Flask) -> None:
    if not app.config.get("LANGUAGES"):
        app.config["LANGUAGES"] = offered_languages(app.config["BABEL_DEFAULT_LOCALE"],
                                                    app.config["BABEL_TRANSLATION_DIRECTORIES"])
    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["BABEL_DEFAULT_TIMEZONE"])
    app.add_url_rule("/language", "choose_language", choose_language, methods=["POST"])
    app.add_url_rule("/i18n/messages.json", "script_messages", script_messages)
    app.cli.add_command(i18n_cli)
    app.jinja_env.filters["bdi"] = isolate
    app.jinja_env.filters["list_of"] = list_of
    app.jinja_env.filters["plus"] = plus
    app.jinja_env.filters["date_and_time"] = date_and_time

    @app.context_processor
    def language_context() -> dict:
        return {"text_direction": text_direction, "current_locale": lambda: str(get_locale()),
                "languages": app.config["LANGUAGES"]}
