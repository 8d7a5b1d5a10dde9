"""Codes the sync contract and the database use; labels live in server/labels.py."""

DOMAINS = (
    "civil_affairs", "education", "integration", "dutch_language", "safety",
    "welfare_health", "youth_sport_culture", "housing_environment", "work",
)
CHANNELS = ("home_visit", "street", "phone", "drop_in", "school", "office", "other")
VISIBILITIES = ("team", "private", "sensitive")
REFERRAL_FLOW = ("proposed", "sent", "accepted", "started", "completed")
REFERRAL_ENDS = ("completed", "declined", "dropped")
REFERRAL_STATUSES = REFERRAL_FLOW + ("declined", "dropped")
SERVICE_CATEGORIES = (
    "language", "civic_integration", "welfare", "work", "family", "education", "leisure",
    "housing", "health",
)
CONSENT_BASES = ("consent", "public_task")
# How a person gave their consent.
CONSENT_METHODS = ("spoken", "signed", "interpreter", "in_writing")
# Languages a person may speak, as BCP 47 codes: the ones met most in the Vlaamse Rand.
PERSON_LANGUAGES = (
    "nl", "fr", "en", "ar", "tr", "uk", "ru", "pl", "ro", "bg", "es", "pt", "it", "de",
    "so", "ti", "am", "fa", "prs", "ps", "ku", "ber", "ln", "sw", "ur", "hi", "bn", "zh",
    "sq", "sr", "ka", "hy", "ne", "ta",
)


def next_referral_steps(status: str) -> tuple[str, ...]:
    """Where a referral may go from here: one step on, or out of the loop."""
    if status in REFERRAL_ENDS:
        return ()
    nxt = REFERRAL_FLOW[REFERRAL_FLOW.index(status) + 1]
    return (nxt, "declined", "dropped") if nxt != "completed" else (nxt, "dropped")
