from django.db import models
from django.db.models import Q


class CartItem(models.Model):
    """One line of a user's cart: a product (of the catalog, by id) and how many."""

    user_id = models.CharField(max_length=150)
    product_id = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user_id", "product_id"], name="one_cart_line_per_product"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.quantity} × product {self.product_id}"
