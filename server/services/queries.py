"""Reads of the service directory: search in every language, texts with a fallback."""

from sqlalchemy import Select, select

from ..core.access import Actor
from ..extensions import db, one_or_not_found
from .models import Service

FALLBACK = ("nl", "en", "fr")
# The languages a service's name and description are written in: the shipped catalogs.
TEXT_LANGUAGES = ("nl", "fr", "en", "ar", "tr", "uk")


def localised_with_language(texts: dict[str, str], locale: str) -> tuple[str, str]:
    """(language code, text): in the wanted language, else Dutch, English, French, else any.
    A code other than ``locale`` is a fallback, which pages mark as such."""
    for code in (locale, *FALLBACK):
        if texts.get(code):
            return code, texts[code]
    return next(iter(texts.items()), (locale, ""))


def localised(texts: dict[str, str], locale: str) -> str:
    return localised_with_language(texts, locale)[1]


def missing_languages(service: Service) -> list[str]:
    """The shipped languages the service has no name for."""
    return [code for code in TEXT_LANGUAGES if not service.names.get(code)]


def all_services(actor: Actor) -> list[Service]:
    """Every service of the municipality, deactivated ones too, for the directory's editors."""
    return list(db.session.scalars(visible_services(actor).order_by(
        Service.active.desc(), Service.category, Service.id)))


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


def get(actor: Actor, service_id: str, *, for_update: bool = False) -> Service:
    return one_or_not_found(visible_services(actor).where(Service.id == service_id),
                            for_update=for_update)


def sync_data(_actor: Actor, service: Service) -> dict:
    return {"category": service.category, "names": service.names,
            "descriptions": service.descriptions, "phone": service.phone,
            "website": service.website, "address": service.address, "active": service.active}
