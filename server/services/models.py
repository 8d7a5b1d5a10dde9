"""The local service directory (sociale kaart), with texts per language."""

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db


class Service(db.Model):
    __tablename__ = "service"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    # language code -> text; see services.queries.localised for the fallback order
    names: Mapped[dict[str, Any]] = mapped_column(JSON)
    descriptions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # lower-cased names and descriptions in every language, for search on any backend
    search_text: Mapped[str] = mapped_column(Text, default="")
