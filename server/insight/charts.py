"""What the dashboard shows of a figure: its text ("80 % (16 of 20)") and its bar chart,
drawn by the template as SVG (no script, no inline style: the CSP stays as it is)."""

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from ..core.vocab import REFERRAL_STATUSES
from .indicators import Indicator, Unit
from .models import UNPLACED
from .queries import Cell, Figure, key_label

BAR = 22  # height of one bar's row, in SVG units
WIDTH = 170  # the longest bar


def text(indicator: Indicator, cell: Cell) -> str:
    if indicator.is_share:
        if not cell.denominator:
            return _("no %(what)s", what=indicator.denominator)
        return _("%(percent)s (%(numerator)s of %(denominator)s)",
                 percent=format_percent(cell.numerator / cell.denominator),
                 numerator=format_decimal(cell.numerator),
                 denominator=format_decimal(cell.denominator))
    if indicator.unit is Unit.MINUTES:
        return _("%(hours)s hours", hours=format_decimal(cell.numerator / 60, "0.#"))
    return format_decimal(cell.numerator)


def _ordered(figure: Figure) -> list[Cell]:
    if figure.indicator.breakdown == "step":
        return sorted(figure.cells, key=lambda c: REFERRAL_STATUSES.index(c.key)
                      if c.key in REFERRAL_STATUSES else len(REFERRAL_STATUSES))
    return figure.cells


def rows(figure: Figure, places: dict[str, str], by_place: bool) -> list[dict]:
    """The table's rows: per breakdown key, or per neighbourhood."""
    cells = figure.places if by_place else _ordered(figure)
    indicator = figure.indicator
    return [{"label": (places.get(c.key, _("No neighbourhood")) if c.key == UNPLACED
                       or c.key in places else c.key) if by_place else key_label(indicator, c.key),
             "text": text(indicator, c),
             "value": (c.value or 0) if indicator.is_share else c.numerator}
            for c in cells]


def chart(chart_id: str, title: str, description: str, table: list[dict],
          share: bool) -> dict | None:
    """Bars in SVG units, scaled to the largest (a share: to 100 %)."""
    if not table:
        return None
    top = 1.0 if share else max(row["value"] for row in table) or 1
    bars = [{**row, "width": round(WIDTH * row["value"] / top), "y": BAR * i}
            for i, row in enumerate(table)]
    return {"id": chart_id, "title": title, "desc": description, "bars": bars,
            "height": BAR * len(bars) + 4}
