"""The demo's outreach rounds in Dilbeek: a stand at the market and a street round."""

from datetime import timedelta

from ..core.clock import now
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


def seed_rounds() -> None:
    worker = actor_of("worker@example.org", "dilbeek")
    volunteer = actor_of("volunteer@example.org", "dilbeek")
    if worker is None or volunteer is None:
        return
    rounds = [(worker, "market_stand", "Wekelijkse markt, Markt", 2,
               {"reached": 23, "conversations": 11, "flyers": 30, "referrals": 2},
               [("work", "Vragen naar werk en VDAB"), ("dutch_language", None)]),
              (volunteer, "street_work", "Stationsbuurt", 6,
               {"reached": 12, "conversations": 5, "flyers": 8, "referrals": 1},
               [("housing_environment", "Huurprijzen, te kleine woningen")])]
    for actor, kind, place, days, counts, topics in rounds:
        started = now() - timedelta(days=days, hours=2)
        round_id = _apply(actor, "outreach_round.start", {
            "kind": kind, "place": place, "started_at": started.isoformat()})
        for counter, total in counts.items():
            _apply(actor, "outreach_round.increment", {"counter": counter, "delta": total},
                   record_id=round_id)
        for domain, text in topics:
            _apply(actor, "outreach_round.topic", {"domain": domain, "text": text},
                   record_id=round_id)
        _apply(actor, "outreach_round.end", {
            "ended_at": (started + timedelta(hours=2)).isoformat()}, record_id=round_id)
