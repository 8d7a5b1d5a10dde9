"""Precomputed indicator figures: one row per municipality × period × indicator × cell."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

ALL = "all"  # the neighbourhood column of a figure over the whole municipality
UNPLACED = "none"  # records without a neighbourhood


class IndicatorValue(db.Model):
    """``neighbourhood`` is a neighbourhood id, ALL or UNPLACED; ``breakdown`` a key of the
    indicator's breakdown (a life domain, a step) or "" for the indicator as a whole."""

    __tablename__ = "indicator_value"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id"))
    period: Mapped[str] = mapped_column(String(7))
    indicator: Mapped[str] = mapped_column(String(40))
    neighbourhood: Mapped[str] = mapped_column(String(36))
    breakdown: Mapped[str] = mapped_column(String(40))
    numerator: Mapped[int] = mapped_column(Integer)
    denominator: Mapped[int | None] = mapped_column(Integer)
    refreshed_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("municipality_id", "period", "indicator", "neighbourhood", "breakdown",
                         name="uq_indicator_value_cell"),
        # The dashboard reads one municipality's period at a time.
        Index("ix_indicator_value_period", "municipality_id", "period"),
    )
