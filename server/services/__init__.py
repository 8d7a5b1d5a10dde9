"""The service directory (sociale kaart)."""

from flask import Flask
from flask_babel import get_locale

from .queries import localised


def service_name(service) -> str:
    return localised(service.names, str(get_locale()))


def service_description(service) -> str:
    return localised(service.descriptions, str(get_locale())) if service.descriptions else ""


def init_app(app: Flask) -> None:
    from ..sync.registry import record_type
    from ..working_set import keep, keep_per_record
    from .models import Service
    from .queries import sync_data, visible_services
    from .views import bp

    app.register_blueprint(bp)
    keep(app, "/services/", concerns=("service",))
    keep_per_record(app, "service", "/services/{id}")
    record_type("service", Service, visible=visible_services, data=sync_data)
    app.jinja_env.globals.update(service_name=service_name,
                                 service_description=service_description)
