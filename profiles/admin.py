"""Admin for administrators: forces, grades, reference data and whole profiles.

It runs past 400 lines because each registered model's admin keeps its own rule guards
(row caps, parents that stay put, deletes that keep a published profile whole) beside it.
"""

from itertools import groupby

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count, Q
from django.forms import ModelChoiceField
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from competencies.admin import StaysWithParent
from competencies.models import CompetencyLevel, SkillLevel
from profiles import access, logos, models, rules
from profiles.draft import ItemDraft, ProfileDraft, SectionDraft
from profiles.editor import formsets
from profiles.limits import GRADE_CODE_LENGTH, MAX_ROWS
from profiles.printing.style_forms import HouseStyleForm
from profiles.services import editing, forces

WEIGHTING_ERRORS = {"section_weighting", "profile_weighting"}


class SharedChoicesInline:
    """An inline whose rows share each list of choices.

    Django queries a select's choices once per row; building them once, with the form
    class, keeps a profile's change page at a fixed number of queries however many rows
    it has. `grouped` names choice fields whose options are grouped by a label.
    """

    grouped = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, ModelChoiceField) and db_field.name not in self.autocomplete_fields:
            if db_field.name in self.grouped:
                group_of = self.grouped[db_field.name]
                groups = groupby(field.queryset, key=group_of)
                field.choices = [("", field.empty_label)] + [
                    (group, [(obj.pk, str(obj)) for obj in objs]) for group, objs in groups
                ]
            else:
                field.choices = list(iter(field.choices))  # iter(): no COUNT query first
        return field


class ForceSetupForm(forms.ModelForm):
    """A new force, its grades and its HR editor and hiring manager, on one page."""

    grades = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One grade a line, as the force writes it, lowest first: e.g. SC3.",
        error_messages={"required": "Give the force at least one grade."},
    )
    hr_username = forms.CharField(label="HR editor's user name", max_length=150)
    hr_name = forms.CharField(
        label="HR editor's full name",
        max_length=150,
        required=False,
        help_text="As approvals are signed and printed, e.g. Rhian Evans.",
    )
    hr_email = forms.EmailField(label="HR editor's email", required=False)
    hr_password = forms.CharField(
        label="HR editor's password", widget=forms.PasswordInput(render_value=True)
    )
    approver_username = forms.CharField(
        label="Second HR editor's user name",
        max_length=150,
        required=False,
        help_text="Who approves what the first HR editor writes: a profile is approved by an "
        "HR editor other than its author. Leave blank only with single-person approval below.",
    )
    approver_name = forms.CharField(
        label="Second HR editor's full name",
        max_length=150,
        required=False,
        help_text="As approvals are signed and printed, e.g. Rhian Evans.",
    )
    approver_email = forms.EmailField(label="Second HR editor's email", required=False)
    approver_password = forms.CharField(
        label="Second HR editor's password",
        widget=forms.PasswordInput(render_value=True),
        required=False,
    )
    manager_username = forms.CharField(label="Hiring manager's user name", max_length=150)
    manager_name = forms.CharField(
        label="Hiring manager's full name",
        max_length=150,
        required=False,
        help_text="As approvals are signed and printed, e.g. Rhian Evans.",
    )
    manager_email = forms.EmailField(label="Hiring manager's email", required=False)
    manager_password = forms.CharField(
        label="Hiring manager's password", widget=forms.PasswordInput(render_value=True)
    )

    class Meta:
        model = models.Force
        fields = [
            "name",
            "slug",
            "short_name",
            "document_title",
            "layout",
            "review_period_months",
            "default_vetting_level",
            "default_officer_or_staff",
            "default_working_arrangement",
            "single_approver_reason",
        ]

    field_order = [
        *Meta.fields[:-1],
        "grades",
        "hr_username",
        "hr_name",
        "hr_email",
        "hr_password",
        "approver_username",
        "approver_name",
        "approver_email",
        "approver_password",
        "single_approver_reason",
        "manager_username",
        "manager_name",
    ]

    def clean_grades(self):
        codes = [line.strip() for line in self.cleaned_data["grades"].splitlines() if line.strip()]
        if not codes:
            raise ValidationError("Give the force at least one grade.")
        too_long = [code for code in codes if len(code) > GRADE_CODE_LENGTH]
        if too_long:
            raise ValidationError(
                f"A grade is at most {GRADE_CODE_LENGTH} characters: {too_long[0]}."
            )
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValidationError(f"Grade {', '.join(repeated)} is listed twice.")
        return codes

    def clean(self):
        cleaned_data = super().clean()
        users = get_user_model()._default_manager
        names = {}
        if not cleaned_data.get("approver_username") and not cleaned_data.get(
            "single_approver_reason"
        ):
            self.add_error(
                "approver_username",
                "One HR editor cannot publish alone: give a second HR editor to approve, "
                "or choose single-person approval by giving its reason.",
            )
        for role in ("hr", "approver", "manager"):
            username = cleaned_data.get(f"{role}_username")
            if not username:
                continue
            if role == "approver" and not cleaned_data.get("approver_password"):
                self.add_error("approver_password", "Give the second HR editor a password.")
            if username in names.values() or users.filter(username__iexact=username).exists():
                self.add_error(f"{role}_username", f"The user name {username} is taken.")
            names[role] = username
            password = cleaned_data.get(f"{role}_password")
            if password:
                try:
                    password_validation.validate_password(password, users.model(username=username))
                except ValidationError as error:
                    self.add_error(f"{role}_password", error)
        return cleaned_data

    def force_fields(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def accounts(self):
        data = self.cleaned_data
        return [
            (
                data[f"{prefix}_username"],
                data[f"{prefix}_email"],
                data[f"{prefix}_password"],
                role,
                data[f"{prefix}_name"],
            )
            for prefix, role in (
                ("hr", models.Role.HR_EDITOR),
                ("approver", models.Role.HR_EDITOR),
                ("manager", models.Role.HIRING_MANAGER),
            )
            if data[f"{prefix}_username"]
        ]


class CappedRows:
    """An inline of one part of a profile: at most MAX_ROWS rows, as in the editor."""

    max_num = MAX_ROWS

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)


