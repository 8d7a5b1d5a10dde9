"""The coordinator's welcome pages: import, streets, approach, info pack."""

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import func, select

from ..auth.current import require
from ..core.access import Role
from ..core.errors import N_, ValidationFailed
from ..core.ids import parse_id
from ..core.validate import whole_number
from ..extensions import db
from ..org import queries as org_queries
from ..web import form_errors, large_upload, page
from . import importing, operations, queries, uploads
from .models import Household, ImportRow, StreetNeighbourhood
from .spreadsheet import read_table

bp = Blueprint("welcome_manage", __name__, url_prefix="/welcome/manage",
               template_folder="templates")


def _coordinator():
    return require(Role.COORDINATOR)


@bp.get("/")
def index(errors: dict | None = None, status: int = 200):
    current = _coordinator()
    return page("welcome/manage.html", status=status, imports=queries.imports(current),
                unknown=queries.unknown_streets(current), errors=errors or {},
                unassigned=_unassigned(current),
                team_options=[(t.id, t.name) for t in org_queries.teams(current)],
                user_options=queries.assignable(current))


def _unassigned(current) -> list[tuple[str, str | None, int]]:
    names = dict(org_queries.neighbourhood_options(current))
    rows = db.session.execute(select(Household.neighbourhood_id, func.count()).where(
        Household.municipality_id == current.municipality_id, Household.forgotten_at.is_(None),
        Household.assigned_team_id.is_(None), Household.assigned_user_id.is_(None),
        Household.status == "new").group_by(Household.neighbourhood_id))
    return sorted(((n or "none", names.get(n), c) for n, c in rows),
                  key=lambda r: (r[1] is None, r[1] or ""))


@bp.post("/imports")
@large_upload
def upload():
    _coordinator()
    try:
        held = uploads.save(request.files.get("file"))
    except ValidationFailed as exc:
        return index(form_errors(exc), status=422)
    return redirect(url_for("welcome_manage.mapping", token=held["token"]), code=303)


def _mapping_page(token: str, mapping: dict, errors: dict, status: int = 200):
    current = _coordinator()
    held, path = uploads.held(token)
    try:
        headers = read_table(path, held["kind"]).headers
    except ValidationFailed as exc:
        uploads.discard(token)
        return index(form_errors(exc), status=422)
    mapping = mapping or importing.guess_mapping(
        headers, importing.kept_mapping(current.municipality_id))
    return page("welcome/mapping.html", status=status, headers=headers, mapping=mapping,
                token=token, file_name=held["name"], errors=errors,
                target_labels=_target_labels(),
                targets=importing.TARGETS, multi=importing.MULTI,
                required=importing.REQUIRED)


@bp.get("/imports/upload/<token>")
def mapping(token: str):
    return _mapping_page(token, {}, {})


@bp.post("/imports/upload/<token>")
def stage(token: str):
    current = _coordinator()
    held, path = uploads.held(token)
    chosen = {t: request.form.getlist(t) for t in importing.TARGETS}
    try:
        headers = read_table(path, held["kind"]).headers
        mapping = importing.check_mapping(headers, chosen)
        importing.keep_mapping(current, mapping)
        job = importing.stage(current, path, held["kind"], held["name"], mapping)
    except ValidationFailed as exc:
        if any(error.field == "file" for error in exc.errors):  # refused whole: choose another
            uploads.discard(token)
            return index(form_errors(exc), status=422)
        return _mapping_page(token, chosen, form_errors(exc), status=422)
    uploads.discard(token)
    return redirect(url_for("welcome_manage.show_import", import_id=job.id), code=303)


@bp.get("/imports/<id:import_id>")
def show_import(import_id: str):
    current = _coordinator()
    job = queries.get_import(current, import_id)
    problems = list(db.session.scalars(select(ImportRow).where(
        ImportRow.import_id == job.id, ImportRow.household_key.is_(None))
        .order_by(ImportRow.row_number).limit(200))) if job.state == "staged" else []
    return page("welcome/import.html", "progress", job=job, problems=problems,
                problem_parts=importing.problem_parts, labels_of=_target_labels(),
                unknown=_unknown_in(job) if job.state == "staged" else [])


def _unknown_in(job) -> list[str]:
    known = set(db.session.scalars(select(StreetNeighbourhood.street_key).where(
        StreetNeighbourhood.municipality_id == job.municipality_id)))
    streets: dict[str, str] = {}
    for data in db.session.scalars(select(ImportRow.data).where(
            ImportRow.import_id == job.id, ImportRow.household_key.is_not(None))):
        key = importing.street_key(data["street"])
        if key not in known:
            streets.setdefault(key, data["street"])
    return sorted(streets.values())


def _target_labels() -> dict[str, str]:
    return {"names": _("Names"), "street": pgettext("address", "Street"), "house_number": _("Number"),
            "postcode": _("Postcode"), "registered_on": _("Registration date"),
            "household_size": _("Household size"), "birth_date": _("Date of birth (kept as an age band)"),
            "language": _("Language")}


@bp.post("/imports/<id:import_id>/start")
def start_import(import_id: str):
    current = _coordinator()
    job = queries.get_import(current, import_id)
    try:
        importing.start(current, job)
    except ValidationFailed:
        pass  # already running or done: the page shows where it is
    return redirect(url_for("welcome_manage.show_import", import_id=job.id), code=303)


@bp.post("/imports/<id:import_id>/step")
def step_import(import_id: str):
    """One chunk of a running import; the page's progress bar posts here until it is done
    (without script, the button does the same)."""
    current = _coordinator()
    job = queries.get_import(current, import_id)
    importing.run_chunk(current, job)
    if request.headers.get("HX-Request") == "true":
        return page("welcome/import.html", "progress", job=job, problems=[],
                    problem_parts=importing.problem_parts, labels_of=_target_labels(),
                    unknown=[])
    return redirect(url_for("welcome_manage.show_import", import_id=job.id), code=303)


@bp.post("/imports/<id:import_id>/drop")
def drop_import(import_id: str):
    current = _coordinator()
    job = queries.get_import(current, import_id)
    try:
        importing.drop(current, job)
    except ValidationFailed:
        pass
    flash(_("Import dropped: nothing was kept."), "success")
    return redirect(url_for("welcome_manage.index"), code=303)


# --- streets -----------------------------------------------------------------------------


def _streets_page(errors: dict | None = None, status: int = 200):
    current = _coordinator()
    return page("welcome/streets.html", status=status, streets=queries.streets(current),
                unknown=queries.unknown_streets(current), errors=errors or {},
                neighbourhoods=org_queries.neighbourhood_options(current),
                names=dict(org_queries.neighbourhood_options(current)))


@bp.get("/streets")
def streets():
    return _streets_page()


@bp.post("/streets")
def set_street():
    current = _coordinator()
    try:
        moved = operations.set_street(current, request.form.get("street", ""),
                                      parse_id(request.form.get("neighbourhood_id")) or None)
    except ValidationFailed as exc:
        return _streets_page(form_errors(exc), status=422)
    flash(_("Street saved; %(count)s households placed.", count=moved), "success")
    return redirect(url_for("welcome_manage.streets"), code=303)


@bp.post("/streets/import")
@large_upload
def import_streets():
    """A street;neighbourhood CSV, as the municipality's GIS service exports it."""
    current = _coordinator()
    try:
        placed = _street_rows(current)
    except ValidationFailed as exc:
        return _streets_page(form_errors(exc), status=422)
    flash(_("Streets imported: %(count)s.", count=placed), "success")
    return redirect(url_for("welcome_manage.streets"), code=303)


