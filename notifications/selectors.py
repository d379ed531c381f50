"""Reads of the notifications."""
from django.db.models import QuerySet

from notifications.models import Notification


def list_notifications(user_id: str) -> QuerySet[Notification]:
    """A user's notifications, newest first."""
    return Notification.objects.filter(user_id=user_id).order_by("-created_at", "-id")
