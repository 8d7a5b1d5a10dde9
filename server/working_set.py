"""What a phone keeps for offline use, per role: features register their always-kept pages
(with who may open them and which pulled record types change them) and the pages of each
record they send in a pull. The phone asks for its user's set at /working-set.json
(server/pwa/views.py) and keeps those pages only (pwa/js/pages.js)."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

from .core.access import Actor
from .core.ids import parse_id

Who = Callable[[Actor], bool]

# A page that changes with any pulled record (the home page's summaries).
ANY = "*"


def everyone(_actor: Actor) -> bool:
    return True


def field_users(actor: Actor) -> bool:
    return actor.is_field_user


@dataclass(frozen=True)
class KeptPage:
    url: str
    who: Who
    concerns: tuple[str, ...]


@dataclass(frozen=True)
class RecordPage:
    record_type: str
    template: str  # "/people/{id}"
    who: Who
    concerns: tuple[str, ...] = ()


def _registry(app: Flask) -> dict[str, list]:
    return app.extensions.setdefault("handvast.working_set", {"pages": [], "records": []})


def keep(app: Flask, url: str, *, who: Who = everyone, concerns: tuple[str, ...] = ()) -> None:
    """Keep ``url`` on the phones of users ``who`` may open it; fetch it again when a pulled
    change of one of the record types ``concerns`` arrives (ANY: every change)."""
    _registry(app)["pages"].append(KeptPage(url, who, tuple(concerns)))


def keep_per_record(app: Flask, record_type: str, template: str, *, who: Who = everyone,
                    concerns: tuple[str, ...] = ()) -> None:
    """Keep ``template`` (with ``{id}``) for every record of this type the phone pulls; fetch
    the kept ones again when a pulled change of one of the record types ``concerns`` arrives
    (a page that also shows other records, e.g. a picker of the user's people)."""
    _registry(app)["records"].append(RecordPage(record_type, template, who, tuple(concerns)))


def for_actor(app: Flask, actor: Actor) -> dict[str, Any]:
    """The pages this actor's phone keeps, as JSON for the phone; ``version`` changes when
    the set or the templates change, so the phone then fetches every page once again."""
    registry = _registry(app)
    pages = [{"url": p.url, "concerns": list(p.concerns)} for p in registry["pages"]
             if p.who(actor)]
    records: dict[str, list[str]] = {}
    record_concerns: dict[str, list[str]] = {}
    for r in registry["records"]:
        if r.who(actor):
            records.setdefault(r.record_type, []).append(r.template)
            if r.concerns:
                record_concerns[r.template] = list(r.concerns)
    body = {"pages": pages, "records": records, "record_concerns": record_concerns}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode())
    digest.update(_templates_digest(app.root_path).encode())
    return {**body, "version": digest.hexdigest()[:16]}


_DIGESTS: dict[str, str] = {}


def _templates_digest(root: str) -> str:
    """A digest of every template: a deployment that changes a page makes phones refetch."""
    if root not in _DIGESTS:
        digest = hashlib.sha256()
        for path in sorted(Path(root).rglob("templates/**/*.html")):
            digest.update(path.read_bytes())
        _DIGESTS[root] = digest.hexdigest()
    return _DIGESTS[root]


def keeps(app: Flask, actor: Actor, path: str) -> bool:
    """Whether ``path`` is a page of this actor's working set: one of its pages, or a record's
    page of one of its templates (whose view then says whether the actor may see the record)."""
    registry = _registry(app)
    if any(p.url == path and p.who(actor) for p in registry["pages"]):
        return True
    return any(r.who(actor) and _matches(r.template, path) for r in registry["records"])


def _matches(template: str, path: str) -> bool:
    head, _, tail = template.partition("{id}")
    if not (path.startswith(head) and path.endswith(tail)) or len(path) != len(head) + 36 + len(tail):
        return False
    record_id = path[len(head):len(head) + 36]
    return parse_id(record_id) == record_id
