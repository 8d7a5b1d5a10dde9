"""Municipalities (admins) and neighbourhoods (admins, coordinators): create, rename,
deactivate."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import require
from ..core.access import Role
from ..core.errors import ValidationFailed
from ..extensions import db
from ..web import form_errors, form_values, page
from . import places, queries
from .models import Municipality
from .views import active_flag, bp, manager


def _neighbourhoods_page(errors=None, failed=None, status=200):
    current = manager()
    return page("org/neighbourhoods.html", status=status, errors=errors or {}, failed=failed,
                neighbourhoods=queries.neighbourhoods(current), form=request.form)


@bp.get("/neighbourhoods")
def neighbourhoods():
    return _neighbourhoods_page()


@bp.post("/neighbourhoods")
def create_neighbourhood():
    try:
        places.create_neighbourhood(manager(), form_values("name"))
    except ValidationFailed as exc:
        return _neighbourhoods_page(form_errors(exc), failed="new", status=422)
    flash(_("Neighbourhood added."), "success")
    return redirect(url_for("org.neighbourhoods"), code=303)


@bp.post("/neighbourhoods/<id:neighbourhood_id>")
def rename_neighbourhood(neighbourhood_id: str):
    current = manager()
    neighbourhood = places.get_neighbourhood(current, neighbourhood_id)
    try:
        places.rename_neighbourhood(current, neighbourhood, form_values("name"))
    except ValidationFailed as exc:
        return _neighbourhoods_page(form_errors(exc), failed=neighbourhood_id, status=422)
    flash(_("Neighbourhood renamed."), "success")
    return redirect(url_for("org.neighbourhoods"), code=303)


@bp.post("/neighbourhoods/<id:neighbourhood_id>/active")
def neighbourhood_active(neighbourhood_id: str):
    current = manager()
    neighbourhood = places.get_neighbourhood(current, neighbourhood_id)
    places.set_neighbourhood_active(current, neighbourhood, active_flag(request.form.get("active")))
    flash(_("Neighbourhood updated."), "success")
    return redirect(url_for("org.neighbourhoods"), code=303)


def _municipalities_page(errors=None, failed=None, status=200):
    current = require(Role.ADMIN)
    municipalities = db.session.scalars(places.managed_municipalities(current).order_by(
        Municipality.active.desc(), Municipality.name))
    return page("org/municipalities.html", status=status, errors=errors or {}, failed=failed,
                municipalities=list(municipalities), form=request.form)


@bp.get("/municipalities")
def municipalities():
    return _municipalities_page()


@bp.post("/municipalities")
def create_municipality():
    try:
        places.create_municipality(require(Role.ADMIN), form_values("name"))
    except ValidationFailed as exc:
        return _municipalities_page(form_errors(exc), failed="new", status=422)
    flash(_("Municipality created. Switch to it at the top to set it up."), "success")
    return redirect(url_for("org.municipalities"), code=303)


@bp.post("/municipalities/<id:municipality_id>")
def rename_municipality(municipality_id: str):
    current = require(Role.ADMIN)
    municipality = places.get_municipality(current, municipality_id)
    try:
        places.rename_municipality(current, municipality, form_values("name"))
    except ValidationFailed as exc:
        return _municipalities_page(form_errors(exc), failed=municipality_id, status=422)
    flash(_("Municipality renamed."), "success")
    return redirect(url_for("org.municipalities"), code=303)


@bp.post("/municipalities/<id:municipality_id>/active")
def municipality_active(municipality_id: str):
    current = require(Role.ADMIN)
    municipality = places.get_municipality(current, municipality_id)
    try:
        places.set_municipality_active(current, municipality,
                                       active_flag(request.form.get("active")))
    except ValidationFailed as exc:
        return _municipalities_page(form_errors(exc), failed=municipality_id, status=422)
    flash(_("Municipality updated."), "success")
    return redirect(url_for("org.municipalities"), code=303)
