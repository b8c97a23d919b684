from functools import cached_property
from typing import Any

from rest_framework import serializers

from hoshin.core.api import BuiltOnceSerializer, RecordSerializer
from hoshin.core.models import Action
from hoshin.improvement.models import CauseCategory, CostItem, Nonconformity


class ActionSerializer(BuiltOnceSerializer):
    class Meta:
        model = Action
        fields = ("id", "description", "owner", "due_date", "status", "evidence", "completed_on")
        read_only_fields = fields


class CostSerializer(BuiltOnceSerializer):
    class Meta:
        model = CostItem
        fields = ("id", "category", "description", "amount", "currency", "incurred_on")
        read_only_fields = fields


class NonconformityListSerializer(serializers.ListSerializer):
    """Loads the corrective actions of a whole page in one query (unless left out)."""

    def to_representation(self, data: Any) -> Any:
        items = list(data.all() if hasattr(data, "all") else data)
        if "actions" in self.child.fields:  # type: ignore[union-attr]
            Nonconformity.load_actions(items)
        return super().to_representation(items)


class NonconformitySerializer(RecordSerializer):
    """The whys as a list, the fishbone as an object, the corrective actions read-only."""

    whys = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=False), max_length=5, required=False
    )
    actions = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = NonconformityListSerializer

    @cached_property
    def _action_rows(self) -> serializers.ListSerializer:
        # One for all the rows of a page, not one a row: its fields are made once.
        return ActionSerializer(many=True)  # type: ignore[return-value]

    def get_actions(self, obj: Nonconformity) -> list[dict[str, Any]]:
        return self._action_rows.to_representation(obj.action_list())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        fishbone = attrs.get("fishbone")
        if fishbone is not None:
            if not isinstance(fishbone, dict) or not set(fishbone) <= set(CauseCategory.values):
                raise serializers.ValidationError(
                    {"fishbone": [f"An object keyed by {', '.join(CauseCategory.values)}."]}
                )
            if not all(isinstance(v, str) for v in fishbone.values()):
                raise serializers.ValidationError({"fishbone": ["Each note must be text."]})
        return attrs
