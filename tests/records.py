"""The tests' one default person, contact and referral: the fields a mutation carries, and the
contact form as the page posts it. Factories (tests/factories.py), the sync client
(tests/sync_client.py) and the form tests all start from these and override what they test."""

from datetime import timedelta

from server.core.clock import LOCAL_TZ, now

NOTE = "Talked about school."


def person_fields(display_name: str = "Amina", **overrides) -> dict:
    return {"display_name": display_name, "languages": ["ar", "fr"], **overrides}


def contact_fields(person_ids=(), **overrides) -> dict:
    return {"occurred_at": (now() - timedelta(hours=1)).isoformat(), "channel": "home_visit",
            "domains": ["education"], "person_ids": list(person_ids), "note": NOTE, **overrides}


def referral_fields(person_id: str, service_id: str, **overrides) -> dict:
    return {"person_id": person_id, "service_id": service_id, **overrides}


def contact_form(client, person_ids=(), **overrides) -> dict:
    """The contact form's fields (/contacts/new) with the client's CSRF token: the default
    contact, its time in the form's local minutes."""
    fields = contact_fields(person_ids)
    occurred = (now() - timedelta(hours=1)).astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
    return {**fields, "csrf_token": client.csrf, "occurred_at": occurred,
            "note_visibility": "team", **overrides}
