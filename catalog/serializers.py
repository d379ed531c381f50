from decimal import Decimal

from rest_framework import serializers

from catalog.models import Category

MAX_STOCK = 1_000_000


class ProductIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)
    category = serializers.SlugField(max_length=100, allow_null=True, required=False)
    image_url = serializers.URLField(max_length=500, allow_blank=True, required=False)
    is_active = serializers.BooleanField(required=False)


class ProductChange(ProductIn):
    """PUT and PATCH: a new `stock` must come with `expectedStock`, the stock the caller read before counting."""

    expectedStock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)


class CategoryOut(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]
