"""Database pieces only PostgreSQL has: the exclusion constraint that forbids double bookings.

The development default is SQLite, which has no exclusion constraints, so the constraint is
added by a migration operation that runs only on PostgreSQL and leaves Django's model state
alone (``makemigrations`` never sees it, so it never asks to add or drop it).
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import migrations
from django.db.models import Func, Q

APPOINTMENT_NO_OVERLAP = "appointment_no_overlap"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def appointment_no_overlap_constraint() -> ExclusionConstraint:
    """One practitioner, one appointment at a time: their held ranges must not overlap.

    The range is ``[start, blocked_until)``, the appointment plus its service's buffer, half-open
    so one appointment may start the moment the previous one's buffer ends.
    """
    return ExclusionConstraint(
        name=APPOINTMENT_NO_OVERLAP,
        expressions=[
            ("practitioner", RangeOperators.EQUAL),
            (TsTzRange("start", "blocked_until", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=~Q(status="cancelled"),
    )


class PostgreSQLOnly(migrations.operations.base.Operation):
    """Run the wrapped operation's database work on PostgreSQL only; never touch model state."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, operation: migrations.operations.base.Operation) -> None:
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    def state_forwards(self, app_label, state) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"On PostgreSQL only: {self.operation.describe()}"
