"""API parsing, pagination and error handling, kept apart from the viewsets to avoid an
import cycle (DRF reads these from settings while its own modules are being imported)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hoshin.core import guards, tally
from hoshin.core.models import StaleRecordError
from hoshin.core.workflow import TransitionError


class Pagination(PageNumberPagination):
    # An unfiltered register is counted from its tally (hoshin.core.tally), not row by row.
    django_paginator_class = tally.Paginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 what Python or the database cannot take:
    nesting deeper than the recursion limit (or than any Hoshin value), lone surrogates,
    numbers too large for a float. (Django has already refused a body over the limit.)"""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(guards.too_deep()) from None
        problem = guards.json_problem(data)
        if problem:
            raise ParseError(problem)
        return data


class JSONField(serializers.JSONField):
    """A model's JSON field in the API: no null where the column holds none (a form-encoded
    ``null`` too), and the JSON parser's limits for JSON sent inside a form field."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            value = super().to_internal_value(data)
        except RecursionError:
            raise serializers.ValidationError(guards.too_deep()) from None
        problem = guards.json_problem(value, depth=2)
        if problem:
            raise serializers.ValidationError(problem)
        if value is None and not self.allow_null:
            self.fail("null")
        return value


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """JSON errors with field messages for every refusal; never a 500 for bad input."""
    if isinstance(exc, StaleRecordError):
        return Response({"detail": str(exc), "code": "stale"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TransitionError):
        body = {k if k != "__all__" else "non_field_errors": v for k, v in exc.problems.items()}
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied(str(exc) or None)
    if isinstance(exc, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        message = _("The request body is larger than the limit of %(limit)s.") % {"limit": limit}
        return Response(
            {"detail": message, "code": "too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a broken body
        if isinstance(exc, TooManyFieldsSent):
            message = _("The request has too many fields.")
        elif isinstance(exc, TooManyFilesSent):
            message = _("The request has too many files.")
        else:
            message = _("The request could not be read.")
        return Response({"detail": message, "code": "refused"}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
