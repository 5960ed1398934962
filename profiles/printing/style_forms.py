"""Forms for a force's house style: the admin inline and the force style page share one."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from profiles.models import Force, HouseStyle
from profiles.printing import styles

FORCE_FIELDS = ["layout", "document_title", "primary_colour", "accent_colour"]
# The force's defaults for profiles that state none (profiles.rules.DEFAULTED_FIELDS).
DEFAULT_FIELDS = [
    "default_vetting_level",
    "default_officer_or_staff",
    "default_working_arrangement",
]

FORCE_LABELS = {
    "layout": _("Layout"),
    "document_title": _("Document title"),
    "primary_colour": _("Primary colour"),
    "accent_colour": _("Accent colour"),
    "default_vetting_level": _("Default vetting level"),
    "default_officer_or_staff": _("Default officer or staff"),
    "default_working_arrangement": _("Default working arrangement"),
}
FORCE_HELP = {
    "layout": _("The named layout PDFs start from; the force's house style adjusts it."),
    "document_title": _("What the force calls the document."),
    "default_vetting_level": _("The vetting level of a profile that names none."),
    "default_officer_or_staff": _("Officer or staff, for a profile that says neither."),
    "default_working_arrangement": _("The working arrangement of a profile that has none."),
}


class LabelsField(forms.CharField):
    """Labels as lines of `name: text`; `name:` alone leaves that heading out."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{name}: {text}" for name, text in value.items())
        return value

    def to_python(self, value):
        labels = {}
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, text = line.partition(":")
            if not colon:
                raise ValidationError(
                    _(
                        "Line %(number)s: write a label as name: text, e.g. reports_to: Reporting to."
                    ),
                    params={"number": number},
                )
            labels[name.strip()] = text.strip()
        styles.check_labels(labels)
        return labels


class HouseStyleForm(forms.ModelForm):
    labels = LabelsField(
        label=_("Labels"),
        required=False,
        help_text=format_lazy(
            "{} {}",
            _(
                "One per line as name: text, e.g. reports_to: Reporting to. "
                "A name with no text leaves that heading out. Names:"
            ),
            ", ".join(styles.DEFAULT_LABELS),
        ),
    )
    labels_cy = LabelsField(
        label=_("Labels in Welsh"),
        required=False,
        help_text=_(
            "The same names, for Welsh and bilingual PDFs; a name left out prints the "
            "standard Welsh label, e.g. reports_to: Yn atebol i."
        ),
    )

    class Meta:
        model = HouseStyle
        fields = [
            "blocks",
            *styles.OPTIONS,
            *styles.FLAGS,
            "labels",
            "labels_cy",
        ]
        labels = {
            "blocks": _("Parts in order"),
            "masthead": _("Title block"),
            "headings": _("Heading numbers"),
            "heading_look": _("Heading look"),
            "colons": _("Colons"),
            "post_details": _("Post details"),
            "key_facts": _("Key facts"),
            "purpose": _("Purpose"),
            "sections": _("Sections"),
            "items": _("Section items"),
            "responsibilities": _("Responsibilities"),
            "criteria": _("Criteria"),
            "behaviours": _("Behaviours"),
            "values": _("Values"),
            "skills": _("Skills"),
            "vetting": _("Vetting"),
            "labels": _("Labels"),
        }
        help_texts = {
            "blocks": _(
                "Part names separated by commas, e.g. masthead, post_details, purpose, "
                "sections, criteria. Blank: as the named layout."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in styles.OPTIONS:
            self.fields[name].choices = [("", _("As the named layout")), *styles.OPTIONS[name]]

    def clean_blocks(self):
        blocks = self.cleaned_data["blocks"]
        styles.parse_blocks(blocks)
        return blocks


class ForceStyleForm(HouseStyleForm):
    """The force style page: the force's layout, title and colours with its house style."""

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.force = force
        self.force_form = forms.modelform_factory(
            Force, fields=FORCE_FIELDS + DEFAULT_FIELDS, labels=FORCE_LABELS, help_texts=FORCE_HELP
        )(self.data or None, instance=force, prefix="force")
        self.instance.force = force
        layout = styles.LAYOUTS.get(force.layout, styles.LAYOUTS["default"])
        self.fields["blocks"].widget.attrs["placeholder"] = ", ".join(layout["blocks"])

    def is_valid(self):
        # Both forms report their errors, whichever fails.
        return all([super().is_valid(), self.force_form.is_valid()])

    def preview_style(self):
        """The style as the form describes it, nothing saved."""
        force_values = self.force_form.cleaned_data
        style = styles.resolve(
            force_values["layout"], self.instance, self.force_form.instance.label_overrides
        )
        style["force"] = {name: force_values[name] for name in FORCE_FIELDS}
        return style

    def save(self, commit=True):
        self.force_form.save()
        return super().save(commit)
