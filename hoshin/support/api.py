"""Document actions in the REST API, beside the generic register endpoints.

GET  /api/documents/{id}/versions/      the versions the caller may see
POST /api/documents/{id}/sign/          {"decision": "sign"|"reject", "password", "comment"}
POST /api/documents/{id}/acknowledge/   confirm reading the version in force
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hoshin.core.workflow import TransitionError
from hoshin.support import versions
from hoshin.support.serializers import VersionSerializer


class SignSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["sign", "reject"], default="sign")
    password = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentActions:
    """Mixed into the documents viewset (see ``RegisterType.api_mixin``)."""

    get_object: Any
    get_serializer: Any

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list
    def versions(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        items = versions.visible_versions(request.user, document)
        return Response(VersionSerializer(items, many=True).data)

    @extend_schema(request=SignSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        """Sign (or request changes to) the version being reviewed, when it is your turn."""
        document = self.get_object()
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = document.working()
        if version is None:
            raise TransitionError({"__all__": ["No version is waiting for signatures."]}, 409)
        values = data.validated_data
        if values["decision"] == "reject":
            versions.reject(version, request.user, comment=values["comment"])  # type: ignore[arg-type]
        else:
            versions.sign(
                version,
                request.user,  # type: ignore[arg-type]
                password=values["password"],
                comment=values["comment"],
            )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """Confirm you have read and understood the version in force."""
        document = self.get_object()
        version = document.in_force()
        if version is None:
            raise TransitionError({"__all__": ["No version of this document is in force."]}, 409)
        versions.acknowledge(version, request.user)  # type: ignore[arg-type]
        return Response({"acknowledged": version.reference})
