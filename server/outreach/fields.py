"""The outreach round record type, declared once (see core.records). No names: a round
keeps counts and topics only."""

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from ..core.tallies import DELTA_HIGH, DELTA_LOW
from ..core.vocab import DOMAINS

KINDS = ("street_work", "market_stand", "door_to_door", "other")
COUNTERS = ("reached", "conversations", "flyers", "referrals")
TOPIC_DOMAINS = (*DOMAINS, "other")

ROUND = Record("outreach_round", (
    Field("kind", Kind.CHOICE, N_("Kind of round"), choices=KINDS,
          default="street_work"),
    Field("started_at", Kind.PAST_DATETIME, N_("Started"), required=True),
    Field("ended_at", Kind.PAST_DATETIME, N_("Ended")),
    Field("place", Kind.TEXT, N_("Where"), required=True, max_len=200),
    Field("neighbourhood_id", Kind.ID, N_("Neighbourhood")),
    Field("started_by", Kind.ID, N_("Started by"), required=True),
    Field("counter", Kind.CHOICE, N_("Counter"), required=True, choices=COUNTERS,
          read=Read.INPUT),
    Field("delta", Kind.INT, N_("Change"), required=True, low=DELTA_LOW, high=DELTA_HIGH,
          read=Read.INPUT, description="a whole number, never 0: +1 or -1 per tap"),
    Field("domain", Kind.CHOICE, N_("Life domain"), choices=TOPIC_DOMAINS, read=Read.INPUT),
    Field("text", Kind.TEXT, N_("What was raised"), max_len=200, read=Read.INPUT),
), computed={
    "tallies": {"type": "object", "additionalProperties": False, "required": list(COUNTERS),
                "properties": {c: {"type": "integer"} for c in COUNTERS},
                "description": "counter -> total: the sum of every increment"},
    "topics": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid"}, "domain": {"enum": [*TOPIC_DOMAINS, None]},
        "text": {"type": ["string", "null"]}}}}},
    description="Aggregate only: no names. Counters move by outreach_round.increment, which "
                "commutes and never conflicts.")

START = Input("outreach_round.start", "Start a round", ROUND.take(
    "kind", "started_at", "place", "neighbourhood_id"))
END = Input("outreach_round.end", "End a round", ROUND.take("ended_at"))
INCREMENT = Input("outreach_round.increment", "Add delta to one counter: commutes, its own "
                  "idempotent mutation per tap, no base_version", ROUND.take("counter", "delta"))
TOPIC = Input("outreach_round.topic", "What was raised: a life domain and/or a few words",
              ROUND.take("domain", "text"))
declare(ROUND, START, END, INCREMENT, TOPIC)
