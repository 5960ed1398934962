"""Authentication that loads the user's membership with the user.

Every view asks which force a user works for and in what role; fetching the membership
in the query that loads the user from the session (with its force, which the navigation
names) saves two queries on every page. That query is the same on every request but for
the user's id, so its SQL is compiled once (profiles.compiled).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import router

from profiles.compiled import CompiledQuery

_USER_WITH_MEMBERSHIP = CompiledQuery(
    lambda pk: get_user_model()._default_manager.select_related("membership__force").filter(pk=pk),
    # A 32-bit id no user has (a larger one would compile to a query that finds nothing).
    pk=2_147_480_009,
)


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        users = _USER_WITH_MEMBERSHIP.objects(
            router.db_for_read(model), pk=model._meta.pk.get_prep_value(user_id)
        )
        if not users:
            return None
        return users[0] if self.user_can_authenticate(users[0]) else None
