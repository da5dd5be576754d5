"""The diary work (issue 6): status changes with an audit trail, the split cancelled status,
reminders, manage-link versions, calendar feed tokens, the waitlist and reserved service slugs.

The old single ``cancelled`` status becomes ``cancelled_by_clinic``: until now only staff could
cancel (the admin action), and recording those as the patient's doing could later count against
a patient (late-cancellation policies), so the clinic is the cautious reading. The exclusion
constraint names the cancelled statuses, so it is dropped before the data changes and created
again with the new names (PostgreSQL only; see ``bookings.db``).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import bookings.models
from bookings.db import PostgreSQLOnly, appointment_no_overlap_constraint

RESERVED = ["confirmed", "details", "feed", "manage", "review", "waitlist"]


def cancelled_split(apps, schema_editor):
    Appointment = apps.get_model("bookings", "Appointment")
    Appointment.objects.filter(status="cancelled").update(status="cancelled_by_clinic")


def cancelled_join(apps, schema_editor):
    Appointment = apps.get_model("bookings", "Appointment")
    Appointment.objects.filter(status__in=["cancelled_by_clinic", "cancelled_by_patient"]).update(
        status="cancelled"
    )


def feed_tokens_fill(apps, schema_editor):
    Practitioner = apps.get_model("bookings", "Practitioner")
    for practitioner in Practitioner.objects.filter(feed_token__isnull=True):
        practitioner.feed_token = bookings.models.feed_token_generate()
        practitioner.save(update_fields=["feed_token"])


def reserved_slugs_rename(apps, schema_editor):
    """A service already using a reserved slug could never be booked; give it a usable one."""
    Service = apps.get_model("bookings", "Service")
    for service in Service.objects.filter(slug__in=RESERVED):
        service.slug = f"{service.slug}-appointment"
        service.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("bookings", "0002_appointment_no_overlap"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AppointmentStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("confirmed", "Confirmed"),
                            ("completed", "Attended"),
                            ("no_show", "Did not attend"),
                            ("cancelled_by_patient", "Cancelled by patient"),
                            ("cancelled_by_clinic", "Cancelled by clinic"),
                        ],
                        max_length=20,
                        verbose_name="from",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("confirmed", "Confirmed"),
                            ("completed", "Attended"),
                            ("no_show", "Did not attend"),
                            ("cancelled_by_patient", "Cancelled by patient"),
                            ("cancelled_by_clinic", "Cancelled by clinic"),
                        ],
                        max_length=20,
                        verbose_name="to",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("staff", "Staff"),
                            ("patient", "Patient (manage link)"),
                            ("system", "System"),
                        ],
                        max_length=10,
                        verbose_name="through",
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=2000, verbose_name="note")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
            ],
            options={
                "verbose_name": "appointment change",
                "verbose_name_plural": "appointment changes",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="WaitlistEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_day", models.DateField(verbose_name="from")),
                ("last_day", models.DateField(verbose_name="until")),
                ("patient_name", models.CharField(max_length=150, verbose_name="patient name")),
                ("patient_email", models.EmailField(max_length=254, verbose_name="patient email")),
                ("patient_phone", models.CharField(max_length=30, verbose_name="patient phone")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting"),
                            ("booked", "Booked from the waitlist"),
                            ("removed", "Removed"),
                        ],
                        default="waiting",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "privacy_notice_version",
                    models.CharField(max_length=20, verbose_name="privacy notice accepted"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="joined"
                    ),
                ),
            ],
            options={
                "verbose_name": "waitlist entry",
                "verbose_name_plural": "waitlist",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AlterModelOptions(
            name="appointment",
            options={
                "ordering": ["start"],
                "permissions": [
                    ("view_all_appointments", "Can see every practitioner's appointments"),
                    (
                        "view_linked_assessment",
                        "Can read the self-assessment shared with a booking",
                    ),
                ],
                "verbose_name": "appointment",
                "verbose_name_plural": "appointments",
            },
        ),
        migrations.AddField(
            model_name="appointment",
            name="assessment",
            field=models.ForeignKey(
                blank=True,
                help_text="Answers the patient chose to share with their practitioner when booking.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="appointments",
                to="assessments.submission",
                verbose_name="self-assessment",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="reminder_sent_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the reminder went out, or when the booking or move confirmation was sent so close to the appointment that a reminder would only repeat it.",
                null=True,
                verbose_name="reminder sent",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="version",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Raised by every move or cancellation: links in older emails stop working and each change gets its own notifications.",
                verbose_name="version",
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="feed_token",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="calendar feed token"
            ),
        ),
        migrations.RunPython(feed_tokens_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="practitioner",
            name="feed_token",
            field=models.CharField(
                default=bookings.models.feed_token_generate,
                editable=False,
                help_text="The secret in the practitioner's calendar feed address. Regenerate it to revoke every calendar subscribed to the old address.",
                max_length=64,
                unique=True,
                verbose_name="calendar feed token",
            ),
        ),
        PostgreSQLOnly(
            migrations.AddConstraint(
                model_name="appointment",
                constraint=appointment_no_overlap_constraint(cancelled_statuses=("cancelled",)),
            ),
            undo=True,
        ),
        migrations.AlterField(
            model_name="appointment",
            name="status",
            field=models.CharField(
                choices=[
                    ("confirmed", "Confirmed"),
                    ("completed", "Attended"),
                    ("no_show", "Did not attend"),
                    ("cancelled_by_patient", "Cancelled by patient"),
                    ("cancelled_by_clinic", "Cancelled by clinic"),
                ],
                default="confirmed",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(cancelled_split, cancelled_join),
        PostgreSQLOnly(
            migrations.AddConstraint(
                model_name="appointment",
                constraint=appointment_no_overlap_constraint(
                    cancelled_statuses=("cancelled_by_patient", "cancelled_by_clinic")
                ),
            )
        ),
        migrations.RunPython(reserved_slugs_rename, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="service",
            name="slug",
            field=models.SlugField(
                max_length=120,
                unique=True,
                validators=[bookings.models.service_slug_validate],
                verbose_name="slug",
            ),
        ),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(
                condition=models.Q(("reminder_sent_at__isnull", True), ("status", "confirmed")),
                fields=["start"],
                name="appointment_reminder_due_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="service",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("slug__in", ["confirmed", "details", "feed", "manage", "review", "waitlist"]),
                    _negated=True,
                ),
                name="service_slug_not_reserved",
            ),
        ),
        migrations.AddField(
            model_name="appointmentstatuschange",
            name="appointment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="status_changes",
                to="bookings.appointment",
                verbose_name="appointment",
            ),
        ),
        migrations.AddField(
            model_name="appointmentstatuschange",
            name="changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="waitlistentry",
            name="appointment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="bookings.appointment",
                verbose_name="booked appointment",
            ),
        ),
        migrations.AddField(
            model_name="waitlistentry",
            name="practitioner",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: any practitioner.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="waitlist",
                to="bookings.practitioner",
                verbose_name="practitioner",
            ),
        ),
        migrations.AddField(
            model_name="waitlistentry",
            name="service",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="waitlist",
                to="bookings.service",
                verbose_name="service",
            ),
        ),
        migrations.AddConstraint(
            model_name="waitlistentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("first_day__lte", models.F("last_day"))),
                name="waitlist_days_in_order",
                violation_error_message="The last day must not be before the first.",
            ),
        ),
    ]
