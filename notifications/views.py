from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kubeshop.api import parse, response_schema
from kubeshop.pagination import PageInput, paginate
from kubeshop.permissions import IsOwnerOrService, IsService
from notifications import selectors, services
from notifications.data import NEW_NOTIFICATION, NOTIFICATION
from notifications.models import KIND_PATTERN, MAX_MESSAGE_LENGTH, Notification

NotificationOut = response_schema(NOTIFICATION)
NOTIFICATION_ID = OpenApiParameter("notification_id", int, OpenApiParameter.PATH)


def _answer(notification: Notification) -> dict:
    return NOTIFICATION.to_wire(selectors.notification_info(notification))


class NotifyView(APIView):
    permission_classes = [IsService]

    class NotifyInput(serializers.Serializer):
        userId = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
        message = serializers.CharField(max_length=MAX_MESSAGE_LENGTH)
        eventId = serializers.CharField(max_length=100, required=False, allow_blank=True, allow_null=True)
        orderId = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True)
        kind = serializers.RegexField(KIND_PATTERN, max_length=50, required=False, default="info")
        email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)

    @extend_schema(
        request=NotifyInput,
        responses={201: NotificationOut, 200: NotificationOut},
        tags=["notifications"],
        description="Services only. Idempotent on `eventId`: 201 when stored, 200 with the stored one when repeated.",
    )
    def post(self, request):
        data = parse(self.NotifyInput, request.data)
        absent_is_empty = {name: value or "" for name, value in data.items()}  # eventId, orderId, email may be null
        notification, created = services.notify(NEW_NOTIFICATION.from_wire(absent_is_empty))
        return Response(_answer(notification), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class NotificationListView(APIView):
    permission_classes = [IsOwnerOrService]

    @extend_schema(
        parameters=[PageInput],
        responses=NotificationOut(many=True),
        description="The user's notifications, newest first, as a JSON array; `X-Total-Count` and `Link` paginate.",
    )
    def get(self, request, user_id: str):
        paging = parse(PageInput, request.query_params.dict())
        page = paginate(
            request, selectors.list_notifications(user_id), page=paging["page"], page_size=paging["page_size"]
        )
        return Response([_answer(n) for n in page.items], headers=page.headers)


class NotificationReadView(APIView):
    permission_classes = [IsOwnerOrService]

    @extend_schema(
        request=None,
        responses=NotificationOut,
        parameters=[NOTIFICATION_ID],
        description="Mark one of the user's notifications read; another user's notification is a 404.",
    )
    def post(self, request, user_id: str, notification_id: int):
        notification = services.mark_read(user_id=user_id, notification_id=notification_id)
        return Response(_answer(notification))
