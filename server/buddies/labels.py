"""Translated labels of the buddy programme's codes."""

from flask_babel import lazy_gettext as _l

from .vocab import DAYS, PARTS

GOAL_LABELS = {
    "language_practice": _l("Language practice"), "administration": _l("Administration"),
    "leisure": _l("Leisure"), "school": _l("School"), "work": _l("Work"), "other": _l("Other"),
}
INTEREST_LABELS = {
    "sport": _l("Sport"), "cooking": _l("Cooking"), "music": _l("Music"), "nature": _l("Nature"),
    "culture": _l("Culture"), "games": _l("Games"), "crafts": _l("Crafts"),
    "reading": _l("Reading"), "technology": _l("Technology"), "children": _l("Children"),
}
DAY_LABELS = {"mon": _l("Mon"), "tue": _l("Tue"), "wed": _l("Wed"), "thu": _l("Thu"),
              "fri": _l("Fri"), "sat": _l("Sat"), "sun": _l("Sun")}
PART_LABELS = {"morning": _l("morning"), "afternoon": _l("afternoon"), "evening": _l("evening")}
URGENCY_LABELS = {"low": _l("Can wait"), "normal": _l("Normal"), "high": _l("Urgent")}
PAIR_LABELS = {
    "proposed": _l("Proposed"), "active": _l("Active"), "paused": _l("Paused"),
    "ended": _l("Ended"), "declined": _l("Declined"), "lapsed": _l("Not answered in time"),
}
END_LABELS = {"goals_reached": _l("Goals reached"), "moved": _l("Moved away"),
              "no_time": _l("No time any more"), "no_click": _l("It did not click"),
              "other": _l("Other")}
SESSION_LABELS = {"planned": _l("Planned"), "confirmed": _l("Confirmed"), "done": _l("Done"),
                  "no_show": _l("No-show"), "cancelled": _l("Cancelled")}
OUTCOME_LABELS = {"done": _l("It took place"), "no_show": _l("No-show"),
                  "cancelled": _l("Cancelled")}
REASON_LABELS = {
    "languages": _l("Shared languages"), "same_neighbourhood": _l("Same neighbourhood"),
    "nearby_neighbourhood": _l("Neighbourhood next door"),
    "availability": _l("Free at the same times"), "interests": _l("Shared interests"),
    "goals": _l("Wants to help with these goals"), "load": _l("Already has pairs"),
}


def slot_label(slot: str) -> str:
    day, part = slot.split("_")
    return f"{DAY_LABELS[day]} {PART_LABELS[part]}"


SLOT_ROWS = [(day, DAY_LABELS[day], [(f"{day}_{part}", PART_LABELS[part]) for part in PARTS])
             for day in DAYS]
