"""The Actor every query is scoped by, as views ask for it (org.current loads it)."""

from flask import abort

from ..core.access import Actor, Role
from ..web import actor

__all__ = ["actor", "field_actor", "require"]


def require(*roles: Role) -> Actor:
    current = actor()
    if not current.roles & set(roles):
        abort(404)
    return current


def field_actor() -> Actor:
    """Someone who logs contacts and referrals; others get a 404 for those forms."""
    current = actor()
    if not current.is_field_user:
        abort(404)
    return current
