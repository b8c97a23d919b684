"""API pagination and error handling, kept apart from the viewsets to avoid an import cycle
(DRF reads these from settings while its own modules are being imported)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hoshin.core.models import StaleRecordError
from hoshin.core.workflow import TransitionError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


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
    return drf_exception_handler(exc, context)
