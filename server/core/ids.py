"""Record and mutation identifiers: UUIDs as canonical lowercase strings."""

import uuid


def new_id() -> str:
    return str(uuid.uuid4())


def parse_id(value: object) -> str | None:
    """Return the canonical form of a UUID string, or None when it is not one."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
