from rest_framework import serializers

from payments.models import Payment


class PaymentOut(serializers.ModelSerializer):
    paymentId = serializers.IntegerField(source="id")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)  # a string on the wire: "12.50"
    orderId = serializers.CharField(source="order_id")
    userId = serializers.CharField(source="user_id")
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Payment
        fields = ["paymentId", "status", "amount", "orderId", "userId", "createdAt"]
