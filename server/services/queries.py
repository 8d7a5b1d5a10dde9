"""Reads of the service directory: search in every language, texts with a fallback."""

from sqlalchemy import Select, select

from ..core.access import Actor
from ..extensions import db, one_or_not_found
from .models import Service

FALLBACK = ("nl", "en", "fr")


def localised(texts: dict[str, str], locale: str) -> str:
    """The text in the wanted language, else Dutch, English, French, else any."""
    for code in (locale, *FALLBACK):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def search_text(names: dict[str, str], descriptions: dict[str, str]) -> str:
    return " ".join([*names.values(), *descriptions.values()]).lower()


def search(actor: Actor, text: str = "", category: str | None = None,
           limit: int = 50) -> list[Service]:
    query = select(Service).where(Service.municipality_id == actor.municipality_id,
                                  Service.active.is_(True))
    for word in text.lower().split()[:5]:
        query = query.where(Service.search_text.contains(word, autoescape=True))
    if category:
        query = query.where(Service.category == category)
    return list(db.session.scalars(query.order_by(Service.category, Service.id).limit(limit)))


def visible_services(actor: Actor) -> Select[tuple[Service]]:
    return select(Service).where(Service.municipality_id == actor.municipality_id)


def get(actor: Actor, service_id: str) -> Service:
    return one_or_not_found(visible_services(actor).where(Service.id == service_id))


def sync_data(_actor: Actor, service: Service) -> dict:
    return {"category": service.category, "names": service.names,
            "descriptions": service.descriptions, "phone": service.phone,
            "website": service.website, "address": service.address, "active": service.active}
