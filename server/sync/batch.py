"""Push: parse a batch envelope, apply its mutations in seq order, commit once."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..core.access import Actor
from ..core.clock import parse_iso_datetime
from ..core.errors import N_, FieldError
from ..core.ids import parse_id
from ..core.merge import base_version_error
from ..core.mutations import Mutation, Result
from ..core.validate import storable
from .apply import already_applied, apply_many, apply_one
from .registry import BULK_HANDLERS

SEQ_RANGE = range(-(2**63), 2**63)  # what the BIGINT column of applied_mutation holds


class BadEnvelope(ValueError):
    """The request itself is malformed: answer 400, the client keeps its batch."""


@dataclass
class Item:
    index: int
    mutation: Mutation | None
    early: Result | None  # rejected before applying (structure of one item)


def _item(index: int, raw: Any) -> Item:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise BadEnvelope(f"mutations[{index}] needs an id")
    mutation_id = raw["id"][:64]
    errors = []
    canonical = parse_id(mutation_id)
    if canonical != mutation_id:
        errors.append(FieldError("id", N_("not a valid id")))
    mutation_type, record_id = raw.get("type"), raw.get("record_id")
    fields, base, seq = raw.get("fields", {}), raw.get("base_version"), raw.get("seq")
    if not isinstance(mutation_type, str) or len(mutation_type) > 48:
        errors.append(FieldError("type", N_("unknown mutation type")))
    if not isinstance(record_id, str):
        errors.append(FieldError("record_id", N_("not a valid id")))
    if not isinstance(fields, dict):
        errors.append(FieldError("fields", N_("must be an object")))
    if (base_error := base_version_error(base)) is not None:
        errors.append(base_error)
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)
                            or seq not in SEQ_RANGE):
        errors.append(FieldError("seq", N_("must be a whole number")))
    recorded_at = raw.get("recorded_at")
    if recorded_at is not None and parse_iso_datetime(recorded_at) is None:
        errors.append(FieldError("recorded_at", N_("not a date and time with an offset")))
    if errors:
        record = record_id if isinstance(record_id, str) else ""
        return Item(index, None, Result(mutation_id, "rejected", record[:64], errors=errors))
    return Item(index, Mutation(id=mutation_id, type=mutation_type, record_id=record_id,
                                fields=fields, base_version=base, seq=seq,
                                recorded_at=parse_iso_datetime(recorded_at)), None)


def parse(body: Any, max_mutations: int) -> tuple[str, list[Item]]:
    if not isinstance(body, dict) or "client_id" not in body or "mutations" not in body:
        raise BadEnvelope("client_id and mutations are required")
    client_id, mutations = body["client_id"], body["mutations"]
    if not isinstance(client_id, str) or not 0 < len(client_id) <= 64 or not storable(client_id):
        raise BadEnvelope("client_id must be a string")
    if not isinstance(mutations, list):
        raise BadEnvelope("mutations must be a list")
    if len(mutations) > max_mutations:
        raise OverflowError
    return client_id, [_item(i, raw) for i, raw in enumerate(mutations)]


def apply_batch(actor: Actor, client_id: str, items: list[Item]) -> list[Result]:
    """Apply in seq order (the phone's order), answer in the request's order."""
    results: dict[int, Result] = {i.index: i.early for i in items if i.early is not None}
    ordered = sorted((i for i in items if i.mutation is not None),
                     key=lambda i: (i.mutation.seq is None, i.mutation.seq or 0, i.index))
    ids = [i.mutation.id for i in ordered]
    # One ledger lookup for the batch; an id that is in it, or twice in this batch, goes the
    # long way (apply_one looks it up again and answers "duplicate").
    seen = already_applied(ids) | {m for m, n in Counter(ids).items() if n > 1}
    for run in _runs(ordered, seen):
        mutations = [item.mutation for item in run]
        if len(run) > 1:
            outcomes = apply_many(actor, mutations, client_id)
        else:
            outcomes = [apply_one(actor, mutations[0], client_id,
                                  known_new=mutations[0].id not in seen)]
        results.update((item.index, result) for item, result in zip(run, outcomes, strict=True))
    return [results[i.index] for i in items]


def _runs(ordered: list[Item], seen: set[str]) -> list[list[Item]]:
    """Consecutive new mutations of a type with a set-based operation go together; every other
    one on its own, in the phone's order."""

    def together(item: Item) -> bool:
        m = item.mutation
        return m.type in BULK_HANDLERS and m.id not in seen and parse_id(m.record_id) == m.record_id

    runs: list[list[Item]] = []
    for item in ordered:
        last = runs[-1][-1] if runs else None
        if last and together(item) and together(last) and last.mutation.type == item.mutation.type:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs
