"""Holds awaiting email confirmation (``BOOKING_REQUIRE_EMAIL_CONFIRMATION``, issue 12).

Two statuses: ``held`` (booked online, awaiting the click on the emailed link; it holds its
time) and ``expired`` (nobody clicked in time; it gives the time back). ``hold_expires_at`` is
set exactly on a hold, standing or lapsed (a check constraint). The exclusion constraint names
the statuses that give the time back, so it is dropped and created again with ``expired``
among them (PostgreSQL only; see ``bookings.db``). Migrating back turns any hold, lapsed or
not, into a cancellation by the clinic: the old statuses have no word for it.
"""

from django.db import migrations, models

from bookings.db import PostgreSQLOnly, appointment_no_overlap_constraint

STATUSES = [
    ("held", "Awaiting email confirmation"),
    ("confirmed", "Confirmed"),
    ("arrived", "Arrived"),
    ("completed", "Attended"),
    ("no_show", "Did not attend"),
    ("cancelled_by_patient", "Cancelled by patient"),
    ("cancelled_by_clinic", "Cancelled by clinic"),
    ("expired", "Not confirmed (hold lapsed)"),
]


def holds_forget(apps, schema_editor):
    Appointment = apps.get_model("bookings", "Appointment")
    Appointment.objects.filter(status__in=["held", "expired"]).update(
        status="cancelled_by_clinic", hold_expires_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0010_practitioner_profile_service_previous_visit"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="hold_expires_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="An online booking awaiting the patient's email confirmation holds its time until then; unconfirmed, it is released (and keeps this as the time it lapsed).",
                null=True,
                verbose_name="held until",
            ),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="status",
            field=models.CharField(
                choices=STATUSES, default="confirmed", max_length=20, verbose_name="status"
            ),
        ),
        migrations.AlterField(
            model_name="appointmentstatuschange",
            name="from_status",
            field=models.CharField(
                blank=True, choices=STATUSES, max_length=20, verbose_name="from"
            ),
        ),
        migrations.AlterField(
            model_name="appointmentstatuschange",
            name="to_status",
            field=models.CharField(choices=STATUSES, max_length=20, verbose_name="to"),
        ),
        PostgreSQLOnly(
            migrations.AddConstraint(
                model_name="appointment",
                constraint=appointment_no_overlap_constraint(
                    cancelled_statuses=("cancelled_by_patient", "cancelled_by_clinic")
                ),
            ),
            undo=True,
        ),
        migrations.RunPython(migrations.RunPython.noop, holds_forget),
        PostgreSQLOnly(
            migrations.AddConstraint(
                model_name="appointment",
                constraint=appointment_no_overlap_constraint(
                    cancelled_statuses=("cancelled_by_patient", "cancelled_by_clinic", "expired")
                ),
            )
        ),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(
                condition=models.Q(("status", "held")),
                fields=["hold_expires_at"],
                name="appointment_hold_expiry_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("hold_expires_at__isnull", False), ("status__in", ["held", "expired"])
                    ),
                    models.Q(
                        models.Q(("status__in", ["held", "expired"]), _negated=True),
                        ("hold_expires_at__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="appointment_hold_expiry_iff_hold",
            ),
        ),
    ]