class GradeInline(admin.TabularInline):
    model = models.Grade
    extra = 0


class WelshLevelInline(admin.TabularInline):
    """A Welsh force's own levels of Welsh (Welsh Language Standards), e.g. 1 to 5."""

    model = models.WelshLevel
    extra = 0


class StandardSectionInline(admin.StackedInline):
    model = models.StandardSection
    extra = 0


class HouseStyleInline(admin.StackedInline):
    """The force's house style: options over its named layout, and its own labels."""

    model = models.HouseStyle
    form = HouseStyleForm
    extra = 0
    max_num = 1


class LogoField(forms.ImageField):
    """An uploaded logo, checked before it is decoded and scaled to its printed size."""

    def to_python(self, data):
        uploaded = forms.FileField.to_python(self, data)
        if uploaded is None:
            return None
        try:
            return logos.prepare_upload(uploaded)
        except logos.LogoRefused as error:
            raise ValidationError(str(error), code="invalid_image") from None


class ForceAdminForm(forms.ModelForm):
    """The force's admin page, its logo field checked and scaled (profiles.logos)."""

    logo = LogoField(
        required=False,
        help_text=(
            f"PNG, JPEG, GIF or WebP, at most {logos.MAX_BYTES // 2**20} MB and "
            f"{logos.MAX_PIXELS // 1_000_000} million pixels; scaled to "
            f"{logos.PRINT_BOX[0]} × {logos.PRINT_BOX[1]} pixels, the size it is printed at."
        ),
    )
    # No Meta: ForceAdmin gives the model and its fields.


