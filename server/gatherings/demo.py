"""The demo's gatherings in Dilbeek: a buurtbabbel the officer co-hosts, the volunteer's
praatcafé, a certificate party; past ones with their numbers, through the app's operations."""

from datetime import timedelta

from sqlalchemy import select

from ..core.clock import LOCAL_TZ, now
from ..core.ids import new_id
from ..core.mutations import Mutation
from ..extensions import db
from ..org.models import Neighbourhood
from ..org.queries import actor_of
from ..sync.apply import apply_one


def apply(actor, mutation_type: str, fields: dict, record_id: str | None = None) -> str:
    result = apply_one(actor, Mutation(id=new_id(), type=mutation_type,
                                       record_id=record_id or new_id(), fields=fields))
    if result.status != "applied":
        raise RuntimeError(f"demo seed: {mutation_type} {result.status} {result.errors}")
    return result.record_id


def _at(days: int, hour: int) -> str:
    day = (now() + timedelta(days=days)).astimezone(LOCAL_TZ)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def seed_gatherings() -> None:
    worker = actor_of("worker@example.org", "dilbeek")
    volunteer = actor_of("volunteer@example.org", "dilbeek")
    officer = actor_of("officer@example.org", "dilbeek")
    if worker is None or volunteer is None or officer is None:
        return
    hoods = list(db.session.scalars(select(Neighbourhood.id).where(
        Neighbourhood.municipality_id == worker.municipality_id).order_by(Neighbourhood.name)))
    hosts = [worker.user_id, officer.user_id]
    babbel = apply(worker, "gathering.create", {
        "kind": "buurtbabbel", "title": "Buurtbabbel aan het plein", "starts_at": _at(-10, 15),
        "place": "Plein aan de kerk", "neighbourhood_id": hoods[0], "host_ids": hosts,
        "invitation_languages": ["nl", "fr", "ar", "tr"]})
    _counted(officer, babbel, {"residents": 14, "newcomers": 6, "children": 5},
             ["nl", "fr", "ar", "tr"],
             [("housing_environment", "Sluikstort en parkeerdruk aan het plein"),
              ("safety", "Onveilige oversteekplaats aan de school")])
    apply(officer, "gathering.create", {
        "kind": "buurtbabbel", "title": "Buurtbabbel in de wijk", "starts_at": _at(12, 15),
        "place": "Speelplein", "neighbourhood_id": hoods[-1], "host_ids": hosts,
        "invitation_languages": ["nl", "fr", "ar"]})
    cafe = apply(volunteer, "gathering.create", {
        "kind": "praatcafe", "title": "Praatcafé in de bib", "starts_at": _at(-3, 19),
        "place": "Bibliotheek, leeszaal", "host_ids": [volunteer.user_id],
        "invitation_languages": ["nl", "en", "uk", "ar"]})
    _counted(volunteer, cafe, {"residents": 2, "newcomers": 9, "children": 0},
             ["nl", "uk", "ar", "ps"], [("dutch_language", "Wachtlijst NT2 bij het CVO")])
    apply(volunteer, "gathering.create", {
        "kind": "praatcafe", "title": "Praatcafé in de bib", "starts_at": _at(4, 19),
        "place": "Bibliotheek, leeszaal", "host_ids": [volunteer.user_id],
        "invitation_languages": ["nl", "en", "uk", "ar"]})
    apply(worker, "gathering.create", {
        "kind": "certificate_party", "starts_at": _at(20, 18),
        "place": "Gemeentehuis, raadzaal", "host_ids": [worker.user_id, volunteer.user_id],
        "invitation_languages": ["nl", "ar", "uk", "tr"]})


def _counted(actor, gathering_id: str, counts: dict[str, int], heard: list[str],
             topics: list[tuple[str, str]]) -> None:
    for counter, total in counts.items():
        if total:
            apply(actor, "gathering.increment", {"counter": counter, "delta": total},
                  record_id=gathering_id)
    for language in heard:
        apply(actor, "gathering.hear", {"language": language}, record_id=gathering_id)
    for domain, text in topics:
        apply(actor, "gathering.topic", {"domain": domain, "text": text}, record_id=gathering_id)
