"""Codes of the buddy programme the sync contract and the database use (labels: labels.py)."""

GOALS = ("language_practice", "administration", "leisure", "school", "work", "other")
INTERESTS = ("sport", "cooking", "music", "nature", "culture", "games", "crafts", "reading",
             "technology", "children")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")
# A week in 21 parts: "mon_morning" ... "sun_evening".
SLOTS = tuple(f"{day}_{part}" for day in DAYS for part in PARTS)
URGENCIES = ("low", "normal", "high")
WISH_STATUSES = ("open", "matched", "closed")
# proposed -> active -> paused -> ended; a proposal can also be declined or lapse unanswered.
PAIR_STATUSES = ("proposed", "active", "paused", "ended", "declined", "lapsed")
PAIR_OPEN = ("proposed", "active", "paused")
PAIR_MOVES = {"active": ("paused", "ended"), "paused": ("active", "ended")}
ANSWERS = ("accept", "decline")
END_REASONS = ("goals_reached", "moved", "no_time", "no_click", "other")
SESSION_STATUSES = ("planned", "confirmed", "done", "no_show", "cancelled")
OUTCOMES = ("done", "no_show", "cancelled")
