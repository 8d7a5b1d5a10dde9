"""The household and welcome-visit record types, declared once (see core.records)."""

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from ..core.vocab import DOMAINS
from ..people.fields import BCP47

OUTCOMES = ("welcomed", "not_home", "declined", "moved", "unknown_address")
# A household's state: no visit yet, or the outcome of its last attempt.
STATUSES = ("new", *OUTCOMES)
APPROACHES = ("visit", "letter_info_session", "letter_buurtbabbel")
AGE_BANDS = ("0-2", "3-5", "6-11", "12-17", "18-24", "25-44", "45-64", "65+")
LANGUAGES = dict(pattern=BCP47, mismatch=N_("must be a list of language codes"),
                 description="BCP 47 language tags")

HOUSEHOLD = Record("household", (
    Field("names", Kind.TEXT, N_("Names"), required=True, max_len=200),
    Field("street", Kind.TEXT, N_("Street"), required=True, max_len=120),
    Field("house_number", Kind.TEXT, N_("Number"), required=True, max_len=20),
    Field("postcode", Kind.TEXT, N_("Postcode"), required=True, max_len=10),
    Field("registered_on", Kind.DATE, N_("Registered on"), required=True),
    Field("household_size", Kind.INT, N_("Household size"), low=1, high=50),
    Field("age_bands", Kind.CHOICES, N_("Ages"), choices=AGE_BANDS, max_items=50),
    Field("languages", Kind.CODES, N_("Languages spoken"), max_items=12, **LANGUAGES),
    Field("neighbourhood_id", Kind.ID, N_("Neighbourhood")),
    Field("target_on", Kind.DATE, N_("Visit by")),
    Field("approach", Kind.CHOICE, N_("Approach"), choices=APPROACHES, default="visit"),
    Field("status", Kind.CHOICE, N_("Status"), choices=STATUSES, default="new"),
    Field("attempts", Kind.INT, N_("Attempts"), required=True, low=0, high=99),
), computed={"person_id": {"type": ["string", "null"], "format": "uuid",
                           "description": "the person made of the household, if any"}},
    description="A household from the population register's list of new registrations, on the "
   "phones of those it is assigned to (its team or volunteer) and the coordinator's: only "
   "what a welcome visit needs. Forgotten households arrive as deleted: true.")

WELCOME_VISIT = Record("welcome_visit", (
    Field("household_id", Kind.ID, N_("Household"), required=True),
    Field("occurred_at", Kind.PAST_DATETIME, N_("When"), required=True,
          description="ISO 8601 with offset, not in the future"),
    Field("outcome", Kind.CHOICE, N_("Outcome"), required=True, choices=OUTCOMES),
    Field("languages", Kind.CODES, N_("Languages spoken"), max_items=12, **LANGUAGES),
    Field("pack_language", Kind.TEXT, N_("Info pack language"), max_len=16, pattern=BCP47,
          mismatch=N_("not a language code")),
    Field("info_pack_items", Kind.IDS, N_("Info pack handed over"), max_items=50,
          description="ids of the municipality's info pack items (only when welcomed)"),
    Field("domains", Kind.CHOICES, N_("Life domains"), choices=DOMAINS, max_items=20),
    Field("note", Kind.LINES, N_("Note"), max_len=2000),
    Field("agrees_to_contact", Kind.FLAG, N_("Agrees to be contacted again"),
          description="without it nothing beyond the visit is kept, and the household is "
                      "forgotten after the retention period"),
    # Wishes made in one tap; both need agrees_to_contact.
    Field("refer_to_service_id", Kind.ID, N_("Refer to a service"), read=Read.INPUT,
          description="a service of the municipality: a person is made from the household "
                      "(or the linked one taken) and a referral proposed. A person made by "
                      "a visit has the visit's id, so a phone can log a contact with them "
                      "before it syncs"),
    # HOOK for the buddies feature: it picks up visits with buddy_wish (see welcome.hooks).
    Field("buddy_wish", Kind.FLAG, N_("Would like a buddy")),
    Field("author_id", Kind.ID, N_("Author"), required=True),
), computed={"referral_id": {"type": ["string", "null"], "format": "uuid"}},
    description="One attempt at a welcome visit; append-only.")

LOG_FIELDS = ("household_id", "occurred_at", "outcome", "languages", "pack_language",
              "info_pack_items", "domains", "note", "agrees_to_contact",
              "refer_to_service_id", "buddy_wish")
LOG = Input("welcome_visit.log", "Log one attempt at a welcome visit", WELCOME_VISIT.take(
    *LOG_FIELDS))
declare(HOUSEHOLD)
declare(WELCOME_VISIT, LOG)
