"""Authentication that loads the user's membership with the user.

Every view asks which force a user works for and in what role; fetching the membership
in the query that loads the user from the session (with its force, which the navigation
names) saves two queries on every page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("membership__force")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
