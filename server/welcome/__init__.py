"""Welcome (onthaal): the register's new residents, a welcome visit each, inflow reached."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record types, the visit's mutation type


def init_app(app: Flask) -> None:
    from ..auth import PUBLIC_ENDPOINTS
    from ..core import privacy
    from ..core.access import receives_register_data
    from ..sync.registry import record_type
    from ..working_set import field_users, keep, keep_per_record
    from . import cli, operations, queries  # the operations register handlers
    from .manage import bp as manage_bp
    from .models import Household, WelcomeVisit
    from .reports import PUBLIC
    from .reports import bp as reports_bp
    from .views import bp

    def visitors(actor) -> bool:  # police separation: never an officer's phone
        return receives_register_data(actor.roles)

    for blueprint in (bp, manage_bp, reports_bp):
        app.register_blueprint(blueprint)
    keep(app, "/welcome/", who=visitors, concerns=("household", "welcome_visit"))
    keep(app, "/welcome/pack", who=field_users)
    keep_per_record(app, "household", "/welcome/households/{id}", who=visitors)
    keep_per_record(app, "household", "/welcome/households/{id}/visit", who=visitors)
    PUBLIC_ENDPOINTS.update(PUBLIC)  # the welcome page per language: no personal data
    record_type("household", Household, visible=queries.visible_households,
                data=queries.household_data)
    record_type("welcome_visit", WelcomeVisit, visible=queries.visible_visits,
                data=queries.visit_data)
    cli.init_app(app)
    # The unreached are forgotten after WELCOME_FORGET_MONTHS by `flask welcome forget`;
    # privacy's retention takes the rest 24 months after their last visit.
    privacy.retention("household", 24, expired=queries.expired_households,
                      forget=operations.forget_households, action=privacy.ANONYMISE,
                      label=N_("Welcome households and their visits"))
    privacy.activity("welcome", queries.people_active_since)
    privacy.subject_data("welcome", queries.subject_data)
    privacy.on_erase(operations.erase_person_households)
    privacy.on_forget("referral", operations.detach_referrals)
    from . import labels

    app.jinja_env.globals["welcome_labels"] = labels
    app.jinja_env.globals["receives_register_data"] = receives_register_data
