"""Tombstones are kept SYNC_TOMBSTONE_DAYS, then pruned; a cursor from before them answers 410."""

from datetime import datetime

from sqlalchemy import delete, func, select, tuple_, update

from ..core.changes import ChangeCounter, ChangeLog
from ..extensions import db
from .models import SyncDelivery


def prune_tombstones(before: datetime) -> int:
    """Forget deletions logged before ``before`` and move the horizon past the newest of them.

    The caller commits. Returns how many tombstones went.
    """
    newest = db.session.scalar(select(func.max(ChangeLog.seq)).where(
        ChangeLog.deleted.is_(True), ChangeLog.changed_at < before))
    if newest is None:
        return 0
    gone = (ChangeLog.deleted.is_(True), ChangeLog.seq <= newest)
    db.session.execute(delete(SyncDelivery).where(
        tuple_(SyncDelivery.record_type, SyncDelivery.record_id).in_(
            select(ChangeLog.record_type, ChangeLog.record_id).where(*gone))))
    pruned = db.session.execute(delete(ChangeLog).where(*gone)).rowcount
    # Taking the counter row also waits for transactions that are stamping changes right now.
    db.session.execute(update(ChangeCounter).where(
        ChangeCounter.id == 1, ChangeCounter.horizon < newest).values(horizon=newest))
    return pruned
