from decimal import Decimal

from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kubeshop.api import parse, response_schema
from kubeshop.errors import InvalidRequest
from kubeshop.idempotency_key import MAX_LENGTH, check_idempotency_key
from kubeshop.permissions import IsService
from payments import selectors, services
from payments.data import CARD_NUMBER, CARD_RULE, PAYMENT
from payments.models import Payment

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=f"1 to {MAX_LENGTH} printable characters without spaces. "
    "A retry with the same key and body answers as the first call did.",
)
PAYMENT_ID = OpenApiParameter("payment_id", int, OpenApiParameter.PATH)
PaymentOut = response_schema(PAYMENT)
PAYMENT_ERROR = inline_serializer("PaymentError", {"detail": serializers.CharField()})


def _answer(payment: Payment) -> dict:
    return PAYMENT.to_wire(selectors.payment_info(payment))


def _idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not key.strip():
        raise InvalidRequest("Idempotency-Key: this header is required; send one unique key per charge.")
    return check_idempotency_key(key)


class ProcessPaymentView(APIView):
    permission_classes = [IsService]

    class ChargeInput(serializers.Serializer):
        userId = serializers.CharField(max_length=150)
        amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
        orderId = serializers.CharField(max_length=64)
        card = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=19,
            validators=[RegexValidator(CARD_NUMBER, CARD_RULE)],
        )

    @extend_schema(
        tags=["payments"],
        request=ChargeInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: PaymentOut,
            402: OpenApiResponse(PAYMENT_ERROR, description="The card was declined."),
            422: OpenApiResponse(PAYMENT_ERROR, description="The Idempotency-Key was used for a different charge."),
        },
        description="Services only: charge once per Idempotency-Key. The test card 4000000000000002 is declined.",
    )
    def post(self, request):
        key = _idempotency_key(request)
        data = parse(self.ChargeInput, request.data)
        payment = services.charge(
            idempotency_key=key,
            user_id=data["userId"],
            order_id=data["orderId"],
            amount=data["amount"],
            card=data["card"],
        )
        return Response(_answer(payment), status=status.HTTP_201_CREATED)


class OrderRef(serializers.Serializer):
    orderId = serializers.CharField(max_length=64)


class OrderPaymentsView(APIView):
    permission_classes = [IsService]

    @extend_schema(
        tags=["payments"],
        parameters=[OrderRef],
        responses=PaymentOut(many=True),
        description="Services only: every payment of an order, oldest first (was this order charged?).",
    )
    def get(self, request):
        data = parse(OrderRef, request.query_params.dict())
        return Response([_answer(p) for p in selectors.payments_of_order(data["orderId"])])


class PaymentDetailView(APIView):
    permission_classes = [IsService]

    @extend_schema(tags=["payments"], parameters=[PAYMENT_ID], responses=PaymentOut, description="Services only.")
    def get(self, request, payment_id: int):
        return Response(_answer(selectors.get_payment(payment_id)))


class RefundPaymentView(APIView):
    permission_classes = [IsService]

    @extend_schema(
        tags=["payments"],
        request=None,
        parameters=[PAYMENT_ID],
        responses={200: PaymentOut, 409: OpenApiResponse(PAYMENT_ERROR, description="The payment was declined.")},
        description="Services only: refund a payment; refunding it again changes nothing.",
    )
    def post(self, request, payment_id: int):
        return Response(_answer(services.refund(payment_id=payment_id)))


class VoidOrderPaymentsView(APIView):
    permission_classes = [IsService]

    @extend_schema(
        tags=["payments"],
        request=OrderRef,
        responses=inline_serializer(
            "PaymentVoidResult", {"refunded": serializers.ListField(child=serializers.IntegerField())}
        ),
        description="Services only: refund every succeeded payment of an order; `refunded` lists all of its refunds.",
    )
    def post(self, request):
        data = parse(OrderRef, request.data)
        payments = services.void_order(order_id=data["orderId"])
        return Response({"refunded": [p.id for p in payments]})
