"""Welcome (onthaal): the register's new residents, a welcome visit each, inflow reached."""

from flask import Flask

from . import fields  # noqa: F401 - declares the record types, the visit's mutation type


def init_app(app: Flask) -> None:
    from ..auth import PUBLIC_ENDPOINTS
    from ..sync.registry import record_type
    from . import cli, operations, queries  # noqa: F401 - the operations register handlers
    from .manage import bp as manage_bp
    from .models import Household, WelcomeVisit
    from .reports import PUBLIC
    from .reports import bp as reports_bp
    from .views import bp

    for blueprint in (bp, manage_bp, reports_bp):
        app.register_blueprint(blueprint)
    PUBLIC_ENDPOINTS.update(PUBLIC)  # the welcome page per language: no personal data
    record_type("household", Household, visible=queries.visible_households,
                data=queries.household_data)
    record_type("welcome_visit", WelcomeVisit, visible=queries.visible_visits,
                data=queries.visit_data)
    cli.init_app(app)
    from . import labels

    app.jinja_env.globals["welcome_labels"] = labels
