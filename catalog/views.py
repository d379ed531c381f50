import hashlib
import json
import re
from functools import update_wrapper

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import cache, selectors, services
from catalog.data import PRODUCT, STOCK_LINE
from catalog.serializers import MAX_STOCK, CategoryOut, ProductChange, ProductIn
from kubeshop.api import parse, response_schema
from kubeshop.authentication import SERVICE_TOKEN_HEADER
from kubeshop.errors import DomainError
from kubeshop.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageInput, page_headers
from kubeshop.permissions import AllowAny, IsService, IsStaff, IsStaffOrReadOnly

ProductOut = response_schema(PRODUCT)

ORDER_ID = r"^[A-Za-z0-9_-]{1,64}$"
PRODUCT_IDS = r"[1-9][0-9]{0,17}(,[1-9][0-9]{0,17}){0,199}"
_PRODUCT_IDS = re.compile(PRODUCT_IDS)
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,6}")
_TEXT_LIMITS = {"q": 200, "category": 100}


def _is_staff(request) -> bool:
    return IsStaff().has_permission(request, None)


def _json(data) -> bytes:
    """As DRF's JSONRenderer writes it: compact, UTF-8, the two JavaScript line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def _json_response(body: bytes, headers: dict[str, str] | None = None, *, status: int = 200) -> HttpResponse:
    return HttpResponse(body, content_type="application/json", headers=headers, status=status)


def _product_out(product) -> dict:
    return PRODUCT.to_wire(selectors.product_info(product))


_CREDENTIALS = ("HTTP_AUTHORIZATION", f"HTTP_{SERVICE_TOKEN_HEADER.upper().replace('-', '_')}")
_JSON_ACCEPTED = ("", "*/*", "application/json")


def _anonymous_json_read(request) -> bool:
    """A GET that DRF would pass as anonymous (no credential of any kind) and answer in JSON."""
    return (
        request.method == "GET"
        and not any(name in request.META for name in _CREDENTIALS)
        and request.META.get("HTTP_ACCEPT", "") in _JSON_ACCEPTED
    )


class AnonymousReads:
    """A read view whose anonymous JSON GETs skip DRF's dispatch (authentication, permissions, content
    negotiation: ~0.1 ms of a ~0.4 ms cached read) for `anonymous_get`, which answers exactly as `get`
    would for them, or returns None to hand the request to DRF. Every other request goes through DRF."""

    @classmethod
    def as_view(cls, **initkwargs):
        drf_view = super().as_view(**initkwargs)
        # as DRF's Allow header lists them (Django's View.setup() answers HEAD with GET)
        allow = ", ".join(m.upper() for m in cls.http_method_names if hasattr(cls, m) or (m == "head" and cls.get))

        def view(request, *args, **kwargs):
            if _anonymous_json_read(request):
                try:
                    response = cls.anonymous_get(request, **kwargs)
                except DomainError as exc:  # as kubeshop.api.exception_handler answers it
                    response = _json_response(_json(exc.body()), status=exc.status_code)
                if response is not None:
                    response["Allow"] = allow
                    return response
            return drf_view(request, *args, **kwargs)

        return update_wrapper(view, drf_view)  # keeps .cls, .initkwargs, csrf_exempt


def plain_filters(params: dict[str, str]) -> dict | None:
    """The list's filters when every value is plainly valid as given, as ProductListView.Filters reads them;
    None for anything else, which the serializer then parses or refuses with its messages.

    The product list is the shop's hot path, and the serializer copies its fields on every request.
    """
    filters = {"q": "", "category": "", "ids": "", "page": 1, "page_size": DEFAULT_PAGE_SIZE}
    for name, value in params.items():
        if name in _TEXT_LIMITS:
            if len(value) > _TEXT_LIMITS[name] or value != value.strip() or not value.isprintable():
                return None
        elif name == "ids":
            if not _PRODUCT_IDS.fullmatch(value):
                return None
        elif name in ("page", "page_size"):
            if not _PAGE_NUMBER.fullmatch(value) or (name == "page" and int(value) > 1_000_000):
                return None
            value = int(value) if name == "page" else min(int(value), MAX_PAGE_SIZE)
        else:
            continue  # as the serializer does, a parameter it does not know is ignored
        filters[name] = value
    return filters


class ProductListView(AnonymousReads, APIView):
    permission_classes = [IsStaffOrReadOnly]

    class Filters(PageInput):
        q = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
        category = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
        ids = serializers.RegexField(f"^{PRODUCT_IDS}$", required=False, default="")

    @extend_schema(
        parameters=[Filters],
        responses=ProductOut(many=True),
        description="Active products as a JSON array; `X-Total-Count` and `Link` headers paginate.",
    )
    def get(self, request):
        params = request.query_params.dict()
        return self.list_page(request, plain_filters(params) or parse(self.Filters, params))

    @classmethod
    def anonymous_get(cls, request) -> HttpResponse | None:
        filters = plain_filters(request.GET.dict())
        return None if filters is None else cls.list_page(request, filters)  # the serializer says what is wrong

    @staticmethod
    def list_page(request, filters: dict) -> HttpResponse:
        q, category, page, size = filters["q"], filters["category"], filters["page"], filters["page_size"]
        ids = tuple(int(i) for i in filters["ids"].split(",") if i)

        def first_time() -> tuple[bytes, int]:
            found, total = selectors.product_page(q=q, category=category, ids=ids, start=(page - 1) * size, size=size)
            return _json([PRODUCT.to_wire(p) for p in found]), total

        key = hashlib.sha256(repr((q, category, ids, page, size)).encode()).hexdigest()
        body, total = cache.cached(f"list:{key}", first_time)
        return _json_response(body, page_headers(request, page=page, page_size=size, total=total))

    @extend_schema(request=ProductIn, responses={201: ProductOut}, description="Staff only.")
    def post(self, request):
        product = services.create_product(**parse(ProductIn, request.data))
        return Response(_product_out(product), status=status.HTTP_201_CREATED)


def _product_change_schema(what: str) -> dict:
    """PUT and PATCH: the same body and answers, and the same rule for a new stock."""
    return {
        "request": ProductChange,
        "responses": {200: ProductOut, 409: None},
        "description": f"Staff only: {what} A new `stock` needs `expectedStock` (the stock you read); "
        "409 when sales changed it since.",
    }


class ProductDetailView(AnonymousReads, APIView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(responses=ProductOut, parameters=[OpenApiParameter("product_id", int, OpenApiParameter.PATH)])
    def get(self, request, product_id: int):
        return self.product(product_id, include_inactive=_is_staff(request))

    @classmethod
    def anonymous_get(cls, request, product_id: int) -> HttpResponse:
        return cls.product(product_id, include_inactive=False)

    @staticmethod
    def product(product_id: int, *, include_inactive: bool) -> HttpResponse:
        def first_time() -> bytes:
            return _json(_product_out(selectors.get_product(product_id, include_inactive=include_inactive)))

        return _json_response(cache.cached(f"product:{product_id}:{int(include_inactive)}", first_time))

    @extend_schema(**_product_change_schema("replace a product."))
    def put(self, request, product_id: int):
        return self._update(request, product_id, partial=False)

    @extend_schema(**_product_change_schema("change some fields, and only those are written."))
    def patch(self, request, product_id: int):
        return self._update(request, product_id, partial=True)

    @extend_schema(responses={204: None}, description="Staff only: take the product off sale.")
    def delete(self, request, product_id: int):
        services.withdraw_product(selectors.get_product(product_id, include_inactive=True))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request, product_id: int, *, partial: bool) -> Response:
        product = selectors.get_product(product_id, include_inactive=True)
        changes = parse(ProductChange, request.data, partial=partial)
        expected_stock = changes.pop("expectedStock", None)
        return Response(_product_out(services.update_product(product, expected_stock=expected_stock, **changes)))


class CategoryListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CategoryOut(many=True))
    def get(self, request):
        return Response(CategoryOut(selectors.list_categories(), many=True).data)


class ReservationLineInput(serializers.Serializer):
    productId = serializers.IntegerField(min_value=1, max_value=2**62)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_STOCK)


class ReservationCreateView(APIView):
    permission_classes = [IsService]

    class ReservationInput(serializers.Serializer):
        orderId = serializers.RegexField(ORDER_ID, max_length=64)
        lines = serializers.ListField(child=ReservationLineInput(), min_length=1, max_length=200)

    @extend_schema(request=ReservationInput, responses={201: None}, description="Services only: all lines or none.")
    def post(self, request):
        data = parse(self.ReservationInput, request.data)
        lines = [STOCK_LINE.from_wire(line) for line in data["lines"]]
        services.reserve_stock(order_id=data["orderId"], lines=lines)
        return Response({"orderId": data["orderId"], "status": "held"}, status=status.HTTP_201_CREATED)


class ReservationEndView(APIView):
    """A held reservation's end, named by the URL: `release` gives the stock back, `commit` sells it."""

    permission_classes = [IsService]
    ENDS = {"release": (services.release_stock, "released"), "commit": (services.commit_stock, "committed")}

    @extend_schema(request=None, responses={200: None}, description="Services only: give the stock back or sell it.")
    def post(self, request, order_id: str, end: str):
        carry_out, outcome = self.ENDS[end]
        carry_out(order_id=order_id)
        return Response({"orderId": order_id, "status": outcome})
