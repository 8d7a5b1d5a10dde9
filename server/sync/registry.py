"""What a feature tells sync about its record types; sync itself imports no feature.

A feature registers, from its modules or its ``init_app``:
- the operation of each mutation type (``@handles("person.create")``, ``@handles_many``);
- each record type it syncs (``record_type(...)``): the model, the scope query of what an
  actor may pull, the pull serializer, and, for a type whose edits can conflict, the query of
  what the actor may still edit and the mutation type that resolves a conflict;
- what to re-announce when access to a record changes (``on_access_change``): who may see a
  person's contacts follows the person.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.access import Actor
from ..core.errors import ValidationFailed
from ..core.mutations import Mutation, Outcome

Handler = Callable[[Actor, Mutation], Outcome]
# The same operation for many new records at once: an Outcome, or why not, per mutation.
BulkHandler = Callable[[Actor, list[Mutation]], list[Outcome | ValidationFailed]]
HANDLERS: dict[str, Handler] = {}
BULK_HANDLERS: dict[str, BulkHandler] = {}


@dataclass(frozen=True)
class Resolving:
    """How the conflicts on a record type are shown in the inbox and resolved."""

    writable: Callable[[Actor], Any]  # a select of the records the actor may still edit
    update: str  # the mutation type that resolves a conflict: an ordinary update
    title: Callable[[Any], str]
    show_url: Callable[[Any], str]
    edit_url: Callable[[Any], str]


@dataclass(frozen=True)
class RecordType:
    name: str
    model: Any
    visible: Callable[[Actor], Any]  # a select of the records the actor may pull
    data: Callable[[Actor, Any], dict]  # the pull serializer
    resolving: Resolving | None = None  # for a type whose edits can conflict


RECORD_TYPES: dict[str, RecordType] = {}
ACCESS_HOOKS: dict[str, list[Callable[[str], None]]] = {}


def handles(mutation_type: str) -> Callable[[Handler], Handler]:
    """Register an operation as the handler of one mutation type."""

    def register(fn: Handler) -> Handler:
        HANDLERS[mutation_type] = fn
        return fn

    return register


def handles_many(mutation_type: str) -> Callable[[BulkHandler], BulkHandler]:
    """Register the set-based form of an operation (see apply.apply_many)."""

    def register(fn: BulkHandler) -> BulkHandler:
        BULK_HANDLERS[mutation_type] = fn
        return fn

    return register


def record_type(name: str, model: Any, *, visible: Callable[[Actor], Any],
                data: Callable[[Actor, Any], dict], resolving: Resolving | None = None) -> None:
    RECORD_TYPES[name] = RecordType(name, model, visible, data, resolving)


def on_access_change(record_type_name: str, hook: Callable[[str], None]) -> None:
    """``hook(record_id)`` runs when who may see that record changes (see access_changed)."""
    hooks = ACCESS_HOOKS.setdefault(record_type_name, [])
    if hook not in hooks:
        hooks.append(hook)


def access_changed(record_type_name: str, record_id: str) -> None:
    """Who may see this record changed: let the features re-announce what follows it."""
    for hook in ACCESS_HOOKS.get(record_type_name, []):
        hook(record_id)
