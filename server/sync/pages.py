"""The conflict inbox and the "needs your attention" page of the web app."""

from dataclasses import replace

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from .. import labels
from ..core.errors import NotFound
from ..web import actor, mutation_from_form, page
from . import conflicts
from .apply import commit_one

bp = Blueprint("sync_pages", __name__, template_folder="templates")


@bp.get("/conflicts")
def conflict_inbox():
    return page("sync/conflicts.html", items=conflicts.open_conflicts(actor()))


@bp.post("/conflicts/<id:conflict_id>")
def resolve(conflict_id: str):
    """Keep mine or keep theirs: an ordinary update with a fresh base version."""
    current = actor()
    item = conflicts.get_open(current, conflict_id)
    if item is None:
        raise NotFound
    mutation = mutation_from_form(item.resolving.update, item.kept(request.form.get("keep")),
                                  record_id=item.record.id)
    if mutation.base_version is None:
        mutation = replace(mutation, base_version=item.record.version)
    result = commit_one(current, mutation)
    if result.status == "rejected":
        flash(_("This could not be resolved; edit the person instead."), "error")
    else:
        flash(_("Conflict resolved."), "success")
    return redirect(url_for("sync_pages.conflict_inbox"), code=303)


@bp.get("/attention")
def attention():
    """Rejected items live in the phone's outbox; pwa/js/attention.js lists them here."""
    actor()
    return page("sync/attention.html",
                field_labels=labels.field_labels_by_type())
