from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors, services
from catalog.serializers import CategoryOut, ProductIn, ProductOut
from kubeshop.api import parse
from kubeshop.pagination import PageInput, paginate
from kubeshop.permissions import AllowAny, IsStaff, IsStaffOrReadOnly


def _is_staff(request) -> bool:
    return IsStaff().has_permission(request, None)


class ProductListView(APIView):
    permission_classes = [IsStaffOrReadOnly]

    class Filters(PageInput):
        q = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
        category = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)

    @extend_schema(
        parameters=[Filters],
        responses=ProductOut(many=True),
        description="Active products as a JSON array; `X-Total-Count` and `Link` headers paginate.",
    )
    def get(self, request):
        filters = parse(self.Filters, request.query_params.dict())
        page = paginate(
            request,
            selectors.list_products(q=filters["q"], category=filters["category"]),
            page=filters["page"],
            page_size=filters["page_size"],
        )
        return Response(ProductOut(page.items, many=True).data, headers=page.headers)

    @extend_schema(request=ProductIn, responses={201: ProductOut}, description="Staff only.")
    def post(self, request):
        product = services.create_product(**parse(ProductIn, request.data))
        return Response(ProductOut(product).data, status=status.HTTP_201_CREATED)


class ProductDetailView(APIView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(responses=ProductOut, parameters=[OpenApiParameter("product_id", int, OpenApiParameter.PATH)])
    def get(self, request, product_id: int):
        product = selectors.get_product(product_id, include_inactive=_is_staff(request))
        return Response(ProductOut(product).data)

    @extend_schema(request=ProductIn, responses=ProductOut, description="Staff only: replace a product.")
    def put(self, request, product_id: int):
        return self._update(request, product_id, partial=False)

    @extend_schema(request=ProductIn, responses=ProductOut, description="Staff only: change some fields.")
    def patch(self, request, product_id: int):
        return self._update(request, product_id, partial=True)

    @extend_schema(responses={204: None}, description="Staff only: take the product off sale.")
    def delete(self, request, product_id: int):
        services.withdraw_product(selectors.get_product(product_id, include_inactive=True))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request, product_id: int, *, partial: bool) -> Response:
        product = selectors.get_product(product_id, include_inactive=True)
        changes = parse(ProductIn, request.data, partial=partial)
        return Response(ProductOut(services.update_product(product, **changes)).data)


class CategoryListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CategoryOut(many=True))
    def get(self, request):
        return Response(CategoryOut(selectors.list_categories(), many=True).data)
