"""The pagination every list of the API follows: ``?page=`` and ``?page_size=`` (at most 200)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CappedCountPaginator(Paginator):
    """Counts exactly up to ``cap`` rows, then stops: a national registry's list needs no exact
    "412,337 records" to be useful, and counting every match would make the first page slow."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        object_list: Any = self.object_list
        if hasattr(object_list, "query"):
            return int(object_list[: self.cap + 1].count())
        return len(object_list)

    @property
    def count_is_exact(self) -> bool:
        return self.count <= self.cap


class CappedPagination(StandardPagination):
    """Lists of personal records: totals are exact up to 10,000 and say so (``count_is_exact``)."""

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        paginator: Any = self.page.paginator if self.page is not None else None
        response.data["count_is_exact"] = bool(paginator is None or paginator.count_is_exact)
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_is_exact"] = {"type": "boolean"}
        return result
