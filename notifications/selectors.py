"""Reads of the notifications."""

from django.db.models import QuerySet

from notifications.data import NotificationInfo
from notifications.models import Notification


def list_notifications(user_id: str) -> QuerySet[Notification]:
    """A user's notifications, newest first."""
    return Notification.objects.filter(user_id=user_id).order_by("-created_at", "-id")


def notification_info(notification: Notification) -> NotificationInfo:
    return NotificationInfo(
        id=notification.pk,
        user_id=notification.user_id,
        message=notification.message,
        kind=notification.kind,
        event_id=notification.event_id or None,  # blank is "none" on the wire too
        order_id=notification.order_id or None,
        read=notification.read,
        created_at=notification.created_at,
    )
