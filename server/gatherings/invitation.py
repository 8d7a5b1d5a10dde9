"""Invitation texts from the catalogs: each chosen language rendered in that language
(force_locale), its date and time by that language's conventions."""

from dataclasses import dataclass

from babel import Locale
from flask_babel import force_locale, format_datetime, gettext

from ..core.errors import N_
from .labels import KIND_LABELS
from .models import Gathering

# I18N: the opening line of an invitation, by kind of gathering.
LEADS = {
    "buurtbabbel": N_("Come and chat with your neighbours, the neighbourhood team and the "
                      "neighbourhood police officer, over a cup of coffee."),
    "praatcafe": N_("Practise your Dutch in a relaxed way, over a cup of coffee, with "
                    "volunteers."),
    "info_session": N_("Come and get the information first hand, and ask your questions."),
    "certificate_party": N_("We celebrate the certificates of our course participants. "
                            "Bring your family and friends!"),
    "neighbourhood_party": N_("A party for the whole neighbourhood: food, music and games "
                              "for the children."),
    "other": N_("Come and meet your neighbours."),
}


@dataclass(frozen=True)
class Invitation:
    language: str
    direction: str
    text: str


def invitation(gathering: Gathering, language: str, neighbourhood: str | None) -> Invitation:
    with force_locale(language):
        when = format_datetime(gathering.starts_at, "EEEE d MMMM y, HH:mm")
        lines = [
            gettext("Invitation: %(kind)s", kind=gettext(KIND_LABELS[gathering.kind])),
            gathering.title or "",
            gettext(LEADS[gathering.kind]),
            "",
            gettext("When: %(when)s", when=when),
            gettext("Where: %(place)s", place=gathering.place)
            + (f" ({neighbourhood})" if neighbourhood else ""),
            "",
            gettext("Everyone is welcome, free of charge. Come as you are, with or without "
                    "Dutch."),
        ]
    direction = "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"
    return Invitation(language, direction, "\n".join(lines).replace("\n\n\n", "\n\n").strip())
