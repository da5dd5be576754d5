"""The slot catalogue's version: a number the database changes whenever a service, a
practitioner, the services they offer, their working hours or a clinic closure changes
(``bookings.catalogue``).

A trigger on each of those tables sets a new version in the same statement, so it commits or
rolls back with the change. Versions never repeat (a sequence on PostgreSQL, random on SQLite),
so a version seen again means nothing changed since, even after a rolled-back change. The table
is not a model: ``flush`` (between tests) leaves it alone, and its triggers see the tables
emptied.
"""

from django.db import migrations

TABLES = (
    "bookings_service",
    "bookings_practitioner",
    "bookings_practitioner_services",
    "bookings_workinghours",
    "bookings_clinicclosure",
)

POSTGRESQL = [
    "CREATE SEQUENCE bookings_catalogue_version_seq",
    "CREATE TABLE bookings_catalogue_version ("
    " id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)",
    "INSERT INTO bookings_catalogue_version VALUES (1, nextval('bookings_catalogue_version_seq'))",
    """
    CREATE FUNCTION bookings_catalogue_version_renew() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE bookings_catalogue_version SET version = nextval('bookings_catalogue_version_seq');
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER catalogue_version_renew AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
        f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bookings_catalogue_version_renew()"
        for table in TABLES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER catalogue_version_renew ON {table}" for table in TABLES),
    "DROP FUNCTION bookings_catalogue_version_renew()",
    "DROP TABLE bookings_catalogue_version",
    "DROP SEQUENCE bookings_catalogue_version_seq",
]

SQLITE = [
    "CREATE TABLE bookings_catalogue_version ("
    " id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)",
    "INSERT INTO bookings_catalogue_version VALUES (1, random())",
    *(
        # Names from the constants above, nothing from outside.
        f"CREATE TRIGGER catalogue_version_{table}_{event.lower()} AFTER {event} ON {table}"  # noqa: S608
        " BEGIN UPDATE bookings_catalogue_version SET version = random(); END"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
SQLITE_REVERSE = [
    *(
        f"DROP TRIGGER catalogue_version_{table}_{event.lower()}"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    "DROP TABLE bookings_catalogue_version",
]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor) -> None:
        # Other databases get no version: the catalogue then reloads on every request.
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("bookings", "0011_appointment_email_confirmation_hold")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
