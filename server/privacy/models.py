"""Access outside one's scope, granted for a while on a stated reason ("break the glass")."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core import clock
from ..core.db import Id
from ..core.ids import new_id
from ..extensions import db


class AccessGrant(db.Model):
    __tablename__ = "access_grant"
    id: Mapped[str] = mapped_column(Id(), primary_key=True, default=new_id)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    reason: Mapped[str] = mapped_column(String(300))
    granted_at: Mapped[datetime] = mapped_column(default=lambda: clock.now())
    expires_at: Mapped[datetime]

    __table_args__ = (Index("ix_access_grant_user_person", "user_id", "person_id"),)
