"""Generated bad force fixtures: load_force answers each with a clear refusal (never a
traceback) that changes nothing, or loads it without touching another force (issue 10)."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_load_force import AVON, gwent_records

# Leaves of generated JSON: the awkward values (NUL, lone surrogates, huge numbers, keys
# of other forces) alongside ordinary ones.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "\ud800", "gwent", "avon-and-somerset", "../x.png", "x" * 400]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
RECORDS = gwent_records()
FIELD_NAMES = sorted({name for record in RECORDS for name in record["fields"]} | {"id", "pk"})
MODELS = sorted({record["model"] for record in RECORDS}) + [
    "profiles.assessmentmethod",
    "vetting.vettinglevel",
    "auth.user",
]


@st.composite
def mutated_fixtures(draw):
    """Gwent's fixture with a few records spoiled: values, models, pks, repeats, order."""
    records = json.loads(json.dumps(RECORDS))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(records) - 1))
        record = records[index]
        change = draw(
            st.sampled_from(["value", "drop", "model", "pk", "repeat", "move", "key", "record"])
        )
        # A record an earlier round replaced by stray JSON has no fields to spoil.
        whole = isinstance(record, dict) and isinstance(record.get("fields"), dict)
        if not whole and change not in ("repeat", "move", "record"):
            continue
        if change == "value":
            record["fields"][draw(st.sampled_from(FIELD_NAMES))] = draw(JSON)
        elif change == "drop" and record["fields"]:
            record["fields"].pop(draw(st.sampled_from(sorted(record["fields"]))))
        elif change == "model":
            record["model"] = draw(st.one_of(st.sampled_from(MODELS), JSON))
        elif change == "pk":
            record["pk"] = draw(st.one_of(st.integers(min_value=1, max_value=5), JSON))
        elif change == "repeat":
            records.insert(draw(st.integers(min_value=0, max_value=len(records))), record)
        elif change == "move":
            records.insert(
                draw(st.integers(min_value=0, max_value=len(records))), records.pop(index)
            )
        elif change == "key":
            # Point the record at Avon and Somerset, whose rows must never change.
            for name, value in record["fields"].items():
                if isinstance(value, list) and value[:1] == ["gwent"]:
                    record["fields"][name] = ["avon-and-somerset", *value[1:]]
        else:
            records[index] = draw(JSON)
    return records


def snapshot(exclude_force=None):
    """Every row of the project's tables (but the audit trail), or every row not of one force."""
    rows = {}
    for app in ("profiles", "competencies", "vetting"):
        for model in apps.get_app_config(app).get_models():
            if model._meta.label == "profiles.AuditEntry":
                continue
            queryset = model._default_manager.order_by("pk")
            if exclude_force is not None:
                queryset = queryset.exclude(**force_filter(model, exclude_force))
            rows[model._meta.label] = list(queryset.values())
            for field in model._meta.many_to_many:
                through = field.remote_field.through._default_manager.order_by("pk")
                names = {f.name for f in model._meta.fields}
                if exclude_force is not None and names & {"profile", "force"}:
                    owner = field.m2m_field_name()
                    path = "profile__force" if "profile" in names else "force"
                    through = through.exclude(**{f"{owner}__{path}__slug": exclude_force})
                rows[f"{model._meta.label}.{field.name}"] = list(through.values())
    return rows


def force_filter(model, slug):
    paths = {
        "profiles.Force": "slug",
        "profiles.Grade": "force__slug",
        "profiles.StandardSection": "force__slug",
        "profiles.HouseStyle": "force__slug",
        "profiles.WelshLevel": "force__slug",
        "profiles.RoleProfile": "force__slug",
        "profiles.Item": "section__profile__force__slug",
        "profiles.Membership": "force__slug",
    }
    label = model._meta.label
    if label in paths:
        return {paths[label]: slug}
    if any(f.name == "profile" for f in model._meta.fields):
        return {"profile__force__slug": slug}
    return {"pk__in": []}


@pytest.fixture
def avon_loaded(national_data):
    call_command("load_force", str(AVON), verbosity=0)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=mutated_fixtures())
def test_a_generated_bad_fixture_changes_nothing_or_nothing_of_another_force(
    avon_loaded, tmp_path, records
):
    path = tmp_path / "gwent.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    with transaction.atomic():
        before, others_before = snapshot(), snapshot(exclude_force="gwent")
        try:
            call_command("load_force", str(path), verbosity=0)
        except CommandError as error:
            assert str(error).endswith("nothing was loaded.")
            assert snapshot() == before
        else:
            assert snapshot(exclude_force="gwent") == others_before
        transaction.set_rollback(True)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(st.text(max_size=200), JSON.map(json.dumps)))
def test_generated_text_is_refused_with_a_clear_error(avon_loaded, tmp_path, text):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("load_force", str(path), verbosity=0)
    assert str(error.value).startswith(f"{path}: ")
    assert snapshot() == before
