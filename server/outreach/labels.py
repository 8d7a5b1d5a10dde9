"""Translated labels of the outreach codes."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "street_work": _l("Street work (straathoekwerk)"),
    "market_stand": _l("Stand at the market"),
    "door_to_door": _l("Door to door"),
    "other": _l("Other outreach"),
}
COUNTER_LABELS = {
    "reached": _l("People reached"),
    "conversations": _l("Conversations"),
    "flyers": _l("Flyers handed out"),
    "referrals": _l("Referrals made"),
}
