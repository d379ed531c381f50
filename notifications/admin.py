from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user_id", "kind", "order_id", "read", "created_at"]
    list_filter = ["kind", "read"]
    search_fields = ["user_id", "order_id", "message"]
    readonly_fields = ["created_at"]
