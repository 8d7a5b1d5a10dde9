"""The signal record type, declared once (see core.records)."""

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from ..core.vocab import DOMAINS

THEMES = (*DOMAINS, "other")
URGENCIES = ("low", "normal", "high")
STATUSES = ("new", "acknowledged", "forwarded", "resolved")
DATE_TIME = {"type": "string", "format": "date-time"}

SIGNAL = Record("signal", (
    Field("theme", Kind.CHOICE, N_("Theme"), required=True, choices=THEMES),
    Field("urgency", Kind.CHOICE, N_("Urgency"), required=True, choices=URGENCIES),
    Field("description", Kind.LINES, N_("What did you see?"), required=True, max_len=4000),
    Field("neighbourhood_id", Kind.ID, N_("Neighbourhood")),
    Field("gathering_id", Kind.ID, N_("At a gathering")),
    Field("round_id", Kind.ID, N_("On an outreach round")),
    Field("status", Kind.CHOICE, N_("Status"), required=True, choices=STATUSES, default="new"),
    Field("forwarded_to", Kind.TEXT, N_("Forwarded to (service or department)"), max_len=200),
    Field("note", Kind.LINES, N_("Feedback for the reporter"), max_len=2000, read=Read.INPUT),
    Field("reporter_id", Kind.ID, N_("Raised by"), required=True),
), computed={
    "created_at": DATE_TIME,
    "steps": {"type": "array", "items": {"type": "object", "properties": {
        "status": {"enum": list(STATUSES)}, "at": DATE_TIME,
        "forwarded_to": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]}}}}},
    description="Triage: new → acknowledged → forwarded → resolved (steps may be skipped, "
                "never undone); each step is shown to the person who raised it.")

CREATE = Input("signal.create", "Raise a signal", SIGNAL.take(
    "theme", "urgency", "description", "neighbourhood_id", "gathering_id", "round_id"))
TRIAGE = Input("signal.triage", "Move a signal on (workers and coordinators); forwarded "
               "needs forwarded_to", SIGNAL.take("status", "forwarded_to", "note"))
SEEN = Input("signal.seen", "The reporter has read the steps on their signal up to "
             "base_version, the version their page showed (a later step stays news)", ())
declare(SIGNAL, CREATE, TRIAGE, SEEN)
