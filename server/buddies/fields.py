"""The buddy programme's record types, declared once (see core.records): a buddy's profile, a
worker's wish for a person, the pair, and its sessions."""

import re

from ..core.errors import N_
from ..core.records import Field, Input, Kind, Read, Record, declare
from .vocab import (
    ANSWERS,
    END_REASONS,
    GOALS,
    INTERESTS,
    OUTCOMES,
    PAIR_STATUSES,
    SESSION_STATUSES,
    SLOTS,
    URGENCIES,
    WISH_STATUSES,
)

BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
# The most one session can count for volunteer insurance and attestations: a long day out.
MAX_SESSION_MINUTES = 12 * 60


# A field's label is shared by every record type with a field of that name (labels.field_label):
# the same names carry the same labels as elsewhere; pages may word them for their context.
def _languages() -> Field:
    return Field("languages", Kind.CODES, N_("Languages spoken"), max_items=12, pattern=BCP47,
                 mismatch=N_("must be a list of language codes"), description="BCP 47 tags")


def _slots() -> Field:
    return Field("availability", Kind.CHOICES, N_("When in the week"), choices=SLOTS,
                 max_items=len(SLOTS), description="parts of the week: mon_morning ... sun_evening")


PROFILE = Record("buddy_profile", (
    Field("user_id", Kind.ID, N_("Buddy"), required=True),
    _languages(),
    Field("neighbourhood_id", Kind.ID, N_("Neighbourhood")),
    Field("nearby_ids", Kind.IDS, N_("Neighbourhoods next to mine"), max_items=20,
          description="neighbourhoods the buddy can easily reach: 'adjacent' in matching"),
    Field("interests", Kind.CHOICES, N_("Interests"), choices=INTERESTS, max_items=len(INTERESTS)),
    Field("goals", Kind.CHOICES, N_("Goals"), choices=GOALS, max_items=len(GOALS)),
    _slots(),
    Field("capacity", Kind.INT, N_("How many pairs I can take"), low=0, high=5, required=True),
    Field("preferences", Kind.LINES, N_("Preferences"), max_len=500),
), description="A buddy's own profile; workers and coordinators read it for matching.")

PROFILE_FIELDS = ("languages", "neighbourhood_id", "nearby_ids", "interests", "goals",
                  "availability", "capacity", "preferences")
SAVE_PROFILE = Input("buddy_profile.save", "A buddy creates or edits their own profile",
                     PROFILE.take(*PROFILE_FIELDS))

WISH = Record("buddy_wish", (
    Field("person_id", Kind.ID, N_("Person"), required=True),
    Field("goals", Kind.CHOICES, N_("Goals"), choices=GOALS, max_items=len(GOALS)),
    _languages(),
    _slots(),
    Field("interests", Kind.CHOICES, N_("Interests"), choices=INTERESTS, max_items=len(INTERESTS)),
    Field("preferences", Kind.LINES, N_("Preferences"), max_len=500),
    Field("urgency", Kind.CHOICE, N_("Urgency"), choices=URGENCIES, default="normal"),
    Field("status", Kind.CHOICE, N_("New status"), choices=WISH_STATUSES, required=True),
    Field("author_id", Kind.ID, N_("Author"), required=True),
), description="A worker's wish for a buddy for a person on their caseload.")

WISH_FIELDS = ("goals", "languages", "availability", "interests", "preferences", "urgency")
CREATE_WISH = Input("buddy_wish.create", "A worker asks a buddy for a person on the caseload",
                    WISH.take("person_id", *WISH_FIELDS))

