"""Full-text search over role profiles, and the stored search document it reads.

Each profile keeps its searchable words in `search_text` (title, reference codes,
purpose, every item and criterion) and, on PostgreSQL, in `search_vector`, a weighted
tsvector with a GIN index: title and references weigh most, then the purpose, then
the items and criteria. The document is rebuilt once per profile when a transaction
that changed the profile or one of its searchable children commits, so editing a
profile, copying one and loading a force's fixture all keep it current.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from profiles.models import Criterion, Item, RoleProfile, Section

CONFIG = "english"


def document_parts(profile_pk):
    """The searchable text of one profile, in three weights: A (names), B (purpose), C."""
    profile = RoleProfile.objects.values(
        "title", "reference_code", "job_evaluation_ref", "post_number", "purpose"
    ).get(pk=profile_pk)
    items = Item.objects.filter(section__profile_id=profile_pk).values_list(
        "section__heading", "subheading", "text"
    )
    criteria = Criterion.objects.filter(profile_id=profile_pk).values_list("heading", "text")
    names = " ".join(
        profile[field]
        for field in ("title", "reference_code", "job_evaluation_ref", "post_number")
        if profile[field]
    )
    rest = " ".join(part for row in [*items, *criteria] for part in row if part)
    return names, profile["purpose"], rest


def refresh(profile_pk):
    """Rebuild the stored search document of one profile."""
    names, purpose, rest = document_parts(profile_pk)
    fields = {"search_text": "\n".join(part for part in (names, purpose, rest) if part)}
    if connection.vendor == "postgresql":
        fields["search_vector"] = (
            SearchVector(Value(names), weight="A", config=CONFIG)
            + SearchVector(Value(purpose), weight="B", config=CONFIG)
            + SearchVector(Value(rest), weight="C", config=CONFIG)
        )
    RoleProfile.objects.filter(pk=profile_pk).update(**fields)


def refresh_on_commit(profile_pk):
    """Rebuild the profile's document once, when the current transaction commits."""
    if profile_pk is None:
        return
    # One rebuild per profile per transaction: a callback already waiting will do.
    connection = transaction.get_connection()
    for _savepoints, waiting, _robust in connection.run_on_commit:
        if getattr(waiting, "search_profile_pk", None) == profile_pk:
            return

    def run():
        if RoleProfile.objects.filter(pk=profile_pk).exists():
            refresh(profile_pk)

    run.search_profile_pk = profile_pk
    transaction.on_commit(run)


@receiver(post_save, sender=RoleProfile)
def _profile_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= {"search_text", "search_vector"}:
        return
    refresh_on_commit(instance.pk)


@receiver([post_save, post_delete], sender=Criterion)
@receiver([post_save, post_delete], sender=Section)
def _child_saved(sender, instance, **kwargs):
    refresh_on_commit(instance.profile_id)


@receiver([post_save, post_delete], sender=Item)
def _item_saved(sender, instance, **kwargs):
    section = Section.objects.filter(pk=instance.section_id).values_list("profile_id").first()
    if section is not None:
        refresh_on_commit(section[0])


def search(queryset, text):
    """Profiles matching `text`, best first: ranked full-text on PostgreSQL, else contains."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    matches = Q()
    for word in text.split():
        matches &= Q(search_text__icontains=word)
    return queryset.filter(matches)
