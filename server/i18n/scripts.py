"""The catalog as scripts read it: every message, and plural forms by CLDR category.

Scripts pick a plural form with ``Intl.PluralRules`` (CLDR categories); gettext numbers
its forms by the catalog's own rule. Asking the compiled catalog for one sample number of
each category gives the form the script needs, whatever the language's rule.
"""

from functools import cache

from babel import Locale
from flask_babel import get_translations


@cache
def _samples(language: str) -> dict[str, int]:
    """One number per CLDR plural category of the language (zero, one, two, few, many, other)."""
    locale = Locale.parse(language)
    samples: dict[str, int] = {}
    for number in range(0, 200):
        samples.setdefault(locale.plural_form(number), number)
    return samples


def script_catalog(language: str) -> dict:
    translations = get_translations()
    entries = getattr(translations, "_catalog", {})
    messages = {key: value for key, value in entries.items() if isinstance(key, str) and key}
    singulars = {key[0] for key in entries if isinstance(key, tuple)}
    plurals = {singular: {category: translations.ngettext(singular, singular, number)
                          for category, number in _samples(language).items()}
               for singular in singulars}
    return {"language": language, "messages": messages, "plurals": plurals}
