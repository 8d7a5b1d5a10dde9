"""Translated labels of the welcome codes (outcomes, approaches, statuses, pack kinds)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

OUTCOME_LABELS = {
    "welcomed": _l("Welcomed"),
    "not_home": _l("Not home"),
    "declined": _l("Declined"),
    "moved": _l("Moved"),
    "unknown_address": _l("Unknown address"),
}
STATUS_LABELS = {"new": _l("To visit"), **OUTCOME_LABELS}
APPROACH_LABELS = {
    "visit": _l("Welcome visit"),
    "letter_info_session": _l("Letter: invitation to an info session"),
    "letter_buurtbabbel": _l("Letter: invitation to a buurtbabbel"),
}
PACK_KIND_LABELS = {
    "leaflet": _l("Leaflet"),
    "link": lazy_pgettext("info pack item", "Link"),  # the noun; "Link" alone is the verb
    "directory": _l("Service directory"),
}
