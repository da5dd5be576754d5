"""Queries built by the ORM once per process, then run again and again with new values.

Building and compiling a queryset costs far more than running it: about 0.2 ms of Python per
``filter()`` chain against about 0.05 ms for PostgreSQL to answer a small indexed query on the
same machine. The slots API runs the same busy-time query on every request, so it keeps the SQL
the ORM wrote and only swaps the values. The rules stay in the query sets that speak the domain
(``Appointment.objects.active()``, ``holding_time_between``): the SQL is whatever they compile
to, with :class:`QueryParam` placeholders where the values go.

Freezing SQL is only safe if nothing else in it changes between runs. A rule that passed the
current time as a value (``timezone.now()`` rather than the database's ``Now()``) would be
frozen at its first run; so would any date. :class:`CompiledQuery` therefore checks that every
value in the SQL other than its placeholders is a constant of the code (text, a number, a
duration) and, if one is not, builds the queryset afresh on every run instead: slower, never
stale. ``tests/bookings/test_compiled.py`` fails if the slot queries stop being compiled once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateField,
    DateTimeField,
    Expression,
    Field,
    Func,
    QuerySet,
    TextField,
)

logger = logging.getLogger(__name__)

# Values that may stay frozen in compiled SQL: they come from the code, not from the moment.
_CONSTANT_TYPES = (str, int, float, bool, Decimal, timedelta, type(None))
# Placeholders' fields by the type of the value they stand for (bool before int: a subclass).
_FIELDS: list[tuple[type, Field]] = [
    (datetime, DateTimeField()),
    (date, DateField()),
    (bool, BooleanField()),
    (int, BigIntegerField()),
    (str, TextField()),
]


class QueryParam(Expression):
    """A named value of a :class:`CompiledQuery`, filled in on each run.

    ``output_field`` says how the value is adapted for the database (a ``DateTimeField`` for
    an aware datetime, an ``IntegerField`` for a key), exactly as a lookup would adapt it.
    """

    def __init__(self, name: str, output_field: Field, item: int | None = None) -> None:
        super().__init__(output_field=output_field)
        self.name = name
        self.item = item  # For a list of values (``__in``): which of them.

    def __repr__(self) -> str:
        return (
            f"QueryParam({self.name!r})"
            if self.item is None
            else f"QueryParam({self.name!r}[{self.item}])"
        )

    def as_sql(self, compiler, connection) -> tuple[str, list[Any]]:
        return "%s", [self]


class EpochMicros(Func):
    """An instant as whole microseconds since the Unix epoch (``bookings.availability.micros``).

    The slot core counts in these; reading them from the database spares turning each row's
    timestamps into aware datetimes and back. Exact: on PostgreSQL through ``date_part``'s
    double-precision seconds, whose error stays under half a microsecond for any instant
    before about 2100, so rounding restores the microsecond (``EXTRACT`` would give an exact
    numeric, but costs PostgreSQL three times as long: 1 ms more for a month of ten diaries);
    SQLite stores ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in UTC, read as whole seconds plus digits.
    """

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="round(date_part('epoch', %(expressions)s) * 1000000)::bigint",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        # Whole seconds from strftime, then the six digits after the point, if any.
        template = (
            "(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s, 21, 6) AS INTEGER))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def _field_for(value: Any) -> Field:
    """How a value of this type is adapted for the database, as a lookup on such a field would."""
    for kind, field in _FIELDS:
        if isinstance(value, kind):
            return field
    raise TypeError(f"no placeholder for a {type(value).__name__}: {value!r}")


class CompiledQuery:
    """Rows of a queryset that is built and compiled once per database and shape, then rerun.

    ``build`` makes the queryset from keyword values. The first run of each shape calls it with
    a :class:`QueryParam` in place of each value (the ORM accepts expressions wherever it takes
    values) and keeps the SQL; every run then fills in the values. The names and types of the
    values are the shape; a value may be a list (for ``__in``), and then its length is part of
    the shape too, with one placeholder per item.

    ``wrap`` is SQL around the queryset's, ``{query}`` standing for it: one round trip can then
    bring something the ORM cannot union in, such as ``bookings.catalogue``'s version.
    """

    def __init__(self, build: Callable[..., QuerySet], *, wrap: str = "{query}") -> None:
        self._build = build
        self._wrap = wrap
        self._compiled: dict[
            Hashable, tuple[str, list[Any], list[tuple[int, QueryParam]]] | None
        ] = {}

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple]:
        connection = connections[using]
        key = self._key(using, connection.vendor, values)
        if key not in self._compiled:
            self._compiled[key] = self._compile(values, using)
        compiled = self._compiled[key]
        if compiled is None:
            sql, bound = self._build(**values).using(using).query.sql_with_params()
        else:
            sql, template, slots = compiled
            bound = list(template)
            for index, param in slots:
                value = values[param.name]
                bound[index] = param.output_field.get_db_prep_value(
                    value if param.item is None else value[param.item], connection
                )
        with connection.cursor() as cursor:
            cursor.execute(self._wrap.format(query=sql), bound)
            return cursor.fetchall()

    def is_compiled(self, *, using: str = "default", **values: Any) -> bool:
        """Whether runs with values like these reuse compiled SQL (false before the first)."""
        key = self._key(using, connections[using].vendor, values)
        return self._compiled.get(key) is not None

    @staticmethod
    def _key(using: str, vendor: str, values: dict[str, Any]) -> Hashable:
        return (
            using,
            vendor,
            tuple(
                (name, len(value), type(value[0]) if value else None)
                if isinstance(value, list)
                else (name, None, type(value))
                for name, value in sorted(values.items())
            ),
        )

    def _compile(self, values: dict[str, Any], using: str):
        params = {
            name: [
                QueryParam(name, _field_for(element), item=item)
                for item, element in enumerate(value)
            ]
            if isinstance(value, list)
            else QueryParam(name, _field_for(value))
            for name, value in values.items()
        }
        sql, template = self._build(**params).using(using).query.sql_with_params()
        template = list(template)
        slots = [
            (index, value) for index, value in enumerate(template) if isinstance(value, QueryParam)
        ]
        changing = [
            value for value in template if not isinstance(value, (QueryParam, *_CONSTANT_TYPES))
        ]
        if changing:
            logger.warning(
                "%s: its SQL holds values that may change between runs (%r), so the queryset "
                "is built on every run instead. Use a database expression such as Now().",
                self._build.__qualname__,
                changing,
            )
            return None
        return sql, template, slots
