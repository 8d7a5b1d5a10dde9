"""Translated labels: the codes in core.vocab, the fields declared in core.records."""

from babel import Locale
from flask_babel import get_locale, gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l

from .core import records

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
    # Contexts: "Street" and "Phone" are also an address line and a number field.
    "street": lazy_pgettext("contact channel", "Street"),
    "phone": lazy_pgettext("contact channel", "Phone"),
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
    "consent": _l("The person agreed (consent)"),
    "public_task": _l("Our public task (no consent needed)"),
}
CONSENT_METHOD_LABELS = {
    "spoken": _l("Said yes in a conversation"),
    "signed": _l("Signed a form"),
    "interpreter": _l("Said yes through an interpreter"),
    "in_writing": _l("Wrote it (message or e-mail)"),
}
CONSENT_STATE_LABELS = {
    "none": _l("No basis recorded yet"),
    "valid": _l("In order"),
    "withdrawn": _l("Consent withdrawn"),
    "expired": _l("Consent expired"),
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


def field_labels_by_type() -> dict[str, dict[str, str]]:
    """Every declared field's label in the interface language, by record type and field name
    (a mutation's type names its record type: "contact.create")."""
    return {record_type: {name: gettext(message) for name, message in records.labels(record_type).items()}
            for record_type in records.RECORDS}


def field_label(name: str, record_type: str | None = None) -> str:
    message = records.labels(record_type).get(name) or records.labels().get(name)
    return gettext(message) if message else name
