"""KPI measurements in the REST API, beside the generic register endpoints.

GET  /api/kpis/{id}/measurements/   the figures, oldest first (computed ones for automatic KPIs)
POST /api/kpis/{id}/measurements/   {"period": "2026-03", "value": 97.2} (or numerator and
                                    denominator for a proportion); 400 with field messages
                                    for a bad value, a period in the future or one that
                                    already has a figure
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from hoshin.planning.serializers import MeasurementSerializer, ReadingSerializer


class KpiActions:
    """Mixed into the KPI viewset (see ``RegisterType.api_mixin``)."""

    get_object: Any

    @extend_schema(methods=["GET"], responses=ReadingSerializer(many=True))
    @extend_schema(methods=["POST"], request=MeasurementSerializer, responses=MeasurementSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # a plain list
    def measurements(self, request: Request, pk: str | None = None) -> Response:
        from hoshin.planning.views import can_measure

        kpi = self.get_object()
        if request.method == "POST":
            if not can_measure(request.user, kpi):
                raise PermissionDenied("You may not enter figures for this KPI.")
            serializer = MeasurementSerializer(
                data=request.data, context={"kpi": kpi, "request": request}
            )
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return Response(serializer.data, status=status.HTTP_201_CREATED)
        rows = [
            {
                "period": r.period.isoformat(),
                "value": r.value,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "id": r.measurement_id,
            }
            for r in kpi.readings(last=120)
        ]
        return Response(rows)
