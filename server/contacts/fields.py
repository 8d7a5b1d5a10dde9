"""The contact record type, declared once (see core.records)."""

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from ..core.vocab import CHANNELS, DOMAINS, VISIBILITIES

CONTACT = Record("contact", (
    Field("occurred_at", Kind.PAST_DATETIME, N_("When"), required=True,
          description="ISO 8601 with offset, not in the future"),
    Field("channel", Kind.CHOICE, N_("How"), required=True, choices=CHANNELS),
    Field("domains", Kind.CHOICES, N_("Life domains"), choices=DOMAINS, max_items=20),
    # people the reader may not see are never listed (contacts.queries.participants)
    Field("person_ids", Kind.IDS, N_("With whom"), max_items=50, read=Read.RULED),
    Field("duration_minutes", Kind.INT, N_("Duration in minutes"), low=0, high=24 * 60),
    # what a phone keeps of a note: core.access.note_shown
    Field("note", Kind.LINES, N_("Note"), max_len=10_000, read=Read.RULED),
    Field("note_visibility", Kind.CHOICE, N_("Who may read the note"), choices=VISIBILITIES,
          default="team"),
    Field("neighbourhood_id", Kind.ID, N_("Neighbourhood")),
    Field("place", Kind.TEXT, N_("Place (optional)"), max_len=200),
    Field("follow_up_on", Kind.DATE, N_("Follow up on (optional)")),
    Field("follow_up_done", Kind.FLAG, N_("Done")),
    Field("author_id", Kind.ID, N_("Author"), required=True),
), computed={"other_people": {
    "type": "integer", "minimum": 0,
    "description": "how many more people the contact was with: people the reader may not "
                   "see are never in person_ids"}},
    description="note is null unless it is a team note for the reader: private and "
                "sensitive notes are never kept on phones (read them live at "
                "/contacts/{id}/note).")

FIELDS = ("occurred_at", "channel", "domains", "person_ids", "duration_minutes", "note",
          "note_visibility", "neighbourhood_id", "place", "follow_up_on", "follow_up_done")
CREATE = Input("contact.create", "Log a contact", CONTACT.take(*FIELDS))
CORRECT = Input("contact.correct", "Correct a contact: a new version, the old one stays",
                CONTACT.take(*FIELDS), partial=True)
declare(CONTACT, CREATE, CORRECT)