def _street_rows(current) -> int:
    import csv
    import io

    from .spreadsheet import decode, kind_of

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed.single("file", N_("choose a file"))
    raw = upload.stream.read(2 * 1024 * 1024 + 1)
    if len(raw) > 2 * 1024 * 1024:
        raise ValidationFailed.single("file", N_("the file is too large"))
    if kind_of(upload.filename, raw[:8]) != "csv":
        raise ValidationFailed.single("file", N_("not a CSV or XLSX file"))
    text = decode(raw)
    first = text.split("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in first else ","))
    by_name = {name.lower(): nid for nid, name in org_queries.neighbourhood_options(current)}
    placed = 0
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < 2 or not row[0].strip():
            continue
        hood = by_name.get(row[1].strip().lower())
        if hood is None:
            raise ValidationFailed.single("file", _("Row %(row)s: unknown neighbourhood “%(name)s”",
                                                   row=number, name=row[1].strip()[:60]))
        operations.set_street(current, row[0], hood)
        placed += 1
    return placed


# --- approach ----------------------------------------------------------------------------


def _assignment(current) -> dict:
    team_id = parse_id(request.form.get("team_id")) or None
    user_id = parse_id(request.form.get("user_id")) or None
    if team_id and user_id:
        raise ValidationFailed.single("user_id", N_("choose a team or a person, not both"))
    days_text = request.form.get("within_days", "").strip()
    target_text = request.form.get("target_on", "").strip()
    within = whole_number(days_text) if days_text else None
    if days_text and within is None:
        raise ValidationFailed.single("within_days", N_("must be a whole number"))
    try:
        target = date.fromisoformat(target_text) if target_text else None
    except ValueError:
        raise ValidationFailed.single("target_on", N_("not a valid date")) from None
    return {"team_id": team_id, "user_id": user_id, "within_days": within, "target_on": target,
            "approach": request.form.get("approach") or None}


@bp.post("/assign")
def assign_neighbourhood():
    """Every new, unassigned household of a neighbourhood (or of unknown streets) at once."""
    current = _coordinator()
    hood = request.form.get("neighbourhood_id", "")
    query = select(Household).where(
        Household.municipality_id == current.municipality_id, Household.forgotten_at.is_(None),
        Household.status == "new", Household.assigned_team_id.is_(None),
        Household.assigned_user_id.is_(None))
    if hood == "none":
        query = query.where(Household.neighbourhood_id.is_(None))
    elif parse_id(hood):
        query = query.where(Household.neighbourhood_id == parse_id(hood))
    else:
        return index({"neighbourhood_id": _("required")}, status=422)
    try:
        count = operations.assign(current, list(db.session.scalars(query)), **_assignment(current))
    except ValidationFailed as exc:
        return index(form_errors(exc), status=422)
    flash(_("%(count)s households assigned.", count=count), "success")
    return redirect(url_for("welcome_manage.index"), code=303)


@bp.post("/households/<id:household_id>/assign")
def assign_household(household_id: str):
    from .views import _household_page

    current = _coordinator()
    household = queries.get_visible(current, household_id, for_update=True)
    try:
        operations.assign(current, [household], **_assignment(current))
    except ValidationFailed as exc:
        return _household_page(household_id, form_errors(exc), status=422)
    flash(_("Household assigned."), "success")
    return redirect(url_for("welcome.household", household_id=household_id), code=303)


# --- info pack ---------------------------------------------------------------------------


def _pack_page(errors: dict | None = None, status: int = 200):
    current = _coordinator()
    return page("welcome/pack_manage.html", status=status, errors=errors or {},
                items=queries.pack_items(current.municipality_id), form=request.form)


@bp.get("/pack")
def pack():
    return _pack_page()


@bp.post("/pack")
def add_pack_item():
    current = _coordinator()
    try:
        operations.add_pack_item(current, {k: request.form.get(k) for k in
                                           ("language", "kind", "title", "url")})
    except ValidationFailed as exc:
        return _pack_page(form_errors(exc), status=422)
    flash(_("Added to the info pack."), "success")
    return redirect(url_for("welcome_manage.pack"), code=303)


@bp.post("/pack/<id:item_id>/delete")
def remove_pack_item(item_id: str):
    operations.remove_pack_item(_coordinator(), item_id)
    return redirect(url_for("welcome_manage.pack"), code=303)
