from django.contrib import admin

from orders.models import Order, OrderItem, OutboxEvent


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    readonly_fields = ["product_id", "name", "quantity", "price"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "user_id", "status", "total_amount", "created_at"]
    list_filter = ["status"]
    search_fields = ["id", "user_id"]
    inlines = [OrderItemInline]
    readonly_fields = ["user_id", "total_amount", "payment_id", "created_at", "updated_at"]


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "order_id", "delivered_at", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["kind", "delivered_at"]
