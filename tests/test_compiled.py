"""Queries compiled once (profiles.compiled) give what the ORM gives, and compile once."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections

from profiles.compiled import CompiledQuery
from profiles.models import RoleProfile

pytestmark = pytest.mark.django_db

PK = 2_147_480_009


def state(instance):
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_it_compiles_on_first_use_and_then_only_runs(hr_user, django_assert_num_queries):
    built = []

    def build(pk):
        built.append(pk)
        return get_user_model().objects.filter(pk=pk)

    query = CompiledQuery(build, pk=PK)
    with django_assert_num_queries(2):
        assert query.objects(DEFAULT_DB_ALIAS, pk=hr_user.pk) == [hr_user]
        assert query.objects(DEFAULT_DB_ALIAS, pk=hr_user.pk + 1000) == []
    assert built == [PK]


def test_its_instances_are_the_orms_with_what_select_related_names(hr_user, django_user_model):
    nobody = django_user_model.objects.create_user("nobody")
    query = CompiledQuery(
        lambda pk: django_user_model.objects.select_related("membership__force").filter(pk=pk),
        pk=PK,
    )
    for user in (hr_user, nobody):
        [loaded] = query.objects(DEFAULT_DB_ALIAS, pk=user.pk)
        expected = django_user_model.objects.select_related("membership__force").get(pk=user.pk)
        assert state(loaded) == state(expected)
        assert loaded._state.db == DEFAULT_DB_ALIAS and not loaded._state.adding
        membership = getattr(loaded, "membership", None)
        if user is nobody:
            assert membership is None
        else:
            assert state(membership) == state(expected.membership)
            assert state(membership.force) == state(expected.membership.force)


def test_its_rows_go_through_the_databases_converters(weighted_profile):
    query = CompiledQuery(
        lambda slug: RoleProfile.objects.filter(slug=slug).values_list("slug", "force__national"),
        slug="\x00slug\x00",
    )
    assert query.rows(DEFAULT_DB_ALIAS, slug=weighted_profile.slug) == [
        (weighted_profile.slug, False)
    ]


def test_it_refuses_a_query_with_a_value_that_is_not_a_placeholder(db):
    query = CompiledQuery(
        lambda pk: get_user_model().objects.filter(pk=pk, username="fixed"), pk=PK
    )
    with pytest.raises(ValueError, match="not placeholders"):
        query.rows(DEFAULT_DB_ALIAS, pk=1)


def test_each_thread_compiles_for_its_own_connection(db):
    built = []

    def build(pk):
        built.append(pk)
        return get_user_model().objects.filter(pk=pk)

    query = CompiledQuery(build, pk=PK)

    def compile_here():
        query._compile(DEFAULT_DB_ALIAS)
        connections.close_all()

    query._compile(DEFAULT_DB_ALIAS)
    query._compile(DEFAULT_DB_ALIAS)
    thread = threading.Thread(target=compile_here)
    thread.start()
    thread.join()

    assert built == [PK, PK]
