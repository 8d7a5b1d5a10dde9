"""Translated labels of the signal codes."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..labels import DOMAIN_LABELS

STATUS_LABELS = {
    "new": _l("New"),
    "acknowledged": _l("Acknowledged"),
    "forwarded": _l("Forwarded"),
    "resolved": _l("Resolved"),
}
URGENCY_LABELS = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")}
AGE_LABELS = {
    "week": _l("This week"),
    "month": _l("1 to 4 weeks old"),
    "older": _l("Older than 4 weeks"),
}


def theme_label(theme: str | None) -> str:
    """A life domain's label, or "Other"."""
    return str(DOMAIN_LABELS[theme]) if theme in DOMAIN_LABELS else gettext("Other")
