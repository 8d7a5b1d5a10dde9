"""The gathering record type, declared once (see core.records)."""

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from ..core.tallies import DELTA_HIGH, DELTA_LOW
from ..core.vocab import DOMAINS, PERSON_LANGUAGES

KINDS = ("buurtbabbel", "praatcafe", "info_session", "certificate_party", "neighbourhood_party",
         "other")
COUNTERS = ("residents", "newcomers", "children")
# The languages an invitation can be made in: the app's own catalogs.
INVITATION_LANGUAGES = ("nl", "fr", "en", "ar", "tr", "uk")
TOPIC_DOMAINS = (*DOMAINS, "other")

COUNT = {"type": "integer"}
GATHERING = Record("gathering", (
    Field("kind", Kind.CHOICE, N_("Kind of gathering"), required=True, choices=KINDS),
    Field("title", Kind.TEXT, N_("Title (optional)"), max_len=120),
    Field("starts_at", Kind.DATETIME, N_("Date and time"), required=True,
          description="ISO 8601 with offset; past or future"),
    Field("place", Kind.TEXT, N_("Place"), required=True, max_len=200),
    Field("neighbourhood_id", Kind.ID, N_("Neighbourhood")),
    Field("host_ids", Kind.IDS, N_("Hosts"), max_items=20,
          description="users of the municipality who host it"),
    Field("invitation_languages", Kind.CHOICES, N_("Invitation languages"),
          choices=INVITATION_LANGUAGES, max_items=len(INVITATION_LANGUAGES)),
    Field("languages_heard", Kind.CHOICES, N_("Languages heard"), choices=PERSON_LANGUAGES,
          max_items=len(PERSON_LANGUAGES)),
    # named attendees the reader may see; the others only as other_attendees
    Field("person_ids", Kind.IDS, N_("Named attendees"), max_items=100, read=Read.RULED),
    Field("created_by", Kind.ID, N_("Planned by"), required=True),
    # inputs of the counting, topic and attendance mutations
    Field("counter", Kind.CHOICE, N_("Counter"), required=True, choices=COUNTERS,
          read=Read.INPUT),
    Field("delta", Kind.INT, N_("Change"), required=True, low=DELTA_LOW, high=DELTA_HIGH,
          read=Read.INPUT, description="a whole number, never 0: +1 or -1 per tap"),
    Field("language", Kind.CHOICE, N_("Language"), required=True, choices=PERSON_LANGUAGES,
          read=Read.INPUT),
    Field("heard", Kind.FLAG, N_("Heard"), read=Read.INPUT),
    Field("domain", Kind.CHOICE, N_("Life domain"), choices=TOPIC_DOMAINS, read=Read.INPUT),
    Field("text", Kind.TEXT, N_("What was raised"), max_len=200, read=Read.INPUT),
    Field("person_id", Kind.ID, N_("Person"), required=True, read=Read.INPUT),
    Field("present", Kind.FLAG, N_("Present"), read=Read.INPUT),
), computed={
    "tallies": {"type": "object", "additionalProperties": False, "required": list(COUNTERS),
                "properties": {c: COUNT for c in COUNTERS},
                "description": "counter -> total: the sum of every increment"},
    "topics": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid"}, "domain": {"enum": [*TOPIC_DOMAINS, None]},
        "text": {"type": ["string", "null"]}}}},
    "other_attendees": {"type": "integer", "minimum": 0,
                        "description": "named attendees the reader may not see"}},
    description="Attendance is counted by gathering.increment: it commutes and never "
                "conflicts; no base_version needed.")

PLAN = ("kind", "title", "starts_at", "place", "neighbourhood_id", "host_ids",
        "invitation_languages")
CREATE = Input("gathering.create", "Plan a gathering", GATHERING.take(*PLAN))
UPDATE = Input("gathering.update", "Change the plan of a gathering; needs base_version",
               GATHERING.take(*PLAN), partial=True)
INCREMENT = Input("gathering.increment", "Add delta to one attendance counter: commutes, "
                  "its own idempotent mutation per tap, no base_version",
                  GATHERING.take("counter", "delta"))
HEAR = Input("gathering.hear", "A language heard at the gathering (heard: true unless "
             "false, which takes it back)",
             GATHERING.take("language", "heard"))
TOPIC = Input("gathering.topic", "What was raised: a life domain and/or a few words",
              GATHERING.take("domain", "text"))
ATTEND = Input("gathering.attend", "Name an attendee (present: true unless false, which "
               "takes it back): only a person the user may see with a legal basis recorded",
               GATHERING.take("person_id", "present"))
declare(GATHERING, CREATE, UPDATE, INCREMENT, HEAR, TOPIC, ATTEND)
