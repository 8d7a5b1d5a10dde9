"""The service directory (sociale kaart)."""

from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup

from ..labels import native_language_name
from .queries import localised_with_language


def _language() -> str:
    return str(get_locale()).split("_")[0]


def service_name(service) -> str:
    """As plain text (a choice in a form): a fallback says its language, "Naam (Nederlands)"."""
    code, text = localised_with_language(service.names, _language())
    return text if code == _language() else f"{text} ({native_language_name(code)})"


def service_text(service, field: str = "names") -> Markup:
    """The name or description in the reader's language; a fallback carries its lang
    attribute and is marked with its language's name."""
    texts = getattr(service, field) or {}
    if not texts:
        return Markup("")
    code, text = localised_with_language(texts, _language())
    if code == _language():
        return Markup("<bdi>{}</bdi>").format(text)
    return Markup('<bdi lang="{0}" dir="auto">{1}</bdi> <small class="fallback-language" '
                  'lang="{0}">({2})</small>').format(code, text, native_language_name(code))


def service_description(service) -> Markup:
    return service_text(service, "descriptions")


def init_app(app: Flask) -> None:
    from ..sync.registry import record_type
    from ..working_set import keep, keep_per_record
    from .manage import bp as manage_bp
    from .models import Service
    from .queries import sync_data, visible_services
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(manage_bp)
    keep(app, "/services/", concerns=("service",))
    keep_per_record(app, "service", "/services/{id}")
    record_type("service", Service, visible=visible_services, data=sync_data)
    app.jinja_env.globals.update(service_name=service_name, service_text=service_text,
                                 service_description=service_description)
