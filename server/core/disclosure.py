"""Disclosure control: how counts are shown outside the coordinator's own screen (a CSV, a
shared report). Every such table goes through protect().

- A count from 1 to 4 is hidden as "<5": a small count in a small neighbourhood names a family.
- A count that would give a hidden one away is withheld as "x": a column's total beside a
  hidden or withheld cell of that column (total minus the shown cells is the hidden one), and
  the parts of a whole when one part is hidden (the whole minus the shown parts). The total
  row's parts follow the same rule, after its totals are settled."""

from collections.abc import Iterable

SMALL = 5
HIDDEN = f"<{SMALL}"
WITHHELD = "x"


def cell(count: int) -> str:
    return HIDDEN if 0 < count < SMALL else str(count)


def protect(rows: list[dict[str, int]], total: dict[str, int],
            parts: Iterable[tuple[str, ...]] = ()) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The rows' and the total's counts as shown: ``rows`` are the groups (one dict of
    measure -> count each), ``total`` their column sums; ``parts`` lists groups of measures
    that add up to a measure shown beside them (in every row and in the total)."""
    parts = [tuple(group) for group in parts]
    shown = [_with_parts({name: cell(count) for name, count in row.items()}, parts)
             for row in rows]
    withheld_columns = {name for row in shown for name, text in row.items()
                        if text in (HIDDEN, WITHHELD)}
    total_shown = {name: (WITHHELD if name in withheld_columns and cell(count) != HIDDEN
                          else cell(count)) for name, count in total.items()}
    return shown, _with_parts(total_shown, parts)


def _with_parts(shown: dict[str, str], parts: list[tuple[str, ...]]) -> dict[str, str]:
    for group in parts:
        present = [name for name in group if name in shown]
        if any(shown[name] in (HIDDEN, WITHHELD) for name in present):
            for name in present:
                if shown[name] not in (HIDDEN, WITHHELD):
                    shown[name] = WITHHELD
    return shown
