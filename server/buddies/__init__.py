"""The buddy programme (peter/meterschap): profiles, wishes, matching, pairs and sessions."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record types, their mutation types


def init_app(app: Flask) -> None:
    from ..calendar.events import event_source
    from ..core import privacy
    from ..sync.registry import on_access_change, record_type
    from ..welcome import hooks as welcome_hooks
    from ..working_set import keep, keep_per_record
    from . import (  # noqa: F401 - handlers, reminder sources, the session pages' routes
        calendar,
        cli,
        operations,
        queries,
        reminders,
        session_views,
    )
    from .models import BuddyPair, BuddyProfile, BuddySession, BuddyWish
    from .views import bp

    app.config.setdefault("BUDDY_ANSWER_DAYS", 7)  # a proposal lapses unanswered after this
    app.config.setdefault("BUDDY_STALLED_DAYS", 21)  # an active pair without a session
    app.config.setdefault("BUDDY_PAIR_MONTHS", 12)  # how long a pair is meant to run
    app.register_blueprint(bp)
    keep(app, "/buddies/", who=queries.takes_part, concerns=("buddy_pair", "buddy_session",
                                                              "buddy_wish", "buddy_profile"))
    keep(app, "/buddies/profile", who=queries.is_buddy, concerns=("buddy_profile",))
    keep_per_record(app, "buddy_pair", "/buddies/pairs/{id}")
    keep_per_record(app, "buddy_pair", "/buddies/pairs/{id}/plan", who=queries.is_buddy)
    keep_per_record(app, "buddy_session", "/buddies/sessions/{id}")
    app.cli.add_command(cli.group)
    record_type("buddy_profile", BuddyProfile, visible=queries.visible_profiles,
                data=queries.profile_data)
    record_type("buddy_wish", BuddyWish, visible=queries.visible_wishes, data=queries.wish_data)
    record_type("buddy_pair", BuddyPair, visible=queries.visible_pairs, data=queries.pair_data)
    record_type("buddy_session", BuddySession, visible=queries.visible_sessions,
                data=queries.session_data)
    on_access_change("person", operations.relog_for_person)
    welcome_hooks.on_buddy_wish(operations.wish_from_welcome)  # "would like a buddy" at a visit
    event_source(calendar.buddy_sessions)
    privacy.retention("buddy_pair", 24, expired=queries.expired_pairs,
                      forget=operations.erase_pairs, label=N_("Buddy pairs and their sessions"))
    privacy.retention("buddy_profile", 24, expired=queries.expired_profiles,
                      forget=operations.erase_profiles, label=N_("Profiles of former buddies"))
    privacy.activity("buddies", queries.people_active_since)
    privacy.subject_data("buddies", queries.subject_data)
    privacy.on_erase(operations.erase_person_buddies)
