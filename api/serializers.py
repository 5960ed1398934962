"""The API's shapes: a profile in the list, and a whole profile as its PDF prints it.

The detail is built from profiles.printing.document.document_context, the context every rendering of
a profile uses, so its labels, headings and numbers are the force's house style's.
"""

from rest_framework import serializers
from rest_framework.reverse import reverse

from profiles.models import Requirement
from profiles.printing.shortlisting import is_minimum


class ForceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    national = serializers.BooleanField()


class ProfileSummarySerializer(serializers.Serializer):
    """A published profile in the list."""

    force = ForceSerializer()
    slug = serializers.SlugField()
    title = serializers.CharField()
    reference_code = serializers.CharField()
    grade = serializers.CharField(source="grade.code", allow_null=True, default=None)
    vetting_level = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_vetting_level(self, profile) -> str | None:
        """The profile's vetting level, else its force's default (as the PDF prints it)."""
        level = profile.vetting_level or profile.force.default_vetting_level
        return level.code if level is not None else None

    def get_url(self, profile) -> str:
        return reverse(
            "api:profile-detail",
            args=[profile.force.slug, profile.slug],
            request=self.context.get("request"),
        )


# The whole profile ------------------------------------------------------------------------------


class LabelledValueSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The field's name, the same for every force.")
    label = serializers.CharField(help_text="The force's own label for it.")
    value = serializers.CharField()


class KeyFactSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class AuthorisationSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    date_label = serializers.CharField()
    date = serializers.CharField(help_text="As printed, e.g. 2 August 2017; empty when unknown.")


class ItemSerializer(serializers.Serializer):
    text = serializers.CharField()
    weighting = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="Per cent of the time."
    )


class ItemGroupSerializer(serializers.Serializer):
    subheading = serializers.CharField()
    items = ItemSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    heading = serializers.CharField()
    intro = serializers.CharField()
    weighting = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    groups = ItemGroupSerializer(many=True)


class CriterionSerializer(serializers.Serializer):
    text = serializers.CharField()
    shortlisting_code = serializers.CharField()
    methods = serializers.ListField(child=serializers.CharField())
    method_note = serializers.CharField()
    minimum = serializers.BooleanField(
        help_text="A minimum criterion of the Disability Confident guaranteed interview."
    )


class CriteriaGroupSerializer(serializers.Serializer):
    requirement = serializers.ChoiceField(choices=Requirement.choices)
    requirement_label = serializers.CharField()
    category = serializers.CharField()
    label = serializers.CharField(help_text="The force's heading for the group, or empty.")
    criteria = CriterionSerializer(many=True)


class BehaviourSerializer(serializers.Serializer):
    cluster = serializers.CharField(allow_null=True)
    competency = serializers.CharField()
    level = serializers.IntegerField()
    level_name = serializers.CharField()
    indicators = serializers.ListField(child=serializers.CharField())
    methods = serializers.ListField(child=serializers.CharField())
    method_note = serializers.CharField()
    for_pdr = serializers.BooleanField()


class SkillSerializer(serializers.Serializer):
    skill = serializers.CharField()
    category = serializers.CharField()
    level = serializers.CharField()
    description = serializers.CharField()
    for_pdr = serializers.BooleanField()


class NosUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class ValueSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class StandardSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    heading = serializers.CharField()
    body = serializers.CharField()
    placement = serializers.CharField()


class VettingSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class PartSerializer(serializers.Serializer):
    block = serializers.CharField(
        help_text="What the part prints: post_details, section, criteria, behaviours …"
    )
    number = serializers.CharField(help_text="As numbered in the house style: 1, 2 … or A, B …")
    heading = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())
    section = serializers.IntegerField(
        allow_null=True, help_text="For a section part: its index in `sections`."
    )


class ProfileDocumentSerializer(serializers.Serializer):
    """A published profile with every field and label its PDF prints."""

    force = ForceSerializer()
    slug = serializers.SlugField()
    title = serializers.CharField()
    document_title = serializers.CharField(help_text='What the force calls it: "Job Description".')
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    grade_line = serializers.CharField()
    purpose = serializers.CharField()
    labels = serializers.DictField(
        child=serializers.CharField(), help_text="Field name → the force's label."
    )
    parts = PartSerializer(many=True, help_text="The document's parts in the order it prints them.")
    details = LabelledValueSerializer(many=True, help_text="The post-detail grid.")
    key_facts = KeyFactSerializer(many=True)
    sections = SectionSerializer(many=True)
    criteria = CriteriaGroupSerializer(many=True)
    behaviours = BehaviourSerializer(many=True)
    skills = SkillSerializer(many=True)
    nos_units = NosUnitSerializer(many=True)
    values = ValueSerializer(many=True)
    standard_sections = StandardSectionSerializer(many=True)
    vetting = VettingSerializer(allow_null=True)
    welsh_language = LabelledValueSerializer(allow_null=True)
    authorisation = AuthorisationSerializer(many=True)


def _names(methods):
    return [method.name for method in methods]


def document_data(context):
    """The document context (profiles.printing.document) as plain data for ProfileDocumentSerializer."""
    profile, force = context["profile"], context["force"]
    sections = context["sections"]
    section_index = {id(section): index for index, section in enumerate(sections)}
    vetting = context["vetting"]
    return {
        "force": force,
        "slug": profile.slug,
        "title": profile.title,
        "document_title": context["document_title"],
        "version": profile.version,
        "updated_at": profile.updated_at,
        "grade_line": context["grade_line"],
        "purpose": profile.purpose,
        "labels": context["labels"],
        "parts": [
            {
                "block": part["block"],
                "number": part["number"],
                "heading": part["heading"],
                "paragraphs": ([part["hint"]] if part["hint"] else []) + part["paragraphs"],
                "section": section_index.get(id(part.get("section"))),
            }
            for part in context["parts"]
        ],
        "details": [
            {"name": row["name"], "label": row["label"], "value": row["value"]}
            for row in context["grid"]
            if row["name"] != "welsh_language"
        ],
        "key_facts": context["post_details"],
        "sections": [
            {
                "kind": section["kind"],
                "heading": section["heading"],
                "intro": section["intro"],
                "weighting": section["weighting"],
                "groups": section["groups"],
            }
            for section in sections
        ],
        "criteria": [
            {
                **group,
                "criteria": [
                    {
                        "text": criterion.text,
                        "shortlisting_code": criterion.shortlisting_code,
                        "methods": _names(criterion.methods.all()),
                        "method_note": criterion.method_note,
                        "minimum": is_minimum(criterion),
                    }
                    for criterion in group["criteria"]
                ],
            }
            for group in context["criteria_groups"]
        ],
        "behaviours": [
            {
                "cluster": behaviour["cluster"].name if behaviour["cluster"] else None,
                "competency": behaviour["competency"].name,
                "level": behaviour["level"].number,
                "level_name": behaviour["level"].name,
                "indicators": [indicator.text for indicator in behaviour["indicators"]],
                "methods": _names(behaviour["methods"]),
                "method_note": behaviour["method_note"],
                "for_pdr": behaviour["for_pdr"],
            }
            for behaviour in context["behaviours"]
        ],
        "skills": [
            {
                "skill": skill["skill"].name,
                "category": skill["category"],
                "level": skill["level"].name,
                "description": skill["description"],
                "for_pdr": skill["for_pdr"],
            }
            for skill in context["skills"]
        ],
        "nos_units": context["nos_units"],
        "values": context["values"],
        "standard_sections": context["standard_sections"],
        "vetting": vetting,
        "welsh_language": context["welsh"],
        "authorisation": context["authorisation"],
    }
