from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from hoshin.core.api import RecordSerializer
from hoshin.planning import periods
from hoshin.planning.models import Measurement, PolicyCommitment
from hoshin.planning.models.risk import RiskLevel


class RiskSerializer(RecordSerializer):
    """The levels are empty ("") until the risk is rated: the schema says so."""

    inherent_level = serializers.ChoiceField(
        choices=RiskLevel.choices, allow_blank=True, read_only=True
    )
    residual_level = serializers.ChoiceField(
        choices=RiskLevel.choices, allow_blank=True, read_only=True
    )


class ObjectiveSerializer(RecordSerializer):
    """The quality policy's commitments as a list of their names, as the form ticks them."""

    commitments = serializers.ListField(
        child=serializers.ChoiceField(choices=PolicyCommitment.choices),
        required=False,
        max_length=len(PolicyCommitment.choices),
        help_text="The quality policy commitments the objective serves.",
    )

    def validate_commitments(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class ReadingSerializer(serializers.Serializer):
    """A figure as the KPI's chart reads it: computed ones have no ``id``."""

    period = serializers.DateField(help_text="The first day of the period.")
    value = serializers.FloatField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    id = serializers.IntegerField(allow_null=True)


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
