"""Editing the service directory (coordinators and admins of the municipality)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.current import require
from ..core.access import Actor, Role
from ..core.errors import ValidationFailed
from ..web import form_errors, form_values, page
from . import operations, queries, service_name

bp = Blueprint("services_manage", __name__, url_prefix="/manage/services",
               template_folder="templates")


def _editor() -> Actor:
    return require(Role.COORDINATOR, Role.ADMIN)


@bp.get("/")
def index():
    services = sorted(queries.all_services(_editor()),
                      key=lambda s: (not s.active, service_name(s).lower()))
    return page("services/manage_index.html", services=services,
                missing={s.id: queries.missing_languages(s) for s in services})


def _values(service) -> dict:
    values = {"category": service.category, "phone": service.phone or "",
              "website": service.website or "", "address": service.address or ""}
    for code in queries.TEXT_LANGUAGES:
        values[f"name_{code}"] = service.names.get(code, "")
        values[f"description_{code}"] = (service.descriptions or {}).get(code, "")
    return values


def _form(service=None, values=None, errors=None, status=200):
    return page("services/manage_form.html", status=status, service=service,
                values=values if values is not None else (_values(service) if service else {}),
                errors=errors or {}, languages=queries.TEXT_LANGUAGES)


@bp.get("/new")
def new():
    _editor()
    return _form()


@bp.post("/new")
def create():
    try:
        service = operations.create_service(_editor(), form_values(*operations.FIELDS))
    except ValidationFailed as exc:
        return _form(values=request.form, errors=form_errors(exc), status=422)
    flash(_("Service added."), "success")
    return redirect(url_for("services_manage.edit", service_id=service.id), code=303)


@bp.get("/<id:service_id>")
def edit(service_id: str):
    return _form(queries.get(_editor(), service_id))


@bp.post("/<id:service_id>")
def update(service_id: str):
    current = _editor()
    service = queries.get(current, service_id, for_update=True)
    try:
        operations.update_service(current, service, form_values(*operations.FIELDS))
    except ValidationFailed as exc:
        return _form(service, request.form, form_errors(exc), status=422)
    flash(_("Service saved."), "success")
    return redirect(url_for("services_manage.edit", service_id=service.id), code=303)


@bp.post("/<id:service_id>/active")
def active(service_id: str):
    current = _editor()
    service = queries.get(current, service_id, for_update=True)
    operations.set_service_active(current, service, request.form.get("active") == "1")
    flash(_("Service updated."), "success")
    return redirect(url_for("services_manage.index"), code=303)
