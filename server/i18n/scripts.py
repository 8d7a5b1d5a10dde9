"""The catalog as scripts read it: every message, and plural forms by CLDR category.

Scripts pick a plural form with ``Intl.PluralRules`` (CLDR categories); gettext numbers
its forms by the catalog's own rule. Asking the compiled catalog for one sample number of
each category gives the form the script needs, whatever the language's rule.
"""

from functools import cache

from babel import Locale
from flask_babel import get_translations

from . import catalogs


@cache
def _samples(language: str) -> dict[str, int]:
    """One number per CLDR plural category of the language (zero, one, two, few, many, other)."""
    locale = Locale.parse(language)
    samples: dict[str, int] = {}
    for number in range(0, 200):
        samples.setdefault(locale.plural_form(number), number)
    return samples


@cache
def _source_messages() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The source strings of the template: singular ones, and (singular, plural) pairs."""
    template = [m.id for m in catalogs.read_catalog(catalogs.TEMPLATE) if m.id]
    return (tuple(i for i in template if isinstance(i, str)),
            tuple(i for i in template if isinstance(i, tuple)))


def script_catalog(language: str) -> dict:
    translations = get_translations()
    singulars, pairs = _source_messages()
    messages = {text: translations.gettext(text) for text in singulars}
    plurals = {one: {category: translations.ngettext(one, many, number)
                     for category, number in _samples(language).items()}
               for one, many in pairs}
    return {"language": language, "messages": messages, "plurals": plurals}
