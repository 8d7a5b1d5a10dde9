"""Inflow reached: the coordinator's table and chart, the masked CSV and shareable report;
and the public welcome page per language with its QR code."""

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import audit
from ..auth.current import require
from ..auth.links import public_link
from ..core.access import Role
from ..extensions import db
from ..labels import language_name
from ..org.models import Municipality
from ..web import page
from . import inflow, queries

bp = Blueprint("welcome_reports", __name__, url_prefix="/welcome", template_folder="templates")


def _report():
    current = require(Role.COORDINATOR)
    months = inflow.months(current)
    month = request.args.get("month", "")
    if month in months:
        return current, months, month, inflow.report(current, month)
    # By default the newest month where visits began (the newest list is not visited yet).
    for candidate in months[:3]:
        report = inflow.report(current, candidate)
        if report.total.visited:
            return current, months, candidate, report
    return current, months, months[0] if months else "", (
        inflow.report(current, months[0]) if months else None)


def _headers() -> list[str]:
    return [_("Month"), _("Neighbourhood"), _("Registered"), _("Visited"),
            _("Welcomed within 30 days"), _("Welcomed within 90 days"),
            _("Not reached after two attempts"), _("Referred"), _("How the referrals ended"),
            _("Languages met")]


@bp.get("/inflow")
def inflow_page():
    _current, months, month, report = _report()
    return page("welcome/inflow.html", months=months, month=month, report=report,
                masked=False, rows=inflow.shown(report, masked=False) if report else [],
                chart=_chart(report) if report else None)


@bp.get("/inflow/share")
def inflow_share():
    """The same figures for a report to share: counts under 5 are "<5"."""
    _current, months, month, report = _report()
    return page("welcome/inflow.html", months=months, month=month, report=report,
                masked=True, rows=inflow.shown(report, masked=True) if report else [],
                chart=None)


@bp.get("/inflow.csv")
def inflow_csv():
    current, _months, month, report = _report()
    if report is None:
        abort(404)
    audit("export_inflow", user_id=current.user_id, municipality_id=current.municipality_id)
    body = "\ufeff" + inflow.to_csv(report, _("Street not placed"), _headers())
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="inflow-{month}.csv"',
        "Cache-Control": "no-store"})


def _chart(report: inflow.Report) -> dict:
    """Bars of registered and welcomed within 90 days per neighbourhood, in SVG units."""
    top = max((r.registered for r in report.rows), default=0) or 1
    bars = [{"label": r.neighbourhood or _("Street not placed"), "registered": r.registered,
             "welcomed": r.welcomed_90, "w_registered": round(190 * r.registered / top),
             "w_welcomed": round(190 * r.welcomed_90 / top), "y": 24 * i}
            for i, r in enumerate(report.rows)]
    return {"bars": bars, "height": 24 * len(bars) + 4}


# --- public ------------------------------------------------------------------------------


def _municipality(slug: str) -> Municipality:
    municipality = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
    if municipality is None:
        abort(404)
    return municipality


def _offered(slug: str, lang: str) -> Municipality:
    """The municipality, if the pack is offered in ``lang``: a shipped language or one with
    items; never any text put into a page or a QR code."""
    municipality = _municipality(slug)
    if lang not in queries.pack_offered(municipality.id, current_app.config["LANGUAGES"]):
        abort(404)
    return municipality


@bp.get("/p/<slug>/<lang>")
def public_page(slug: str, lang: str):
    """The info pack in one language, for a newcomer's own phone: per municipality and
    language, no personal data. Its words are in that language (Dutch for one handvast has
    no catalog for); an item not translated yet is shown in Dutch, marked."""
    municipality = _offered(slug, lang)
    items = queries.pack_in(municipality.id, lang)
    words = lang if lang in current_app.config["LANGUAGES"] else queries.PACK_BASE_LANGUAGE
    with force_locale(words):
        return page("welcome/public.html", municipality=municipality, items=items, lang=lang,
                    language=language_name(lang), base=queries.PACK_BASE_LANGUAGE)


@bp.get("/p/<slug>/<lang>/qr.svg")
def public_qr(slug: str, lang: str):
    import io

    import segno

    _offered(slug, lang)
    target = public_link("welcome_reports.public_page", slug=slug, lang=lang)
    out = io.BytesIO()
    segno.make(target, error="m").save(out, kind="svg", scale=6, border=2,
                                        title=_("Welcome page"))
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


PUBLIC = ("welcome_reports.public_page", "welcome_reports.public_qr")
