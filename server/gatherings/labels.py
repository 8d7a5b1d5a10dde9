"""Translated labels of the gathering codes."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "buurtbabbel": _l("Buurtbabbel (neighbourhood chat)"),
    "praatcafe": _l("Praatcafé (Dutch conversation café)"),
    "info_session": _l("Info session"),
    "certificate_party": _l("Certificate party"),
    "neighbourhood_party": _l("Neighbourhood party"),
    "other": _l("Other gathering"),
}
COUNTER_LABELS = {
    "residents": _l("Residents"),
    "newcomers": _l("Newcomers"),
    "children": _l("Children"),
}
