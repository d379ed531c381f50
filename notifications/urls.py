from django.urls import path

import kubeshop.converters  # noqa: F401  (registers <id:…> and <username:…>)
from notifications import views

urlpatterns = [
    path("api/notify", views.NotifyView.as_view(), name="notify"),
    path("api/notifications/<username:user_id>", views.NotificationListView.as_view(), name="notification-list"),
    path(
        "api/notifications/<username:user_id>/<id:notification_id>/read",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
