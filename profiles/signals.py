"""Every signal receiver of the profiles app, connected in one place, in the order they run.

Receivers of one signal run, and queue their after-commit work, in the order they were
connected. The search index's come first, so that a save's search document is written before
the PDF cache's after-commit work starts a print that reads it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from jobs import queue
from profiles import pdf, search, tasks, welsh
from profiles.models import Behaviour, Criterion, Item, RoleProfile, Section

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


def connect_pdf():
    post_save.connect(pdf._profile_saved, sender=RoleProfile, dispatch_uid="pdf-profile")
    for model in pdf.PROFILE_CHILDREN:
        for signal in SAVED_OR_DELETED:
            signal.connect(pdf._child_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}")
    for signal in SAVED_OR_DELETED:
        signal.connect(pdf._item_saved, sender=Item, dispatch_uid="pdf-item")
        for model in pdf.FORCE_CHILDREN:
            signal.connect(
                pdf._force_child_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}"
            )
        for model in pdf.NATIONAL:
            signal.connect(pdf._national_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}")
    for through in (Criterion.methods.through, Behaviour.methods.through):
        m2m_changed.connect(
            pdf._methods_changed, sender=through, dispatch_uid=f"pdf-{through.__name__}"
        )


def connect_tasks():
    queue.worker_ready.connect(
        tasks.reprint_if_the_layouts_changed, dispatch_uid="pdf-reprint-after-deploy"
    )
