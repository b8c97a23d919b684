from typing import Any

from rest_framework import serializers

from hoshin.core.api import RecordSerializer
from hoshin.core.roles import ALL_ROLES
from hoshin.support import versions
from hoshin.support.models import DocumentVersion


class VersionSerializer(serializers.ModelSerializer):
    author: serializers.Field = serializers.StringRelatedField()

    class Meta:
        model = DocumentVersion
        fields = (
            "number",
            "status",
            "change_reason",
            "author",
            "effective_on",
            "submitted_at",
            "approved_at",
            "superseded_on",
            "file_name",
            "file_sha256",
            "text_note",
        )
        read_only_fields = fields


class DocumentSerializer(RecordSerializer):
    """The number by its own name; version 1's text and reason taken on create."""

    number = serializers.CharField(source="reference", read_only=True)
    distribute_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ALL_ROLES), required=False
    )
    body = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500_000,
        help_text="On create: the Markdown text of version 1 (a draft).",
    )
    change_reason = serializers.CharField(
        write_only=True, required=False, default="First issue", max_length=2000
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        current: Any = self.instance
        if current is not None and attrs.get("doc_type", current.doc_type) != current.doc_type:
            raise serializers.ValidationError(
                {"doc_type": ["The type gives the number; it cannot change."]}
            )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Any:
        request = self.context["request"]
        doc_type = validated_data["doc_type"]
        validated_data.setdefault("review_months", doc_type.review_months)
        body = validated_data.pop("body", "")
        reason = validated_data.pop("change_reason", "") or "First issue"
        document = super().create(validated_data)
        versions.start(document, request.user, change_reason=reason, body=body)
        return document

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        validated_data.pop("body", None)
        validated_data.pop("change_reason", None)
        return super().update(instance, validated_data)
