"""Sessions in the database, as Django keeps them, read with SQL compiled once.

Every request reads its session row; Django's store compiles the same query each time, which
cost more than running it. This store reads the row's data and expiry on every request and
refuses an expired session, as Django's does; writing, expiring and clearing are Django's.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from profiles.compiled import CompiledQuery

_SESSION = CompiledQuery(
    lambda session_key: Session.objects.filter(session_key=session_key).values_list(
        "session_data", "expire_date"
    ),
    session_key="\x00session-key\x00",
)


class SessionStore(DatabaseSessionStore):
    def load(self):
        found = _SESSION.rows(router.db_for_read(Session), session_key=self.session_key)
        if not found or found[0][1] <= timezone.now():
            self._session_key = None
            return {}
        return self.decode(found[0][0])
