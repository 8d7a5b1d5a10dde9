"""One page of a long list: its rows, how many there are in all, and which page it is."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select, func

from .extensions import db

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(args: Mapping[str, str]) -> int:
    """The page asked for (?page=, the first without one); anything but a page number is
    refused with a reason."""
    text = args.get("page", "1")
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        abort(400, description=_("The page number must be a whole number from 1."))
    return int(text)


def paged(query: Select, number: int, size: int = PAGE_SIZE) -> Page:
    """The rows of page ``number`` of an ordered query, and the count of all of them: two
    statements whatever the length of the list."""
    counted = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    total = db.session.scalar(counted) or 0
    rows = db.session.scalars(query.limit(size).offset((number - 1) * size))
    return Page(list(rows.unique()), total, number, size)
