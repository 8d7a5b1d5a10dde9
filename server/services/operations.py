"""Every write to the service directory."""

from ..core.changes import Change, record_change
from ..extensions import db
from .models import Service
from .queries import search_text


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