PAIR = Record("buddy_pair", (
    Field("wish_id", Kind.ID, N_("Wish"), required=True),
    Field("buddy_id", Kind.ID, N_("Buddy"), required=True),
    Field("status", Kind.CHOICE, N_("New status"), choices=PAIR_STATUSES, required=True),
    Field("answer", Kind.CHOICE, N_("Answer"), choices=ANSWERS, required=True, read=Read.INPUT),
    Field("goals", Kind.CHOICES, N_("Goals"), choices=GOALS, max_items=len(GOALS)),
    Field("goals_reached", Kind.CHOICES, N_("Goals reached"), choices=GOALS,
          max_items=len(GOALS)),
    Field("proposed_on", Kind.DATE, N_("Proposed on"), required=True),
    Field("answer_by", Kind.DATE, N_("Answer by"), required=True),
    Field("started_on", Kind.DATE, N_("Started on")),
    Field("ended_on", Kind.DATE, N_("Ended on")),
    Field("end_reason", Kind.CHOICE, N_("Why it ended"), choices=END_REASONS),
    Field("evaluation", Kind.LINES, N_("Short evaluation"), max_len=1000),
), computed={"first_name": {"type": "string", "description": "the person's first name only"}},
    description="A buddy and a person: proposed -> active -> paused -> ended (or declined, "
                "lapsed). Buddies receive their own pairs with the person's first name only.")

PROPOSE = Input("buddy_pair.propose", "Propose a buddy for a wish; the buddy answers",
                PAIR.take("wish_id", "buddy_id"))
ANSWER = Input("buddy_pair.answer", "The proposed buddy accepts or declines",
               PAIR.take("answer"))
MOVE = Input("buddy_pair.move", "Pause, resume or end a pair (end with reason and evaluation)",
             PAIR.take("status", "end_reason", "evaluation"))
REACH = Input("buddy_pair.goals", "Tick off the goals reached", PAIR.take("goals_reached"))

SESSION = Record("buddy_session", (
    Field("pair_id", Kind.ID, N_("Pair"), required=True),
    Field("day", Kind.DATE, N_("Date"), required=True),
    Field("start_time", Kind.TEXT, N_("Time"), required=True, max_len=5, pattern=CLOCK,
          mismatch=N_("not a time (HH:MM)"), description="Brussels wall time, HH:MM"),
    Field("duration_minutes", Kind.INT, N_("Duration in minutes"), low=15, high=8 * 60,
          required=True),
    Field("place", Kind.TEXT, N_("Place (optional)"), max_len=200),
    Field("status", Kind.CHOICE, N_("New status"), choices=SESSION_STATUSES,
          required=True),
    Field("outcome", Kind.CHOICE, N_("How did it go?"), choices=OUTCOMES, required=True,
          read=Read.INPUT),
    Field("note", Kind.LINES, N_("Note"), max_len=1000),
    Field("minutes_spent", Kind.INT, N_("Time spent in minutes"), low=0,
          high=MAX_SESSION_MINUTES, description="at most 12 hours for one session"),
), computed={"logs": {"type": "array", "items": {"type": "object", "properties": {
    "outcome": {"enum": list(OUTCOMES)}, "logged_at": {"type": "string", "format": "date-time"}}}},
    "hours_confirmed": {"type": "boolean", "description": "a worker or coordinator confirmed "
                        "the time of the newest 'done' log; false while the buddy alone logged it"}},
    description="A planned meeting of a pair, dated within the pair's active days. A log is an "
                "append-only fact: the newest decides the status, none is ever overwritten, a "
                "log never conflicts.")

PLAN = Input("buddy_session.plan", "Plan a session of a pair (date, time, place, duration)",
             SESSION.take("pair_id", "day", "start_time", "duration_minutes", "place"))
CONFIRM = Input("buddy_session.confirm", "Confirm a planned session; a worker or coordinator "
                "confirms the hours of a session held (base_version: the version they saw)", ())
LOG = Input("buddy_session.log", "Log what happened: done, no-show or cancelled, a note, time "
            "spent; append-only", SESSION.take("outcome", "note", "minutes_spent"))

declare(PROFILE, SAVE_PROFILE)
declare(WISH, CREATE_WISH)
declare(PAIR, PROPOSE, ANSWER, MOVE, REACH)
declare(SESSION, PLAN, CONFIRM, LOG)
