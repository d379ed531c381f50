"""Page-number pagination that keeps a list a plain JSON array: totals and links go in headers."""

from dataclasses import dataclass

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PageInput(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)
    page_size = serializers.IntegerField(min_value=1, default=DEFAULT_PAGE_SIZE)

    def validate_page_size(self, value: int) -> int:
        return min(value, MAX_PAGE_SIZE)


@dataclass(frozen=True)
class Page:
    items: list
    headers: dict[str, str]


def paginate(request: Request, queryset: QuerySet, *, page: int, page_size: int) -> Page:
    total = queryset.count()
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size])
    return Page(items=items, headers=page_headers(request, page=page, page_size=page_size, total=total))


def page_headers(request: Request, *, page: int, page_size: int, total: int) -> dict[str, str]:
    """`X-Total-Count` and the `Link`s to the next and previous pages of a list of `total` items."""
    url = request.build_absolute_uri()
    links = []
    if page * page_size < total:
        links.append(f'<{replace_query_param(url, "page", page + 1)}>; rel="next"')
    if page > 1:
        links.append(f'<{replace_query_param(url, "page", page - 1)}>; rel="prev"')
    headers = {"X-Total-Count": str(total)}
    if links:
        headers["Link"] = ", ".join(links)
    return headers