@admin.register(models.Force)
class ForceAdmin(admin.ModelAdmin):
    form = ForceAdminForm
    list_display = ["name", "slug", "layout", "review_period_months", "national"]
    list_filter = ["national"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["style_preview"]
    inlines = [GradeInline, StandardSectionInline, HouseStyleInline, WelshLevelInline]
    change_list_template = "admin/profiles/force/change_list.html"

    def get_urls(self):
        setup = self.admin_site.admin_view(self.setup_view)
        return [
            path("set-up/", setup, name="profiles_force_setup"),
            *super().get_urls(),
        ]

    def setup_view(self, request):
        """One page: a force with its grades and its HR editor and hiring manager accounts."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ForceSetupForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            force = forces.set_up_force(
                form.force_fields(), form.cleaned_data["grades"], form.accounts()
            )
            # The force's audit trail (the admin's log) says how its profiles are approved.
            reason = force.single_approver_reason
            self.log_addition(
                request,
                force,
                f"Set up; single-person approval: {reason}"
                if reason
                else "Set up; profiles are approved by a second HR editor.",
            )
            *others, last = [username for username, *_rest in form.accounts()]
            names = f"{', '.join(others)} and {last}"
            self.message_user(
                request,
                f"Set up {force.name} with {force.grades.count()} grade(s) and the accounts "
                f"{names}.",
                messages.SUCCESS,
            )
            return redirect("admin:profiles_force_change", force.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Set up a new force",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/profiles/force/setup.html", context)

    @admin.display(description="House style preview")
    def style_preview(self, force):
        if not force.pk:
            return "Save the force first, then preview its house style."
        url = reverse("profiles:house_style", args=[force.slug])
        return format_html('<a href="{}">Preview and change the house style</a>', url)


@admin.register(models.Grade)
class GradeAdmin(StaysWithParent, admin.ModelAdmin):
    # A profile's grade belongs to the profile's force.
    parent_field = "force"
    list_display = ["code", "force", "name", "order"]
    list_filter = ["force"]
    list_select_related = ["force"]
    search_fields = ["code", "name", "force__name"]


@admin.register(models.AssessmentMethod)
class AssessmentMethodAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "force", "role"]
    list_filter = ["force", "role"]
    list_select_related = ["user", "force"]
    autocomplete_fields = ["user", "force"]


class MembershipInline(admin.StackedInline):
    """A user's force and role, on the user's own page."""

    model = models.Membership
    can_delete = True
    autocomplete_fields = ["force"]
    extra = 0
    max_num = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
    list_display = [*UserAdmin.list_display, "membership"]
    list_select_related = ["membership__force"]


class PostDetailInline(CappedRows, admin.TabularInline):
    model = models.PostDetail
    extra = 0


class SectionInline(CappedRows, admin.StackedInline):
    model = models.Section
    formset = formsets.SectionFormSet
    fields = ["order", "kind", "heading", "intro", "weighting"]
    extra = 0
    show_change_link = True


class CriterionInline(CappedRows, SharedChoicesInline, admin.StackedInline):
    model = models.Criterion
    formset = formsets.CriterionFormSet
    fields = [
        ("order", "category", "heading", "requirement"),
        "text",
        ("methods", "method_note"),
        ("shortlisting_code", "row", "minimum"),
    ]
    filter_horizontal = ["methods"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("methods")


class BehaviourInline(CappedRows, SharedChoicesInline, admin.TabularInline):
    model = models.Behaviour
    formset = formsets.BehaviourFormSet
    fields = ["order", "level", "methods", "method_note", "for_pdr"]
    # A select grouped by framework rather than an autocomplete: the six competencies
    # have the same names in CVF 2016 and 2024, so a name alone is ambiguous.
    grouped = {"level": lambda level: level.competency.framework.name}
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("level__competency")
            .prefetch_related("methods")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "level":
            kwargs["queryset"] = CompetencyLevel.objects.select_related("competency__framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SkillRequirementInline(CappedRows, SharedChoicesInline, admin.TabularInline):
    model = models.SkillRequirement
    fields = ["order", "level", "for_pdr"]
    grouped = {"level": lambda level: level.skill.name}
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("level__skill")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "level":
            kwargs["queryset"] = SkillLevel.objects.select_related("skill")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NosUnitInline(CappedRows, admin.TabularInline):
    model = models.NosUnit
    extra = 0


class RoleProfileAdminForm(forms.ModelForm):
    """Carries the revision the administrator saw, so a stale save is refused."""

    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_revision"].initial = self.instance.revision

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("seen_revision")
        # The admin saves inside one transaction: is_stale locks the row until it commits.
        if self.instance.pk and (seen is None or editing.is_stale(self.instance, seen)):
            url = reverse(
                "profiles:compare",
                args=[self.instance.force.slug, access.root_of(self.instance).slug],
            )
            raise ValidationError(
                format_html(
                    '{} <a href="{}?since={}">See what changed</a>.',
                    editing.STALE_MESSAGE,
                    url,
                    seen if seen is not None else 0,
                ),
                code="stale",
            )
        return cleaned_data


@admin.register(models.RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    form = RoleProfileAdminForm
    list_display = ["title", "force", "reference_code", "grade", "vetting_level", "status"]
    list_filter = ["force", "grade", "vetting_level", "status"]
    list_select_related = ["force", "grade", "vetting_level"]
    search_fields = ["title", "reference_code", "purpose"]
    autocomplete_fields = ["force", "grade", "grade_to", "vetting_level", "framework"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "revision"]
    fieldsets = [
        (None, {"fields": ["force", "title", "slug", "status", "version", "seen_revision"]}),
        (
            "Post details",
            {
                "fields": [
                    ("reference_code", "job_evaluation_ref", "post_number"),
                    ("grade", "grade_to", "grade_note"),
                    ("job_family", "service_area", "business_area"),
                    ("department", "location"),
                    ("reports_to", "people_responsibility"),
                    ("number_of_posts", "working_arrangement"),
                    ("officer_or_staff", "home_office_function"),
                    ("limited_duties_category", "section_name"),
                    ("internal_contacts", "external_contacts"),
                    "purpose",
                    ("vetting_level", "framework"),
                ]
            },
        ),
        (
            "Review and authorisation",
            {
                "fields": [
                    ("date_reviewed", "date_reviewed_precision"),
                    ("review_due", "review_due_precision"),
                    ("prepared_by", "prepared_on"),
                    ("approved_by", "approved_on"),
                    ("evaluation_panel", "evaluation_panel_on"),
                    ("created_at", "updated_at", "revision"),
                ]
            },
        ),
    ]
    inlines = [
        PostDetailInline,
        SectionInline,
        CriterionInline,
        BehaviourInline,
        SkillRequirementInline,
        NosUnitInline,
    ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One reversion revision for the profile and all its inlines, with who saved it.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Saved in the admin.")
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            editing.claim_revision(obj, form.cleaned_data["seen_revision"])
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reversion.add_to_revision(form.instance)
        action = models.AuditAction.EDIT if change else models.AuditAction.CREATE
        editing.record(form.instance, request.user, action, "In the admin.")


def responsibilities_kept(section_pks, lock):
    """Published profiles that have responsibilities in these sections, each with `kept`:
    how many responsibilities it keeps once the sections are deleted.

    With `lock` (inside the transaction that deletes) the profiles' rows stay locked until
    it ends, so two deletes at once cannot each leave the other the last responsibility.
    """
    losing = models.Section.objects.filter(
        pk__in=section_pks, kind=models.SectionKind.RESPONSIBILITIES, items__isnull=False
    ).values("profile_id")
    profiles = models.RoleProfile.objects.published().filter(pk__in=losing)
    if lock:
        # Ordered by id, and without the default order's join: only these rows are locked,
        # always in the same order.
        list(profiles.order_by("pk").select_for_update().values_list("pk", flat=True))
    kept = Q(sections__kind=models.SectionKind.RESPONSIBILITIES) & ~Q(sections__pk__in=section_pks)
    return (
        profiles.select_related("grade", "vetting_level")
        .annotate(kept=Count("sections__items", filter=kept))
        .order_by("title", "pk")
    )


def section_deletion_breaches(sections, lock=False):
    """Why deleting these sections would leave a published profile breaking a rule."""
    breaches = []
    for profile in responsibilities_kept([section.pk for section in sections], lock):
        # The responsibilities it keeps, counted in SQL for all the profiles at once (the
        # delete page costs a fixed number of queries), stand in for its sections.
        kept = SectionDraft(
            kind=models.SectionKind.RESPONSIBILITIES, items=[ItemDraft()] * profile.kept
        )
        draft = ProfileDraft(
            fields={"grade": profile.grade, "vetting_level": profile.vetting_level},
            status=profile.status,
            sections=[kept],
        )
        if any(error.location == ("status",) for error in rules.check_profile(draft)):
            breaches.append(f"“{profile}” is published and must keep at least one responsibility.")
    return breaches


class ItemInline(CappedRows, admin.TabularInline):
    model = models.Item
    formset = formsets.ItemFormSet
    fields = ["order", "subheading", "text", "weighting"]
    extra = 0


@admin.register(models.Section)
class SectionAdmin(StaysWithParent, admin.ModelAdmin):
    # Moved to another profile, a section would take its responsibilities from the first
    # profile unchecked.
    parent_field = "profile"
    list_display = ["__str__", "profile", "kind", "weighting", "order"]
    list_filter = ["kind", "profile__force"]
    list_select_related = ["profile__force"]
    search_fields = ["heading", "profile__title"]
    autocomplete_fields = ["profile"]
    fields = ["profile", "order", "kind", "heading", "intro", "weighting"]
    inlines = [ItemInline]

    def get_deleted_objects(self, objs, request):
        # Django's delete page and "delete selected" action delete nothing while this list
        # is not empty, and show it instead of the confirmation: all or nothing. Both post
        # inside a transaction (delete_view's own, response_action's below).
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        breaches = section_deletion_breaches(objs, lock=request.method == "POST")
        return deleted, counts, perms_needed, [*protected, *breaches]

    # A section saved or deleted here changes its profile: forms open on it become stale.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        editing.changed_elsewhere(obj.profile_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        editing.changed_elsewhere(obj.profile_id)

    def delete_queryset(self, request, queryset):
        profile_ids = set(queryset.values_list("profile_id", flat=True))
        super().delete_queryset(request, queryset)
        editing.changed_elsewhere(*profile_ids)

    def response_action(self, request, queryset):
        # The "delete selected" action checks and deletes in one transaction, as the delete
        # page does, so the rows the check locks stay locked until the sections are gone.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().response_action(request, queryset)

    def render_change_form(self, request, context, *args, **kwargs):
        # The items' formset finds that their weightings do not add up, but what they
        # disagree with is the section's total: show the message on that field.
        form = context["adminform"].form
        for inline in context["inline_admin_formsets"]:
            errors = inline.formset.non_form_errors()
            moved = [error for error in errors.as_data() if error.code in WEIGHTING_ERRORS]
            for error in moved:
                form.add_error("weighting", error)
            errors.data[:] = [error for error in errors.data if error not in moved]
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "profile", "action", "user", "version", "comment"]
    list_filter = ["action", "profile__force"]
    list_select_related = ["profile__force", "user"]
    search_fields = ["profile__title", "user__username", "comment"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
