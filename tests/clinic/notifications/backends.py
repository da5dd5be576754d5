"""An email backend that fails on demand, for tests of the retry decisions."""

from django.core.mail.backends.locmem import EmailBackend

failures: list[BaseException] = []


class FlakyBackend(EmailBackend):
    """Raises the next exception in ``failures`` if there is one, else delivers to the outbox."""

    def send_messages(self, messages):
        if failures:
            raise failures.pop(0)
        return super().send_messages(messages)
