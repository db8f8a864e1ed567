"""The contract's ``/api/v1/imports/``: upload a file for a client, follow the job, download its errors.

Small uploads are imported during the request (201, finished job); larger ones are queued for
the Celery worker (202, ``status: "queued"``) — poll ``GET /api/v1/imports/{id}/``.
"""

import json
from pathlib import Path
from typing import Any, cast

from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from collections_app.api.fields import ScopedPrimaryKeyField
from collections_app.api.permissions import CanWriteFacts
from collections_app.api.views import AuditedViewMixin
from collections_app.imports.reader import SUFFIXES
from collections_app.imports.services import MappingError, error_report_csv, import_job_submit, mapping_from_json
from collections_app.models import ColumnMapping, ImportJob, ImportKind
from collections_app.selectors import clients_visible_to

ERRORS_SHOWN = 1000


def _user(request: Request) -> User:
    return cast(User, request.user)  # the views' permission lets only signed-in staff through


def mappings_visible_to(user: Any) -> Any:
    return ColumnMapping.objects.filter(client__in=clients_visible_to(user))


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)
    progress = serializers.FloatField(read_only=True, allow_null=True)
    row_errors = serializers.SerializerMethodField(help_text=f"The first {ERRORS_SHOWN} rejected rows, by line.")
    error_report = serializers.SerializerMethodField(help_text="Every rejected row as CSV.")

    class Meta:
        model = ImportJob
        fields = ["id", "client", "kind", "status", "filename", "mapping", "rows_total", "rows_read", "created",
                  "updated", "unchanged", "rejected", "progress", "duration_seconds", "started_at", "finished_at",
                  "error", "row_errors", "error_report", "created_at"]
        read_only_fields = fields

    @extend_schema_field(RowErrorSerializer(many=True))
    def get_row_errors(self, job: ImportJob) -> list[dict[str, Any]]:
        rows = job.row_errors.order_by("line", "id").values_list("line", "column", "reason")[:ERRORS_SHOWN]
        return [{"line": line, "column": column, "reason": reason} for line, column, reason in rows]

    def get_error_report(self, job: ImportJob) -> str:
        request = self.context.get("request")
        path = f"/api/v1/imports/{job.id}/error-report/"
        return request.build_absolute_uri(path) if request else path


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    client = ScopedPrimaryKeyField(clients_visible_to)
    mapping = ScopedPrimaryKeyField(mappings_visible_to, required=False, allow_null=True,
                                    help_text="A column mapping saved for this client.")
    kind = serializers.ChoiceField(choices=ImportKind.choices, required=False,
                                   help_text="Default: told from the file's columns.")

    def validate_file(self, upload: Any) -> Any:
        if Path(upload.name or "").suffix.lower() not in SUFFIXES:
            raise ValidationError("only .csv and .xlsx files can be imported")
        return upload

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        mapping = attrs.get("mapping")
        if mapping is not None and mapping.client_id != attrs["client"].id:
            raise ValidationError({"mapping": ["this mapping belongs to another client"]})
        return attrs


class ColumnMappingSerializer(serializers.ModelSerializer):
    client = ScopedPrimaryKeyField(clients_visible_to)

    class Meta:
        model = ColumnMapping
        fields = ["id", "client", "name", "kind", "columns", "date_format", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            mapping_from_json(json.dumps({"columns": attrs.get("columns", {}),
                                          "date_format": attrs.get("date_format", "")}))
        except MappingError as exc:
            raise ValidationError({"columns": [str(exc)]}) from exc
        return attrs


class ImportJobViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                       mixins.ListModelMixin, viewsets.GenericViewSet):
    """Portfolio and updates-feed imports of the caller's clients."""

    serializer_class = ImportJobSerializer
    permission_classes = [CanWriteFacts]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["client", "status", "kind"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return ImportJob.objects.filter(client__in=clients_visible_to(_user(self.request))).order_by("-id")

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportJobSerializer, 202: ImportJobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = ImportUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        job, finished = import_job_submit(client=data["client"], upload=data["file"], mapping=data.get("mapping"),
                                          kind=data.get("kind") or "", created_by=_user(request))
        code = status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED
        return Response(ImportJobSerializer(job, context=self.get_serializer_context()).data, status=code)

    @extend_schema(responses={(200, "text/csv"): str})
    @action(detail=True, methods=["get"], url_path="error-report")
    def error_report(self, request: Request, pk: str) -> StreamingHttpResponse:
        job = self.get_object()
        response = StreamingHttpResponse(error_report_csv(job), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="import-{job.id}-errors.csv"'
        return response


class ColumnMappingViewSet(AuditedViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                           mixins.UpdateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Column mappings saved per client, to pick when uploading a file in another layout."""

    serializer_class = ColumnMappingSerializer
    permission_classes = [CanWriteFacts]
    filterset_fields = ["client", "kind"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return mappings_visible_to(_user(self.request)).order_by("client", "name")

