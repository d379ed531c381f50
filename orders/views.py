from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kubeshop.api import parse, response_schema
from kubeshop.errors import Forbidden
from kubeshop.pagination import PageInput, paginate
from kubeshop.permissions import IsCustomer
from orders import cancellation, idempotency, selectors
from orders.data import ORDER
from orders.models import OrderStatus
from payments import client as payments

OrderOut = response_schema(ORDER)


def _acting_for(request, user_id: str) -> None:
    """Customers act for themselves; staff and services may act for anyone."""
    if not (request.user.is_staff or request.user.may_act_for(user_id)):
        raise Forbidden("You may only reach your own orders.")


class OrderCreateView(APIView):
    permission_classes = [IsCustomer]

    class OrderCreateInput(serializers.Serializer):
        userId = serializers.CharField(max_length=150)
        card = serializers.RegexField(payments.CARD_NUMBER, required=False, allow_blank=True, default="")
        email = serializers.EmailField(required=False, allow_blank=True, default="")  # from a service only

    @extend_schema(
        request=OrderCreateInput,
        responses={201: OrderOut},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        description="Check out the user's cart. 402 declined, 409 short stock, 503 a dependency is down.",
    )
    def post(self, request):
        data = parse(self.OrderCreateInput, request.data)
        _acting_for(request, data["userId"])
        # Where the order's mail goes: the signed-in customer's own address, or the one the storefront
        # read from its accounts when it checks out for them; never an address a customer typed in.
        email = data["email"] if request.user.is_service else request.user.email
        email = email if request.user.may_act_for(data["userId"]) else ""

        status, body = idempotency.checkout(
            user_id=data["userId"], card=data["card"], email=email, key=request.headers.get("Idempotency-Key")
        )
        return Response(body, status=status)


class OrderListView(APIView):
    permission_classes = [IsCustomer]

    class OrderFilters(PageInput):
        userId = serializers.CharField(max_length=150, required=False)

    @extend_schema(parameters=[OrderFilters], responses=OrderOut(many=True), description="Newest first.")
    def get(self, request):
        filters = parse(self.OrderFilters, request.query_params.dict())
        user_id = filters.get("userId", request.user.username)
        _acting_for(request, user_id)
        page = paginate(request, selectors.orders_of(user_id), page=filters["page"], page_size=filters["page_size"])
        return Response([ORDER.to_wire(selectors.order_info(o)) for o in page.items], headers=page.headers)


class OrderDetailView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(responses=OrderOut)
    def get(self, request, order_id):
        return Response(ORDER.to_wire(selectors.order_info(selectors.order_for(request.user, order_id))))


class OrderCancelView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        request=None,
        responses={200: OrderOut, 202: OrderOut},
        description="Cancel a paid order: refund it and return its stock. 200 CANCELLED when every step landed "
        "at once; 202 CANCELLING when a service was down and the rest follows.",
    )
    def post(self, request, order_id):
        order = cancellation.cancel_order(selectors.order_for(request.user, order_id))
        order = selectors.order_info(selectors.order_for(request.user, order.id))
        return Response(ORDER.to_wire(order), status=200 if order.status == OrderStatus.CANCELLED else 202)
