"""Sessions kept in the database, which a page that needs no database can do without.

A patient on the self-assessment's first step who answers "yes" to an emergency question must
be told to call 999 even while PostgreSQL is down or restarting. The answer needs nothing
stored, but Django's database session would turn the outage into an error page when it loads
or saves the session. Here a session that cannot be read is treated as empty (and never written
back over the real one), and one that cannot be saved is logged and dropped, with no cookie
sent: the page the patient asked for is still shown.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)


class SessionStore(DatabaseSessionStore):
    unavailable = False

    def load(self):
        try:
            return super().load()
        except DATABASE_ERRORS as exc:
            logger.warning("Session not loaded, database unavailable: %s", exc)
            self.unavailable = True
            return {}

    def save(self, must_create=False):
        if self.unavailable:
            return
        try:
            super().save(must_create=must_create)
        except DATABASE_ERRORS as exc:
            logger.warning("Session not saved, database unavailable: %s", exc)
            self.unavailable = True
        except UpdateError as exc:
            # Django turns any error while updating the row into UpdateError, which its
            # middleware answers with a 400 ("session deleted meanwhile"). A lost connection is
            # an outage, not that: drop the session as above. A row that really was deleted
            # (no rows updated) is not a connection error and still gets Django's answer.
            if not isinstance(exc.__context__, DATABASE_ERRORS):
                raise
            logger.warning("Session not saved, database unavailable: %s", exc.__context__)
            self.unavailable = True


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, sending no session cookie for a session that could not be saved."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        session = getattr(request, "session", None)
        if getattr(session, "unavailable", False):
            response.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        return response


def session_unavailable(request) -> bool:
    """Whether this request's session cannot be kept (the database is down).

    A view that would otherwise store something and redirect (the self-assessment's emergency
    exit) should answer in the same response instead when this is true.
    """
    session = getattr(request, "session", None)
    if session is None:
        return False
    session._get_session()  # load it now, if not yet loaded
    return bool(getattr(session, "unavailable", False))
