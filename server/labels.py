"""Translated labels for the codes in core.vocab."""

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

DOMAIN_LABELS = {
    "civil_affairs": _l("Civil affairs"),
    "education": _l("Education"),
    "integration": _l("Integration and civic integration"),
    "dutch_language": _l("Dutch language"),
    "safety": _l("Safety and prevention"),
    "welfare_health": _l("Welfare and health"),
    "youth_sport_culture": _l("Youth, sport and culture"),
    "housing_environment": _l("Environment and housing"),
    "work": _l("Work"),
}
CHANNEL_LABELS = {
    "home_visit": _l("Home visit"),
    "street": _l("Street"),
    "phone": _l("Phone"),
    "drop_in": _l("Drop-in"),
    "school": _l("At school"),
    "office": _l("At the office"),
    "other": _l("Other"),
}
VISIBILITY_LABELS = {
    "team": _l("Team"),
    "private": _l("Private (me and the coordinator)"),
    "sensitive": _l("Sensitive (health, psychological; every read is logged)"),
}
REFERRAL_LABELS = {
    "proposed": _l("Proposed"),
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "started": _l("Started"),
    "completed": _l("Completed"),
    "declined": _l("Declined"),
    "dropped": _l("Dropped"),
}
SERVICE_CATEGORY_LABELS = {
    "language": _l("Dutch lessons and language"),
    "civic_integration": _l("Civic integration"),
    "welfare": _l("Welfare and social help"),
    "work": _l("Work and training"),
    "family": _l("Children and family"),
    "education": _l("School and homework"),
    "leisure": _l("Sport, youth and leisure"),
    "housing": _l("Housing"),
    "health": _l("Health"),
}
CONSENT_LABELS = {
    "consent": _l("Consent of the person"),
    "public_task": _l("Public task"),
    "vital_interest": _l("Vital interest"),
    "legitimate_interest": _l("Legitimate interest"),
}
ROLE_LABELS = {
    "volunteer": _l("Volunteer"),
    "buddy": _l("Buddy"),
    "officer": _l("Neighbourhood police officer"),
    "worker": _l("Worker"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}


# Languages CLDR has no name for yet.
EXTRA_LANGUAGE_NAMES = {"prs": _l("Dari"), "ber": _l("Berber (Tamazight)")}


def language_name(code: str) -> str:
    """A language's name in the interface language, by Babel's CLDR data."""
    name = get_locale().languages.get(code.replace("-", "_"))
    return name or str(EXTRA_LANGUAGE_NAMES.get(code, code))


def native_language_name(code: str) -> str:
    """A language's name in that language itself, as a language picker shows it."""
    name = Locale.parse(code).languages.get(code) or str(EXTRA_LANGUAGE_NAMES.get(code, code))
    return name[:1].upper() + name[1:]


PERSON_FIELD_LABELS = {
    "display_name": _l("Name or nickname"),
    "phone": _l("Phone"),
    "email": _l("E-mail address"),
    "reach_note": _l("How to reach them"),
    "neighbourhood_id": _l("Neighbourhood"),
    "languages": _l("Languages spoken"),
    "preferred_language": _l("Preferred language"),
    "consent_basis": _l("Legal basis"),
    "consent_purpose": _l("Purpose"),
    "consent_date": _l("Date"),
    "team_id": _l("Team caseload"),
}


# Fields of the other record types, as their forms label them (reasons on the attention page).
FIELD_LABELS = {
    **PERSON_FIELD_LABELS,
    "occurred_at": _l("When"),
    "channel": _l("How"),
    "domains": _l("Life domains"),
    "person_ids": _l("With whom"),
    "duration_minutes": _l("Duration in minutes"),
    "note": _l("Note"),
    "note_visibility": _l("Who may read the note"),
    "place": _l("Place (optional)"),
    "follow_up_on": _l("Follow up on (optional)"),
    "person_id": _l("Person"),
    "service_id": _l("Service"),
    "follow_up_due": _l("Follow up by"),
    "status": _l("New status"),
    "occurred_on": _l("On"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))
