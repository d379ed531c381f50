"""Reads of the notifications."""

from django.db.models import QuerySet

from kubeshop.wire import from_attributes
from notifications.data import NotificationInfo
from notifications.models import Notification


def list_notifications(user_id: str) -> QuerySet[Notification]:
    """A user's notifications, newest first."""
    return Notification.objects.filter(user_id=user_id).order_by("-created_at", "-id")


def notification_info(notification: Notification) -> NotificationInfo:
    blank_is_none = {"event_id": notification.event_id or None, "order_id": notification.order_id or None}
    return from_attributes(NotificationInfo, notification, **blank_is_none)
