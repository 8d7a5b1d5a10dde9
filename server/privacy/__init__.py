"""Privacy by design: the basis for keeping data, retention, a person's export and erasure,
access outside one's scope, the audit pages. Features register their parts with
``server.core.privacy`` (docs/privacy.md)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..core.privacy import on_erase, subject_data
    from ..people import queries as people
    from ..people.views import OUT_OF_SCOPE
    from . import audit_log, audit_views, signins
    from .cli import privacy_cli
    from .glass import forget_person, granted
    from .views import ask_for_reason, bp

    app.register_blueprint(bp)
    app.register_blueprint(audit_views.bp)
    app.cli.add_command(privacy_cli)
    app.after_request(signins.record_sign_in)
    app.jinja_env.globals["audit_action_label"] = lambda action: audit_log.ACTION_LABELS.get(
        action, action)
    people.granted_view(granted)  # break the glass: pages only, never pulled
    if ask_for_reason not in OUT_OF_SCOPE:
        OUT_OF_SCOPE.append(ask_for_reason)
    subject_data("access_log", audit_log.subject_data)
    on_erase(forget_person)
