"""Full-text search over role profiles, and the stored search document it reads.

Each profile keeps its searchable words in `search_text` (title, reference codes,
purpose, every item and criterion, each in English and, where written, Welsh) and, on PostgreSQL, in `search_vector`, a weighted
tsvector with a GIN index: title and references weigh most, then the purpose, then
the items and criteria. The document is rebuilt once per profile when a transaction
that changed the profile or one of its searchable children commits, so editing a
profile, copying one and loading a force's fixture all keep it current.
"""

import threading

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, RowRange, Value, When, Window

from profiles.models import Criterion, Force, Item, RoleProfile, Section

CONFIG = "english"


NAME_FIELDS = ("title", "title_cy", "reference_code", "job_evaluation_ref", "post_number")


def document_parts(profile_pks):
    """profile pk → its searchable text in three weights: A (names), B (purpose), C (the rest)."""
    parts = {}
    for profile in RoleProfile.objects.filter(pk__in=profile_pks).values(
        "pk", *NAME_FIELDS, "purpose", "purpose_cy"
    ):
        names = " ".join(profile[field] for field in NAME_FIELDS if profile[field])
        purpose = "\n".join(text for text in (profile["purpose"], profile["purpose_cy"]) if text)
        parts[profile["pk"]] = [names, purpose, []]
    items = Item.objects.filter(section__profile_id__in=profile_pks).order_by(
        "section__order", "order"
    )
    for profile_pk, *texts in items.values_list(
        "section__profile_id", "section__heading", "subheading", "text", "text_cy"
    ):
        parts[profile_pk][2].extend(texts)
    criteria = Criterion.objects.filter(profile_id__in=profile_pks).order_by("order")
    for profile_pk, *texts in criteria.values_list("profile_id", "heading", "text", "text_cy"):
        parts[profile_pk][2].extend(texts)
    return {
        pk: (names, purpose, " ".join(text for text in rest if text))
        for pk, (names, purpose, rest) in parts.items()
    }


def refresh_many(profile_pks, batch_size=500):
    """Rebuild the stored search documents of these profiles, one statement per batch."""
    profile_pks = list(profile_pks)
    for start in range(0, len(profile_pks), batch_size):
        documents = document_parts(profile_pks[start : start + batch_size])
        if not documents:
            continue
        rows = [
            (pk, "\n".join(part for part in (names, purpose, rest) if part), names, purpose, rest)
            for pk, (names, purpose, rest) in documents.items()
        ]
        if connection.vendor == "postgresql":
            _update_postgres(rows)
        else:
            RoleProfile.objects.bulk_update(
                [RoleProfile(pk=pk, search_text=text) for pk, text, *_weights in rows],
                ["search_text"],
            )


