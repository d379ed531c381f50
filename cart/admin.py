from django.contrib import admin

from cart.models import CartItem


@admin.register(CartItem)
class CartItemAdmin(admin.ModelAdmin):
    list_display = ["user_id", "product_id", "quantity", "updated_at"]
    search_fields = ["user_id"]
