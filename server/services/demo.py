"""Demo: two of Dilbeek's services written in every shipped language by its coordinator, so
the directory shows both complete entries and marked Dutch fallbacks."""

from ..core.access import Actor, Role
from ..extensions import db
from . import operations, queries
from .models import Service

TRANSLATIONS = {
    "language": ({"ar": "بيت اللغة الهولندية – برابانت الفلمنكية",
                  "tr": "Flaman Brabant Hollandaca Evi",
                  "uk": "Дім нідерландської мови Фламандського Брабанту"},
                 {"ar": "نصائح وتوجيه إلى دورة اللغة الهولندية المناسبة.",
                  "tr": "Doğru Hollandaca kursu için danışmanlık ve yönlendirme.",
                  "uk": "Порада й направлення на відповідний курс нідерландської."}),
    "civic_integration": ({"ar": "وكالة الاندماج والاندماج المدني – مكتب الاستقبال",
                           "tr": "Entegrasyon ve Uyum Ajansı – karşılama bürosu",
                           "uk": "Агентство з інтеграції – бюро прийому"},
                          {"ar": "مسار الاندماج المدني: التوجيه الاجتماعي والمرافقة.",
                           "tr": "Uyum programı: toplumsal oryantasyon ve rehberlik.",
                           "uk": "Програма інтеграції: соціальна орієнтація й супровід."}),
}


def translate_services(municipality_id: str, coordinator_id: str) -> None:
    actor = Actor(coordinator_id, municipality_id, frozenset({Role.COORDINATOR}))
    for service in queries.all_services(actor):
        if service.category not in TRANSLATIONS or service.names.get("ar"):
            continue
        names, descriptions = TRANSLATIONS[service.category]
        operations.update_service(actor, service, _form(service, names, descriptions))
    db.session.flush()


def _form(service: Service, names: dict, descriptions: dict) -> dict:
    form = {"category": service.category, "phone": service.phone or "",
            "website": service.website or "", "address": service.address or ""}
    for code in queries.TEXT_LANGUAGES:
        form[f"name_{code}"] = {**service.names, **names}.get(code, "")
        form[f"description_{code}"] = {**service.descriptions, **descriptions}.get(code, "")
    return form
