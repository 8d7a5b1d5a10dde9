"""Every write to the service directory: texts in every shipped language, contact details,
(de)activation. Each change is logged for the phones' pull."""

from urllib.parse import urlsplit

from ..audit import audit
from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.errors import N_
from ..core.validate import Checker
from ..core.vocab import SERVICE_CATEGORIES
from ..extensions import db
from .models import Service
from .queries import TEXT_LANGUAGES, search_text

FIELDS = ("category", *(f"name_{c}" for c in TEXT_LANGUAGES),
          *(f"description_{c}" for c in TEXT_LANGUAGES), "phone", "website", "address")
REQUIRED_NAME = "name_nl"  # the municipality's language: every reader can fall back to it


def add_service(municipality_id: str, category: str, names: dict[str, str],
                descriptions: dict[str, str], phone: str | None = None,
                website: str | None = None, address: str | None = None) -> Service:
    service = Service(municipality_id=municipality_id, category=category, names=names,
                      descriptions=descriptions, phone=phone, website=website, address=address,
                      search_text=search_text(names, descriptions), version=1)
    db.session.add(service)
    db.session.flush()
    record_change(db.session, Change("service", service.id, municipality_id, service.version))
    return service


def _read(data: dict) -> dict:
    """The checked fields of a service form; a missing translation is simply left out."""
    check = Checker(data, FIELDS)
    category = check.choice("category", SERVICE_CATEGORIES, required=True)
    names, descriptions = {}, {}
    for code in TEXT_LANGUAGES:
        if name := check.text(f"name_{code}", max_len=200, required=code == "nl"):
            names[code] = name
        if text := check.text(f"description_{code}", max_len=2000, lines=True):
            descriptions[code] = text
    phone = check.text("phone", max_len=40)
    website = check.text("website", max_len=300)
    if website:
        parts = urlsplit(website)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in website:
            check.fail("website", N_("not a web address starting with https://"))
    address = check.text("address", max_len=300)
    check.done()
    return {"category": category, "names": names, "descriptions": descriptions,
            "phone": phone, "website": website, "address": address}


def create_service(actor: Actor, data: dict) -> Service:
    service = add_service(actor.municipality_id, **_read(data))
    _audit(actor, "create_service", service)
    return service


def update_service(actor: Actor, service: Service, data: dict) -> None:
    for name, value in _read(data).items():
        setattr(service, name, value)
    service.search_text = search_text(service.names, service.descriptions)
    _changed(actor, "update_service", service)


def set_service_active(actor: Actor, service: Service, active: bool) -> None:
    """A deactivated service is no longer found or offered for referrals; referrals to it stay."""
    service.active = active
    _changed(actor, "activate_service" if active else "deactivate_service", service)


def _changed(actor: Actor, action: str, service: Service) -> None:
    service.version += 1
    db.session.flush()
    record_change(db.session, Change("service", service.id, service.municipality_id,
                                     service.version))
    _audit(actor, action, service)


def _audit(actor: Actor, action: str, service: Service) -> None:
    audit(action, user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="service", object_id=service.id)
    db.session.flush()
