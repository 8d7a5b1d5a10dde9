"""The person record type, declared once (see core.records)."""

import re

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from ..core.vocab import CONSENT_BASES, CONSENT_METHODS

BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

FIELDS = (
    Field("display_name", Kind.TEXT, N_("Name or nickname"), required=True, max_len=120),
    Field("phone", Kind.TEXT, N_("Phone"), max_len=40, read=Read.FULL),
    Field("email", Kind.TEXT, N_("E-mail address"), max_len=254, pattern=EMAIL,
          mismatch=N_("not a valid e-mail address"), read=Read.FULL),
    Field("reach_note", Kind.TEXT, N_("How to reach them"), max_len=500, read=Read.FULL),
    Field("neighbourhood_id", Kind.ID, N_("Neighbourhood")),
    Field("languages", Kind.CODES, N_("Languages spoken"), max_items=12, pattern=BCP47,
          mismatch=N_("must be a list of language codes"), description="BCP 47 language tags"),
    Field("preferred_language", Kind.TEXT, N_("Preferred language"), max_len=16,
          pattern=BCP47, mismatch=N_("not a language code")),
    Field("consent_basis", Kind.CHOICE, N_("Legal basis"), choices=CONSENT_BASES,
          read=Read.FULL),
    Field("consent_purpose", Kind.LINES, N_("Purpose"), max_len=1000, read=Read.FULL),
    Field("consent_date", Kind.DATE, N_("Date"), read=Read.FULL),
    Field("consent_method", Kind.CHOICE, N_("How they agreed"), choices=CONSENT_METHODS,
          read=Read.FULL),
    Field("consent_withdrawn_on", Kind.DATE, N_("Consent withdrawn on"), read=Read.FULL),
    Field("team_id", Kind.ID, N_("Team caseload"), read=Read.FULL),
)
PERSON = Record("person", FIELDS, computed={"full_profile": {"type": "boolean"}}, description=(
    "Without the full profile (officers and buddies) only: "
    + ", ".join(f.name for f in FIELDS if f.read is Read.BASIC)))

EDITABLE = ("display_name", "phone", "email", "reach_note", "neighbourhood_id", "languages",
            "preferred_language", "consent_basis", "consent_purpose", "consent_date",
            "consent_method", "consent_withdrawn_on")
CREATE = Input("person.create", "Create a person", PERSON.take(*EDITABLE))
UPDATE = Input("person.update", "Change fields of a person; needs base_version",
               PERSON.take(*EDITABLE), partial=True)
ASSIGN = Input("person.assign", "Put a person on a team's caseload (coordinator, worker)",
               PERSON.take("team_id"))
declare(PERSON, CREATE, UPDATE, ASSIGN)
