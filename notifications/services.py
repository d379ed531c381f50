"""Every write and rule of the notifications: store once per event, deliver after commit, mark read."""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from kubeshop.errors import Conflict, InvalidRequest, NotFound, Unavailable
from notifications.data import NewNotification
from notifications.models import Notification

log = logging.getLogger("notifications")

SUBJECT_LENGTH = 60


def notify(new: NewNotification) -> tuple[Notification, bool]:
    """Store a notification once per event id and deliver it; returns it and whether it is new."""
    user_id, event_id, email = new.user_id, new.event_id, new.email
    notification = Notification(
        user_id=user_id,
        message=new.message.strip(),
        event_id=event_id or None,
        order_id=new.order_id,
        kind=new.kind,
        mailed_at=timezone.now() if email else None,  # claimed now, so that a redelivery does not mail it too
    )
    _validate(notification, email)
    try:
        with transaction.atomic():  # the unique event_id decides when a redelivery races the first
            notification.save()
    except IntegrityError:
        existing = Notification.objects.filter(event_id=event_id).first() if event_id else None
        if existing is None:
            raise
        if existing.user_id != user_id:
            raise Conflict(f"eventId: {event_id!r} was already used for another user.") from None
        # A sender that stored the notice at once asks again, with the address, from its dispatcher:
        # mail now, and fail the call if the mail server does, so that the sender retries.
        claimed = email and Notification.objects.filter(pk=existing.pk, mailed_at__isnull=True).update(
            mailed_at=timezone.now()
        )
        if claimed and not _mail(existing, email):
            raise Unavailable("The mail server is unavailable; the notification is stored, not yet mailed.") from None
        return existing, False
    transaction.on_commit(partial(_deliver, notification, email), robust=True)
    return notification, True


def _validate(notification: Notification, email: str) -> None:
    try:
        notification.full_clean(validate_unique=False, validate_constraints=False)
        if email:
            validate_email(email)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"email": exc.messages}
        raise InvalidRequest(" ".join(f"{f}: {m}" for f, ms in fields.items() for m in ms)) from None


def _deliver(notification: Notification, email: str) -> None:
    """Deliver a stored notification; a failing mail server is logged, the notification stays stored."""
    log.info(
        "notification sent to %s for order %s: %s",
        notification.user_id,
        notification.order_id or "-",
        notification.message,
    )
    if email:
        _mail(notification, email)


def _mail(notification: Notification, email: str) -> bool:
    """Mail a notification claimed for mail; a failing mail server is logged, the claim undone, False returned."""
    # Header values may not hold line breaks: collapse the message's whitespace for the subject.
    subject = "KubeShop: " + " ".join(notification.message.split())[:SUBJECT_LENGTH]
    try:
        send_mail(subject, notification.message, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    except Exception:
        log.exception("could not email notification %s to %s", notification.id, notification.user_id)
        Notification.objects.filter(pk=notification.pk).update(mailed_at=None)  # a redelivery may try again
        return False
    return True


def mark_read(*, user_id: str, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; NotFound if the user has none with that id."""
    try:
        notification = Notification.objects.get(pk=notification_id, user_id=user_id)
    except Notification.DoesNotExist:
        raise NotFound(f"Notification {notification_id} does not exist.") from None
    if not notification.read:
        notification.read = True
        notification.save(update_fields=["read"])
    return notification
