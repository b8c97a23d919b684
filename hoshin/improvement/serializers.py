import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from hoshin.core.api import RecordSerializer
from hoshin.core.models import Action
from hoshin.improvement.models import CostItem, Nonconformity


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ("id", "description", "owner", "due_date", "status", "evidence", "completed_on")
        read_only_fields = fields


class CostSerializer(serializers.ModelSerializer):
    class Meta:
        model = CostItem
        fields = ("id", "category", "description", "amount", "currency", "incurred_on")
        read_only_fields = fields


class NonconformityListSerializer(serializers.ListSerializer):
    """Loads the corrective actions of a whole page in one query."""

    def to_representation(self, data: Any) -> Any:
        items = list(data.all() if hasattr(data, "all") else data)
        Nonconformity.load_actions(items)
        return super().to_representation(items)


class NonconformitySerializer(RecordSerializer):
    whys = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=False), max_length=5, required=False
    )
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Nonconformity
        fields = (
            *RecordSerializer.record_fields,
            "description",
            "source",
            "severity",
            "process",
            "product_ref",
            "lot_ref",
            "quantity_checked",
            "quantity_nonconforming",
            "disposition",
            "disposition_authorised_by",
            "detected_by",
            "detected_on",
            "containment_action",
            "containment_by",
            "containment_on",
            "correction",
            "whys",
            "fishbone",
            "cause_category",
            "root_cause",
            "verification_method",
            "verification_due",
            "verification_result",
            "verification_notes",
            "verified_by",
            "verified_on",
            "actions",
        )
        read_only_fields = ("verified_by", "verified_on")
        extra_kwargs = {"owner": {"required": False}}
        list_serializer_class = NonconformityListSerializer

    def get_actions(self, obj: Nonconformity) -> list[dict[str, Any]]:
        return ActionSerializer(obj.action_list(), many=True).data  # type: ignore[return-value]

    def validate_detected_on(self, value: datetime.date) -> datetime.date:
        if value > timezone.localdate():
            raise serializers.ValidationError("The detection date cannot be in the future.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        fishbone = attrs.get("fishbone")
        if fishbone is not None:
            from hoshin.improvement.models import CauseCategory

            if not isinstance(fishbone, dict) or not set(fishbone) <= set(CauseCategory.values):
                raise serializers.ValidationError(
                    {"fishbone": [f"An object keyed by {', '.join(CauseCategory.values)}."]}
                )
            if not all(isinstance(v, str) for v in fishbone.values()):
                raise serializers.ValidationError({"fishbone": ["Each note must be text."]})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Any:
        request = self.context["request"]
        validated_data.setdefault("detected_by", request.user)
        if validated_data.get("owner") is None:
            from hoshin.improvement.forms import default_owner

            validated_data["owner"] = default_owner(
                Nonconformity(**{k: v for k, v in validated_data.items() if k == "process"}),
                request.user,
            )
        if validated_data.get("due_date") is None and validated_data.get("detected_on"):
            import datetime

            from hoshin.improvement.models import DUE_DAYS

            days = DUE_DAYS[validated_data.get("severity", "minor")]
            validated_data["due_date"] = validated_data["detected_on"] + datetime.timedelta(days)
        return super().create(validated_data)
