"""The referral record type, declared once (see core.records)."""

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from ..core.vocab import REFERRAL_STATUSES, VISIBILITIES

DATE = {"type": "string", "format": "date"}
REFERRAL = Record("referral", (
    Field("person_id", Kind.ID, N_("Person"), required=True),
    Field("service_id", Kind.ID, N_("Service"), required=True),
    Field("status", Kind.CHOICE, N_("New status"), required=True, choices=REFERRAL_STATUSES),
    Field("status_on", Kind.DATE, N_("On"), required=True),
    Field("occurred_on", Kind.DATE, N_("On"), read=Read.INPUT),  # a step's day
    # what a phone keeps of a note: core.access.note_shown (referrals.queries.readable_note)
    Field("note", Kind.LINES, N_("Note"), max_len=2000, read=Read.RULED),
    Field("note_visibility", Kind.CHOICE, N_("Who may read the note"), choices=VISIBILITIES,
          default="team"),
    Field("follow_up_due", Kind.DATE, N_("Follow up by")),
    Field("author_id", Kind.ID, N_("Author"), required=True),
), computed={"steps": {"type": "array", "items": {"type": "object", "properties": {
    "status": {"enum": list(REFERRAL_STATUSES)}, "occurred_on": DATE}}}},
    description="note is null when it is not for the reader; sensitive notes never leave "
                "the server. Step notes are read on the server only.")

CREATE = Input("referral.create", "Refer a person to a service", REFERRAL.take(
    "person_id", "service_id", "note", "note_visibility", "follow_up_due", "occurred_on"))
ADVANCE = Input("referral.advance", "Move a referral one step; past 'sent' only by the "
                "coordinator and the caseload roles holding the person's case",
                REFERRAL.take("status", "occurred_on", "note", "note_visibility",
                              "follow_up_due"))
declare(REFERRAL, CREATE, ADVANCE)
