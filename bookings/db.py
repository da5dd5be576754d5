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


def appointment_no_overlap_constraint(
    *, cancelled_statuses: tuple[str, ...]
) -> ExclusionConstraint:
    """One practitioner, one appointment at a time: their held ranges must not overlap.

    The range is ``[start, blocked_until)``, the appointment plus its service's buffer, half-open
    so one appointment may start the moment the previous one's buffer ends. Appointments in
    ``cancelled_statuses`` hold no time. Migrations pass the statuses of their own day, so the
    history stays true when the statuses change (0002: ``cancelled``; 0003: by patient or clinic).
    """
    return ExclusionConstraint(
        name=APPOINTMENT_NO_OVERLAP,
        expressions=[
            ("practitioner", RangeOperators.EQUAL),
            (TsTzRange("start", "blocked_until", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=~Q(status__in=list(cancelled_statuses)),
    )


class PostgreSQLOnly(migrations.operations.base.Operation):
    """Run the wrapped operation's database work on PostgreSQL only; never touch model state.

    With ``undo=True`` the operation is run backwards when migrating forwards: that is how a
    constraint the model state does not know about is dropped (``RemoveConstraint`` would look
    for it in the state), and migrating back creates it again.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, operation: migrations.operations.base.Operation, undo: bool = False) -> None:
        self.operation = operation
        self.undo = undo

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {"undo": self.undo})

    def state_forwards(self, app_label, state) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            run = (
                self.operation.database_backwards if self.undo else self.operation.database_forwards
            )
            run(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            run = (
                self.operation.database_forwards if self.undo else self.operation.database_backwards
            )
            run(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        prefix = "On PostgreSQL only, undo" if self.undo else "On PostgreSQL only"
        return f"{prefix}: {self.operation.describe()}"