def _update_postgres(rows):
    # The same weighted vector as SearchVector(…, weight=…) + …, for a whole batch in
    # one UPDATE … FROM (VALUES …) rather than one statement per profile.
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    vector = " || ".join(
        f"setweight(to_tsvector(%s::regconfig, v.{column}), '{weight}')"
        for column, weight in (("names", "A"), ("purpose", "B"), ("rest", "C"))
    )
    sql = (
        f"UPDATE {RoleProfile._meta.db_table} AS p "
        f"SET search_text = v.text, search_vector = {vector} "
        f"FROM (VALUES {values}) AS v(id, text, names, purpose, rest) "
        "WHERE p.id = v.id"
    )
    params = [CONFIG] * 3 + [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refresh(profile_pk):
    """Rebuild the stored search document of one profile."""
    refresh_many([profile_pk])


# The profiles whose documents the current thread's transactions changed. Every change
# queues a callback; the first to run when a transaction commits rebuilds them all, the
# others find nothing left. A profile left here by a rolled-back transaction is rebuilt
# with the next commit, which costs a rebuild but never loses one.
_pending = threading.local()


def _pending_pks():
    if not hasattr(_pending, "pks"):
        _pending.pks = set()
    return _pending.pks


def refresh_pending():
    """Rebuild the documents of every profile changed since the last rebuild."""
    pks = _pending_pks()
    if pks:
        waiting = sorted(pks)
        pks.clear()
        refresh_many(waiting)


def refresh_on_commit(profile_pk):
    """Rebuild the profile's document once, when the current transaction commits."""
    if profile_pk is None:
        return
    _pending_pks().add(profile_pk)
    transaction.on_commit(refresh_pending)


# Receivers; profiles.signals connects them, before the PDF cache's.
def _profile_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= {"search_text", "search_vector"}:
        return
    refresh_on_commit(instance.pk)


def _child_saved(sender, instance, **kwargs):
    refresh_on_commit(instance.profile_id)


def _item_saved(sender, instance, **kwargs):
    if Item.section.is_cached(instance):  # the section at hand: no query
        refresh_on_commit(instance.section.profile_id)
        return
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


class ByForceName:
    """The primary keys of `queryset` in the list's force order (force name, title, pk),
    as a Paginator reads them, without sorting every row joined to its force.

    `forces` are the forces the list offers, in name order (the database's collation). The
    count is one GROUP BY force (an index-only scan of the partial (force, title, id)
    index); a page is then read from the forces it spans alone, and from one force (the
    usual case) in that index's order. Forces of equal name share a rank, so their rows
    interleave by title as ORDER BY force__name, title, pk has them. It costs the queries a
    sorted queryset would: one count, one page.
    """

    ordered = True

    def __init__(self, queryset, forces):
        self.queryset = queryset.order_by()
        self.rank = {}
        names = []
        for force in forces:
            if not names or names[-1] != force.name:
                names.append(force.name)
            self.rank[force.pk] = len(names) - 1
        self._counts = None

    def _ranked_counts(self):
        """[(rank, [force pk], rows)], in rank order."""
        if self._counts is None:
            rows = dict(self.queryset.values_list("force_id").annotate(rows=Count("pk")).order_by())
            unknown = set(rows) - set(self.rank)
            if unknown:  # a force the list does not offer (not expected): rank it by name
                extra = list(Force.objects.filter(pk__in=unknown).values_list("pk", "name"))
                names = sorted({name for _pk, name in extra})
                after = len(self.rank)  # above every rank given so far
                for pk, name in extra:
                    self.rank[pk] = after + names.index(name)
            grouped = {}
            for force_pk in rows:
                grouped.setdefault(self.rank[force_pk], []).append(force_pk)
            self._counts = [
                (rank, pks, sum(rows[pk] for pk in pks)) for rank, pks in sorted(grouped.items())
            ]
        return self._counts

    def count(self):
        return sum(rows for _rank, _pks, rows in self._ranked_counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("ByForceName pages by slices only")
        start, stop = key.start or 0, key.stop
        if stop is None:
            stop = self.count()
        spanned, skipped, before = [], None, 0
        for rank, pks, rows in self._ranked_counts():
            if before < stop and before + rows > start:
                if skipped is None:
                    skipped = before
                spanned.append((rank, pks))
            before += rows
        if not spanned:
            return []
        queryset = self.queryset.filter(force_id__in=[pk for _rank, pks in spanned for pk in pks])
        if len(spanned) == 1:
            ordering = ["title", "pk"]
        else:
            rank = Case(
                *(When(force_id__in=pks, then=Value(rank)) for rank, pks in spanned),
                output_field=IntegerField(),
            )
            ordering = [rank, "title", "pk"]
        pks = queryset.order_by(*ordering).values_list("pk", flat=True)
        return list(pks[start - skipped : stop - skipped])


class CountedPage:
    """The primary keys of a search's matches as a Paginator reads them, its count and the
    page asked for in one query (COUNT(*) OVER ()): to rank a search the page query reads
    every match, so the count need not read them all a second time.

    `page` is the page number as the request gave it. Another page than that one (past
    the end, a page number Paginator reads otherwise) is read with its own query, as
    without this class.
    """

    ordered = True

    def __init__(self, queryset, page_size, page):
        self.queryset = queryset
        self.page_size = page_size
        try:
            self.number = max(1, int(page or 1))
        except (TypeError, ValueError):
            self.number = 1
        self._total = None
        self._page = None

    def count(self):
        if self._total is None:
            start = (self.number - 1) * self.page_size
            # The window is ordered as the page is, over all its rows: PostgreSQL then sorts
            # the matches once, with the rank worked out beneath the window, so the window
            # keeps (id, title, rank) of each match. OVER () kept each match's whole row,
            # search vector and all, for the sort above it (spilling to disk for 4,400
            # matches at 50,000 profiles).
            matches = Window(
                Count("pk"),
                order_by=list(self.queryset.query.order_by),
                frame=RowRange(start=None, end=None),
            )
            rows = list(
                self.queryset.annotate(matches=matches).values_list("pk", "matches")[
                    start : start + self.page_size
                ]
            )
            if rows:
                self._total = rows[0][1]
                self._page = (start, [pk for pk, _matches in rows])
            else:
                self._total = self.queryset.count()
        return self._total

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("CountedPage pages by slices only")
        if self._page is not None and self._page[0] == (key.start or 0):
            return self._page[1][: (key.stop - self._page[0]) if key.stop is not None else None]
        return list(self.queryset.values_list("pk", flat=True)[key])
