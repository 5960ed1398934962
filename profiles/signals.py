"""Every signal receiver of the profiles app, connected in one place, in the order they run.

Receivers of one signal run, and queue their after-commit work, in the order they were
connected. The search index's come first, so that a save's search document is written before
the PDF cache's after-commit work starts a print that reads it.
"""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from competencies.models import (
    Cluster,
    Competency,
    CompetencyLevel,
    Framework,
    Indicator,
    Skill,
    SkillLevel,
    Value,
)
from jobs import queue
from profiles import search, tasks, welsh
from profiles.models import (
    AssessmentMethod,
    Behaviour,
    Criterion,
    Force,
    Grade,
    HouseStyle,
    Item,
    NosUnit,
    PostDetail,
    RoleProfile,
    Section,
    SkillRequirement,
    StandardSection,
    WelshLevel,
)
from profiles.printing import pdf
from vetting.models import VettingLevel

SAVED_OR_DELETED = (post_save, post_delete)


def connect():
    """Connect every receiver (AppConfig.ready calls this once; dispatch_uid makes it idempotent)."""
    connect_welsh()
    connect_search()
    connect_pdf()
    connect_tasks()


def connect_welsh():
    for model in welsh.SOURCED:
        pre_save.connect(welsh.keep_sources, sender=model, dispatch_uid=f"welsh-{model.__name__}")


def connect_search():
    post_save.connect(search._profile_saved, sender=RoleProfile, dispatch_uid="search-profile")
    for model in (Criterion, Section):
        for signal in SAVED_OR_DELETED:
            signal.connect(
                search._child_saved, sender=model, dispatch_uid=f"search-{model.__name__}"
            )
    for signal in SAVED_OR_DELETED:
        signal.connect(search._item_saved, sender=Item, dispatch_uid="search-item")


# The PDF cache: whatever a profile prints changed, so after commit its cache gets a new epoch
# (profiles.printing.pdf) and a fresh print is queued (profiles.tasks).
PROFILE_CHILDREN = [PostDetail, Section, Criterion, Behaviour, SkillRequirement, NosUnit]
FORCE_CHILDREN = [Force, Grade, StandardSection, HouseStyle, WelshLevel]
NATIONAL = [
    Framework,
    Cluster,
    Competency,
    CompetencyLevel,
    Indicator,
    Value,
    Skill,
    SkillLevel,
    VettingLevel,
    AssessmentMethod,
]


# The profiles and forces the current thread's transactions changed. Every change queues a
# callback; the first to run when a transaction commits gives each changed one a new epoch
# and queues its print once, however many rows of it changed (an editor save, load_force,
# an import or a bulk change writes many); the others find nothing left. What a rolled-back
# transaction left here goes with the next commit: an epoch more, never one lost.
_pending = threading.local()


def _pending_changes():
    if not hasattr(_pending, "changes"):
        _pending.changes = {"profiles": set(), "forces": set()}
    return _pending.changes


def changes_after_commit():
    """Give every profile and force changed since the last commit a new epoch, queue prints."""
    changes = _pending_changes()
    profiles, forces = sorted(changes["profiles"]), sorted(changes["forces"])
    changes["profiles"].clear()
    changes["forces"].clear()
    for profile_pk in profiles:
        pdf.profile_changed(profile_pk)
        tasks.render_after_save(profile_pk=profile_pk)
    for force_pk in forces:
        pdf.force_changed(force_pk)
        tasks.render_after_save(force_pk=force_pk)


def profile_changed(profile_pk):
    _pending_changes()["profiles"].add(profile_pk)
    transaction.on_commit(changes_after_commit)


def force_changed(force_pk):
    _pending_changes()["forces"].add(force_pk)
    transaction.on_commit(changes_after_commit)


def national_data_changed():
    transaction.on_commit(pdf.national_data_changed)


def _profile_saved(sender, instance, **kwargs):
    profile_changed(instance.pk)


def _child_saved(sender, instance, **kwargs):
    profile_changed(instance.profile_id)


def _item_saved(sender, instance, **kwargs):
    try:
        profile_pk = instance.section.profile_id
    except Section.DoesNotExist:
        return  # deleted with its section, whose own signal marked the profile changed
    profile_changed(profile_pk)


def _force_child_saved(sender, instance, **kwargs):
    force_changed(instance.pk if sender is Force else instance.force_id)


def _national_saved(sender, **kwargs):
    national_data_changed()


def _methods_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        if isinstance(instance, AssessmentMethod):
            national_data_changed()
        else:
            profile_changed(instance.profile_id)


def connect_pdf():
    post_save.connect(_profile_saved, sender=RoleProfile, dispatch_uid="pdf-profile")
    for model in PROFILE_CHILDREN:
        for signal in SAVED_OR_DELETED:
            signal.connect(_child_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}")
    for signal in SAVED_OR_DELETED:
        signal.connect(_item_saved, sender=Item, dispatch_uid="pdf-item")
        for model in FORCE_CHILDREN:
            signal.connect(_force_child_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}")
        for model in NATIONAL:
            signal.connect(_national_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}")
    for through in (Criterion.methods.through, Behaviour.methods.through):
        m2m_changed.connect(
            _methods_changed, sender=through, dispatch_uid=f"pdf-{through.__name__}"
        )


def connect_tasks():
    queue.worker_ready.connect(
        tasks.reprint_if_the_layouts_changed, dispatch_uid="pdf-reprint-after-deploy"
    )
