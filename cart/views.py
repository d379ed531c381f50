from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cart import selectors, services
from cart.data import CART_LINE, MAX_QUANTITY, PRICED_CART_LINE
from kubeshop.api import parse, response_schema
from kubeshop.permissions import IsOwnerOrService

CartLineOut = response_schema(PRICED_CART_LINE)


class CartView(APIView):
    permission_classes = [IsOwnerOrService]

    @extend_schema(responses=CartLineOut(many=True), description="That user's cart, priced from the catalog.")
    def get(self, request, user_id: str):
        if request.query_params.get("enrich") == "no":  # for peers that only need the lines
            lines = selectors.unpriced_cart(user_id)
        else:
            lines = selectors.priced_cart(user_id)
        return Response([PRICED_CART_LINE.to_wire(line) for line in lines])


class CartAddView(APIView):
    permission_classes = [IsOwnerOrService]

    class CartAddInput(serializers.Serializer):
        productId = serializers.IntegerField(min_value=1, max_value=2**62)
        quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, default=1)

    @extend_schema(request=CartAddInput, responses=CartLineOut, description="Add to a line's quantity.")
    def post(self, request, user_id: str):
        data = parse(self.CartAddInput, request.data)
        services.add_item(user_id=user_id, product_id=data["productId"], quantity=data["quantity"])
        return Response(PRICED_CART_LINE.to_wire(selectors.priced_line(user_id, data["productId"])))


class CartRemoveView(APIView):
    permission_classes = [IsOwnerOrService]

    class CartRemoveInput(serializers.Serializer):
        productId = serializers.IntegerField(min_value=1, max_value=2**62)

    @extend_schema(request=CartRemoveInput, responses={204: None}, description="Remove a line.")
    def delete(self, request, user_id: str):
        data = parse(self.CartRemoveInput, request.data)
        services.remove_item(user_id=user_id, product_id=data["productId"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class CartItemView(APIView):
    permission_classes = [IsOwnerOrService]

    class CartQuantityInput(serializers.Serializer):
        quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)

    @extend_schema(request=CartQuantityInput, responses={200: CartLineOut, 204: None}, description="0 removes it.")
    def put(self, request, user_id: str, product_id: int):
        data = parse(self.CartQuantityInput, request.data)
        item = services.set_quantity(user_id=user_id, product_id=product_id, quantity=data["quantity"])
        if item is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(PRICED_CART_LINE.to_wire(selectors.priced_line(user_id, product_id)))


class CartClearView(APIView):
    permission_classes = [IsOwnerOrService]

    class CartClearInput(serializers.Serializer):
        productIds = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**62), required=False, max_length=200
        )

    @extend_schema(request=CartClearInput, responses={204: None}, description="Empty the cart (or some lines).")
    def post(self, request, user_id: str):
        data = parse(self.CartClearInput, request.data)
        services.clear_cart(user_id=user_id, product_ids=data.get("productIds"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CartMergeView(APIView):
    permission_classes = [IsOwnerOrService]

    class CartMergeInput(serializers.Serializer):
        class Line(serializers.Serializer):
            productId = serializers.IntegerField(min_value=1, max_value=2**62)
            quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)

        lines = Line(many=True, max_length=200)

    @extend_schema(
        request=CartMergeInput,
        responses={204: None},
        description="Add a guest's lines to the cart (the storefront's sign-in); each line is capped, "
        "products off sale are dropped.",
    )
    def post(self, request, user_id: str):
        data = parse(self.CartMergeInput, request.data)
        services.merge_carts(user_id=user_id, lines=[CART_LINE.from_wire(li) for li in data["lines"]])
        return Response(status=status.HTTP_204_NO_CONTENT)
