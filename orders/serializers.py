from rest_framework import serializers


class OrderItemOut(serializers.Serializer):
    productId = serializers.IntegerField(source="product_id")
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)


class OrderOut(serializers.Serializer):
    orderId = serializers.CharField(source="id")
    userId = serializers.CharField(source="user_id")
    totalAmount = serializers.DecimalField(source="total_amount", max_digits=12, decimal_places=2)
    status = serializers.CharField()
    paymentId = serializers.IntegerField(source="payment_id", allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")
    items = OrderItemOut(many=True)
