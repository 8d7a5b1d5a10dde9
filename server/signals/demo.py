"""The demo's signals in Dilbeek, one at each status, one raised by the officer (with news
for them on their home page)."""

from ..core.ids import new_id
from ..core.mutations import Mutation
from ..org.queries import actor_of
from ..sync.apply import apply_one


def _apply(actor, mutation_type: str, fields: dict, record_id: str | None = None) -> str:
    result = apply_one(actor, Mutation(id=new_id(), type=mutation_type,
                                       record_id=record_id or new_id(), fields=fields))
    if result.status != "applied":
        raise RuntimeError(f"demo seed: {mutation_type} {result.status} {result.errors}")
    return result.record_id


def seed_signals() -> None:
    people = {key: actor_of(f"{key}@example.org", "dilbeek")
              for key in ("worker", "volunteer", "officer", "coordinator")}
    if None in people.values():
        return
    worker, volunteer, officer, coordinator = (people[k] for k in (
        "worker", "volunteer", "officer", "coordinator"))
    raised = [
        (officer, "safety", "high", "Donkere doorgang naast de sporthal: bewoners voelen zich "
         "er 's avonds onveilig.", [(worker, {"status": "acknowledged",
                                               "note": "Bekeken met de dienst openbare werken."})]),
        (volunteer, "dutch_language", "normal", "Wachtlijst voor NT2 bij het CVO is vier "
         "maanden: deelnemers van het praatcafé haken af.", [
             (worker, {"status": "acknowledged"}),
             (coordinator, {"status": "forwarded", "forwarded_to": "Huis van het Nederlands",
                            "note": "Besproken op het lokaal overleg."})]),
        (worker, "housing_environment", "high", "Drie gezinnen in één woning met schimmel.", [
            (coordinator, {"status": "forwarded", "forwarded_to": "Woondienst"}),
            (coordinator, {"status": "resolved", "note": "De woondienst heeft een "
                           "conformiteitsonderzoek gedaan."})]),
        (volunteer, "education", "low", "Geen plaats in de kinderopvang voor ouders die "
         "naar de Nederlandse les willen.", []),
    ]
    for reporter, theme, urgency, description, steps in raised:
        signal_id = _apply(reporter, "signal.create", {
            "theme": theme, "urgency": urgency, "description": description})
        for who, fields in steps:
            _apply(who, "signal.triage", fields, record_id=signal_id)
