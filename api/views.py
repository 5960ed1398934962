"""The read-only API for recruitment systems: published profiles, as a token's force may see them.

A token of a force reads that force's published profiles and the national publishers' ones; a
national token reads the national ones. Drafts, profiles in review, archived profiles and working
drafts are never served: they answer 404 as another force's profile does.
"""

import hashlib
from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, pagination, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.serializers import ProfileDocumentSerializer, ProfileSummarySerializer, document_data
from profiles.models import RoleProfile
from profiles.printing.document import document_context


def visible_profiles(token):
    """The published profiles this token reads (see the module docstring)."""
    national = Q(force__national=True)
    scope = national | Q(force_id=token.force_id) if token.force_id else national
    return RoleProfile.objects.filter(scope).published().originals()


def parse_changed_since(value):
    """An ISO 8601 date and time (or a date: its midnight), in the site's zone when it names none."""
    moment = None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                "changed_since": [
                    "Give an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z or 2026-01-31."
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class ContentETagMixin:
    """ETag from the hash of the body, 304 for a matching If-None-Match; cached privately."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()}"'
        # Every client revalidates; a shared cache never keeps one token's answer for another.
        response["Cache-Control"] = "private, no-cache"
        return get_conditional_response(request, etag=response["ETag"], response=response)


class ProfilePagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


LIST_PARAMETERS = [
    OpenApiParameter("force", str, description="A force's slug, e.g. gwent."),
    OpenApiParameter("grade", str, description="A grade's code, e.g. Scale 4."),
    OpenApiParameter("vetting_level", str, description="A vetting level's code, e.g. RV."),
    OpenApiParameter(
        "changed_since",
        OpenApiTypes.DATETIME,
        description="Only profiles changed (approved, edited) at or after this ISO 8601 time.",
    ),
]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema(
    parameters=LIST_PARAMETERS,
    responses={
        200: ProfileSummarySerializer(many=True),
        400: OpenApiResponse(description="A filter's value is not valid."),
        401: ErrorSerializer,
    },
)
class ProfileList(ContentETagMixin, generics.ListAPIView):
    """Published profiles the token reads: its force's and the national ones."""

    serializer_class = ProfileSummarySerializer
    pagination_class = ProfilePagination

    def get_queryset(self):
        profiles = visible_profiles(self.request.auth).select_related(
            "force__default_vetting_level", "grade", "vetting_level"
        )
        query = self.request.query_params
        if force := query.get("force"):
            profiles = profiles.filter(force__slug=force)
        if grade := query.get("grade"):
            profiles = profiles.filter(grade__code=grade)
        if level := query.get("vetting_level"):
            profiles = profiles.filter(
                Q(vetting_level__code=level)
                | Q(vetting_level__isnull=True, force__default_vetting_level__code=level)
            )
        if changed_since := query.get("changed_since"):
            profiles = profiles.filter(updated_at__gte=parse_changed_since(changed_since))
        return profiles.order_by("force__name", "title", "pk")


@extend_schema(
    responses={200: ProfileDocumentSerializer, 401: ErrorSerializer, 404: ErrorSerializer}
)
class ProfileDetail(ContentETagMixin, generics.GenericAPIView):
    """A published profile with every field and label of its PDF, in its force's house style."""

    serializer_class = ProfileDocumentSerializer

    def get(self, request, force_slug, slug):
        profile = (
            visible_profiles(request.auth).only("pk").filter(force__slug=force_slug, slug=slug)
        ).first()
        if profile is None:
            raise NotFound("No such published profile.")
        serializer = self.get_serializer(document_data(document_context(profile)))
        return Response(serializer.data)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files, its start-up script a file of its own,
    so the page runs under the site's Content-Security-Policy (no inline script or style)."""

    template_name = "api/swagger_ui.html"
