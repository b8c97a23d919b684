from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from hoshin.core.api import RecordSerializer
from hoshin.planning import periods
from hoshin.planning.models import ChangePlan, Kpi, Measurement, Objective, Risk

RISK_FIELDS = (
    "kind",
    "description",
    "cause",
    "consequence",
    "source",
    "process",
    "inherent_likelihood",
    "inherent_impact",
    "inherent_rating",
    "inherent_level",
    "residual_likelihood",
    "residual_impact",
    "residual_rating",
    "residual_level",
    "treatment",
    "treatment_plan",
    "effectiveness",
    "effectiveness_notes",
    "nonconformities",
)


class RiskSerializer(RecordSerializer):
    class Meta:
        model = Risk
        fields = (*RecordSerializer.record_fields, *RISK_FIELDS)
        read_only_fields = (
            "inherent_rating",
            "inherent_level",
            "residual_rating",
            "residual_level",
        )
        extra_kwargs = {"owner": {"required": False}, "nonconformities": {"required": False}}

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.setdefault("owner", self.context["request"].user)
        return super().create(validated_data)


class ObjectiveSerializer(RecordSerializer):
    class Meta:
        model = Objective
        fields = (
            *RecordSerializer.record_fields,
            "description",
            "resources",
            "evaluation",
            "level",
            "department",
            "process",
            "commitments",
            "policy",
            "kpis",
            "outcome_notes",
        )
        extra_kwargs = {"owner": {"required": False}, "kpis": {"required": False}}

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.setdefault("owner", self.context["request"].user)
        return super().create(validated_data)


class KpiSerializer(RecordSerializer):
    class Meta:
        model = Kpi
        fields = (
            *RecordSerializer.record_fields,
            "description",
            "unit",
            "direction",
            "kind",
            "target",
            "amber",
            "red",
            "frequency",
            "data_source",
            "automatic",
            "process",
            "decimals",
        )
        read_only_fields = ("due_date",)
        extra_kwargs = {"owner": {"required": False}}

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.setdefault("owner", self.context["request"].user)
        return super().create(validated_data)


class ChangePlanSerializer(RecordSerializer):
    class Meta:
        model = ChangePlan
        fields = (
            *RecordSerializer.record_fields,
            "purpose",
            "consequences",
            "integrity",
            "resources",
            "responsibilities",
            "implementation",
            "review",
            "documents",
            "processes",
            "risks",
        )
        extra_kwargs = {
            "owner": {"required": False},
            "documents": {"required": False},
            "processes": {"required": False},
            "risks": {"required": False},
        }

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.setdefault("owner", self.context["request"].user)
        return super().create(validated_data)


class MeasurementSerializer(serializers.ModelSerializer):
    period = serializers.CharField(help_text="2026-03, 2026-Q1, 2026-W07 or any date in the period")
    period_label = serializers.CharField(read_only=True)

    class Meta:
        model = Measurement
        fields = (
            "id",
            "period",
            "period_label",
            "value",
            "numerator",
            "denominator",
            "note",
            "source",
        )
        read_only_fields = ("id", "source", "period_label")
        extra_kwargs = {"value": {"required": False}}

    def validate_period(self, value: str) -> Any:
        try:
            return periods.parse(value, self.context["kpi"].frequency)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["period"] = instance.period.isoformat()
        return data

    def create(self, validated_data: dict[str, Any]) -> Any:
        from decimal import Decimal

        measurement = Measurement(
            kpi=self.context["kpi"],
            source="api",
            entered_by=self.context["request"].user,
            **validated_data,
        )
        if measurement.value is None:
            if self.context["kpi"].kind != "proportion":
                raise serializers.ValidationError({"value": ["This field is required."]})
            measurement.value = Decimal(0)
        try:
            measurement.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        measurement.save()
        return measurement
