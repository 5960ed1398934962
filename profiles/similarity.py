"""Which of a force's profiles are alike: the near-copies to find before writing another.

A profile's likeness to another is a blend of its title's words and its whole text (the stored
search document: title, references, purpose, items, criteria), each text weighed by TF-IDF
over the force's own profiles and compared by cosine. It is computed in Python from one query
for the force's documents, so PostgreSQL and SQLite give the same scores, and no database
extension (pg_trgm) has to be allowed on a managed server. A force has hundreds of profiles,
not millions: each document keeps its `TERMS_KEPT` heaviest words, which bounds a comparison.
"""

import math
import re
from collections import Counter

from profiles.models import RoleProfile, Status

WORD = re.compile(r"[a-z][a-z'-]{2,}")
STOP_WORDS = frozenset(
    "the and for with that this from are will you your our their they have has not all any "
    "can may must who which what when where other into onto such within across about also "
    "role post job work working including include includes ensure ensuring able ability "
    "provide providing required require requirement requirements responsible responsibility "
    "responsibilities duties duty".split()
)
TERMS_KEPT = 80
TITLE_WEIGHT = 0.3
# Pairs at or above this score are listed in the force's report.
REPORT_THRESHOLD = 0.6


def words(text):
    return [word for word in WORD.findall(text.lower()) if word not in STOP_WORDS]


def weigh(documents):
    """{key: text} → {key: {term: weight}}, TF-IDF over these documents, unit length."""
    counts = {key: Counter(words(text)) for key, text in documents.items()}
    document_frequency = Counter(term for count in counts.values() for term in count)
    n = len(documents)
    vectors = {}
    for key, count in counts.items():
        weights = {
            term: (1 + math.log(tf)) * math.log((1 + n) / (1 + document_frequency[term]) + 1)
            for term, tf in count.items()
        }
        kept = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_KEPT])
        norm = math.sqrt(sum(weight * weight for weight in kept.values())) or 1.0
        vectors[key] = {term: weight / norm for term, weight in kept.items()}
    return vectors


def cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def title_likeness(a, b):
    a, b = set(words(a)), set(words(b))
    return len(a & b) / len(a | b) if a and b else 0.0


def score(first, second, vectors):
    text = cosine(vectors[first["pk"]], vectors[second["pk"]])
    return round(
        TITLE_WEIGHT * title_likeness(first["title"], second["title"]) + (1 - TITLE_WEIGHT) * text,
        3,
    )


def force_documents(force_id):
    """The force's current profiles (not archived) as plain rows, one query."""
    return list(
        RoleProfile.objects.filter(force_id=force_id)
        .exclude(status=Status.ARCHIVED)
        .order_by("slug")
        .values("pk", "slug", "title", "status", "draft_of_id", "search_text")
    )


def _same_profile(first, second):
    """A working draft and the profile it replaces are one profile, not two alike."""
    return first["draft_of_id"] == second["pk"] or second["draft_of_id"] == first["pk"]


def most_similar(profile, limit=5, documents=None):
    """[(row, score)] of the force's other profiles most like `profile`, best first."""
    documents = documents if documents is not None else force_documents(profile.force_id)
    by_pk = {row["pk"]: row for row in documents}
    this = by_pk.get(profile.pk)
    if this is None:
        return []
    vectors = weigh({row["pk"]: row["search_text"] for row in documents})
    scored = [
        (row, score(this, row, vectors))
        for row in documents
        if row["pk"] != profile.pk and not _same_profile(this, row)
    ]
    scored = [(row, value) for row, value in scored if value > 0]
    scored.sort(key=lambda pair: (-pair[1], pair[0]["slug"]))
    return scored[:limit]


def similar_pairs(force_id, threshold=REPORT_THRESHOLD):
    """[(row, row, score)] of the force's profiles at or above `threshold`, best first."""
    documents = force_documents(force_id)
    vectors = weigh({row["pk"]: row["search_text"] for row in documents})
    pairs = []
    for i, first in enumerate(documents):
        for second in documents[i + 1 :]:
            if _same_profile(first, second):
                continue
            value = score(first, second, vectors)
            if value >= threshold:
                pairs.append((first, second, value))
    pairs.sort(key=lambda pair: (-pair[2], pair[0]["slug"], pair[1]["slug"]))
    return pairs
