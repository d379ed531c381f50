from rest_framework import serializers

from notifications.models import Notification


class _BlankAsNull(serializers.CharField):
    """An optional text shown as null when it is empty."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value) -> str | None:
        return value or None


class NotificationOut(serializers.ModelSerializer):
    userId = serializers.CharField(source="user_id", read_only=True)
    eventId = _BlankAsNull(source="event_id")
    orderId = _BlankAsNull(source="order_id")
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "userId", "message", "kind", "eventId", "orderId", "read", "createdAt"]
        read_only_fields = fields
