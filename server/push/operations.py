"""Every write of push: a device's subscription added, moved to its new user, or removed.
Flush only; the request commits."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..core.errors import N_, ValidationFailed
from ..extensions import db
from .models import PushSubscription
from .subscriptions import Subscription


def subscribe(user_id: str, subscription: Subscription, now: datetime, max_devices: int) -> bool:
    """Keep this device's subscription for the user: True when new. A known endpoint with its
    own keys is the same device, now this user's (a phone handed on); with other keys it is
    someone who learnt the address, and is refused (it would take that device's reminders).
    Each user keeps their latest devices."""
    device = _device(subscription.endpoint)
    created = device is None
    if created:
        try:
            with db.session.begin_nested():  # another request may add it at the same moment
                db.session.add(PushSubscription(user_id=user_id, endpoint=subscription.endpoint,
                                                p256dh=subscription.p256dh, auth=subscription.auth,
                                                created_at=now, confirmed_at=now))
        except IntegrityError:
            created, device = False, _device(subscription.endpoint)
    if device is not None:
        if (device.p256dh, device.auth) != (subscription.p256dh, subscription.auth):
            raise ValidationFailed.single("endpoint", N_("is another device's subscription"))
        device.user_id, device.confirmed_at = user_id, now
    db.session.flush()
    _keep_latest(user_id, max_devices)
    return created


def unsubscribe(user_id: str, endpoint: str) -> None:
    """This user's subscription of that device goes (someone else's stays where it is)."""
    db.session.execute(delete(PushSubscription).where(PushSubscription.user_id == user_id,
                                                      PushSubscription.endpoint == endpoint))


def _device(endpoint: str) -> PushSubscription | None:
    return db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint)
                             .with_for_update().execution_options(populate_existing=True))


def _keep_latest(user_id: str, max_devices: int) -> None:
    older = db.session.scalars(
        select(PushSubscription.id).where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.confirmed_at.desc(), PushSubscription.id)
        .offset(max_devices)).all()
    if older:
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(older)))
