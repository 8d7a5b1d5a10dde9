"""The municipality's dashboard (/dashboard) and its figures as JSON (/api/v1/indicators):
for the coordinator of the current municipality; everyone else gets a 404."""

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import require
from ..core import clock
from ..core.access import Actor, Role
from ..web import page
from . import charts, queries, refresh
from .indicators import SECTIONS
from .models import ALL, UNPLACED
from .periods import Period, parse_period, quarter_of, recent_quarters

bp = Blueprint("insight", __name__, template_folder="templates")


def _period() -> Period:
    code = request.args.get("period")
    if not code:
        return quarter_of(clock.today_local())
    period = parse_period(code)
    if period is None:
        abort(400, description=_("The period must be a quarter such as 2026-Q4 or a month "
                                 "such as 2026-11."))
    return period


def _neighbourhood(places: dict[str, str]) -> str:
    chosen = request.args.get("neighbourhood") or ALL
    if chosen not in places and chosen not in (ALL, UNPLACED):
        abort(400, description=_("Choose a neighbourhood of this municipality."))
    return chosen


@bp.get("/dashboard")
def dashboard():
    current = require(Role.COORDINATOR)
    period, places = _period(), queries.neighbourhoods(current)
    neighbourhood = _neighbourhood(places)
    found = queries.figures(current, period, neighbourhood)
    return page("insight/dashboard.html", found=found, sections=_sections(found, places,
                neighbourhood == ALL), places=places, neighbourhood=neighbourhood,
                periods=recent_quarters(clock.today_local()), text=charts.text)


@bp.post("/dashboard/refresh")
def refresh_now():
    """Recount the period now (the figures otherwise wait for the scheduled refresh)."""
    current: Actor = require(Role.COORDINATOR)
    period = _period()
    refresh.refresh(current.municipality_id, period)
    return redirect(url_for("insight.dashboard", period=period.code), 303)


@bp.get("/api/v1/indicators")
def api_indicators():
    current = require(Role.COORDINATOR)
    response = jsonify(queries.shared(queries.figures(current, _period())))
    response.headers["Cache-Control"] = "no-store"
    return response


def _sections(found: queries.Figures, places: dict[str, str], over_all: bool) -> list[dict]:
    """Per section: its figures, and a table with a chart per figure that breaks down (by
    its keys; the section's first also by neighbourhood when all are shown)."""
    sections = []
    for name, title in SECTIONS.items():
        figures = [f for f in found.figures if f.indicator.section == name]
        tables = []
        for index, figure in enumerate(figures):
            for by_place in (False, True):
                if by_place and not (over_all and index == 0):
                    continue
                rows = charts.rows(figure, places, by_place)
                if not rows:
                    continue
                label = figure.indicator.label
                heading = (_("%(figure)s by neighbourhood", figure=label) if by_place else
                           str(queries.BREAKDOWN_TITLES[figure.indicator.breakdown])
                           % {"figure": label})
                chart_id = f"chart-{figure.indicator.id}-{'places' if by_place else 'keys'}"
                tables.append({"heading": heading, "rows": rows, "chart": charts.chart(
                    chart_id, heading, _("Bar chart of the table beside it: %(figure)s.",
                                         figure=figure.indicator.label),
                    rows, figure.indicator.is_share)})
        sections.append({"id": name, "title": title, "figures": figures, "tables": tables})
    return sections
