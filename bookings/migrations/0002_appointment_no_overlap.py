"""No double booking on PostgreSQL: btree_gist and an exclusion constraint (see bookings.db)."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from bookings.db import PostgreSQLOnly, appointment_no_overlap_constraint


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        PostgreSQLOnly(BtreeGistExtension()),
        PostgreSQLOnly(
            migrations.AddConstraint(
                model_name="appointment",
                constraint=appointment_no_overlap_constraint(cancelled_statuses=("cancelled",)),
            )
        ),
    ]
