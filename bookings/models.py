"""What the clinic sells and who delivers it, when they work, and the appointments patients book.

Times are stored as aware UTC datetimes and shown in the clinic's zone (Europe/London). Working
hours are wall-clock times in that zone, so a 09:00 start stays 09:00 across the clock changes.
Money is ``Decimal`` in pounds with two decimal places, never a float.
"""

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Expression, F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .days import local_days_span, local_midnight

MONEY = {"max_digits": 8, "decimal_places": 2}
# The longest time one appointment can hold: the longest service (480 minutes) plus the longest
# buffer (240). A constraint holds every row to it, so a search for appointments overlapping a
# range may also bound ``start`` from below and range-scan the (practitioner, start) index
# instead of reading the whole history.
APPOINTMENT_MAX_SPAN = timedelta(minutes=480 + 240)

#: Words the journey's own pages use right under /book/. The time-picking page is
#: /book/<service-slug>/, so a service with one of these slugs could never be booked.
RESERVED_SERVICE_SLUGS = frozenset(
    {
        "details",
        "review",
        "confirmed",
        "manage",
        "feed",
        "waitlist",
        "cancellation-policy",
        "mine",
        "with",
        "taken",
    }
)


def service_slug_validate(value: str) -> None:
    if value.lower() in RESERVED_SERVICE_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the booking pages themselves; choose another slug."),
            code="reserved",
            params={"slug": value},
        )


class Service(models.Model):
    """A kind of appointment a patient can book, such as an initial consultation."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, validators=[service_slug_validate]
    )
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    price = models.DecimalField(
        _("price (£)"), **MONEY, validators=[MinValueValidator(Decimal("0.00"))]
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        _("buffer after (minutes)"),
        default=0,
        validators=[MaxValueValidator(240)],
        help_text=_("Time kept free after each appointment, for notes or cleaning."),
    )
    active = models.BooleanField(_("bookable"), default=True)
    requires_previous_visit = models.BooleanField(
        _("for patients already seen"),
        default=False,
        help_text=_(
            "Online, only an email address with an attended appointment may book this (a "
            "follow-up, for example). Staff can always book it."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="service_duration_positive"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="service_price_not_negative"),
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SERVICE_SLUGS)),
                name="service_slug_not_reserved",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)


def feed_token_generate() -> str:
    """A secret for a practitioner's calendar feed URL (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class PractitionerQuerySet(models.QuerySet):
    def bookable_for(self, service: Service) -> "PractitionerQuerySet":
        """Active practitioners who offer ``service``, in the order patients see them."""
        return self.filter(active=True, services=service).order_by("position", "name")


class Practitioner(models.Model):
    """A clinician patients can book."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="practitioners/", blank=True)
    qualifications = models.TextField(
        _("qualifications"),
        blank=True,
        help_text=_("One per line, e.g. “BSc (Hons) Physiotherapy”."),
    )
    registration_body = models.CharField(
        _("registration body"),
        max_length=120,
        blank=True,
        help_text=_("The regulator they are registered with, e.g. “HCPC”."),
    )
    registration_number = models.CharField(
        _("registration number"), max_length=40, blank=True, help_text=_("e.g. “PH123456”.")
    )
    services = models.ManyToManyField(
        Service, verbose_name=_("services offered"), related_name="practitioners"
    )
    active = models.BooleanField(_("taking bookings"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practitioner",
    )
    feed_token = models.CharField(
        _("calendar feed token"),
        max_length=64,
        unique=True,
        default=feed_token_generate,
        editable=False,
        help_text=_(
            "The secret in the practitioner's calendar feed address. Regenerate it to revoke "
            "every calendar subscribed to the old address."
        ),
    )

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bookings:practitioner", kwargs={"slug": self.slug})

    @property
    def qualification_list(self) -> list[str]:
        return [line.strip() for line in self.qualifications.splitlines() if line.strip()]

    def get_feed_url(self) -> str:
        return reverse("bookings:feed", kwargs={"token": self.feed_token})


class WorkingHours(models.Model):
    """One stretch of a practitioner's regular week, in the clinic's wall-clock time.

    A day with a lunch break is two rows.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("practitioner"),
        on_delete=models.CASCADE,
        related_name="working_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["practitioner", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="working_hours_start_before_end",
                violation_error_message=_("Working hours must end after they start."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="working_hours_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class ClinicClosure(models.Model):
    """A whole day the clinic is closed, added by staff (bank holidays come from ``holidays``).

    Patients are offered nothing on the day; staff are warned, not stopped, when they book it.
    """

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(
        _("reason"),
        max_length=200,
        help_text=_("Shown to staff and to patients, e.g. “Staff training”."),
    )

    class Meta:
        verbose_name = _("clinic closure")
        verbose_name_plural = _("clinic closures")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%a %d %b %Y}: {self.reason}"


class TimeOff(models.Model):
    """Time a practitioner (or, with no practitioner, the whole clinic) takes no bookings."""

    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("practitioner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_off",
        help_text=_("Leave empty to close the whole clinic."),
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="time_off_start_before_end",
                violation_error_message=_("Time off must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        who = self.practitioner or _("Whole clinic")
        return f"{who}: {timezone.localtime(self.start):%d %b %Y %H:%M}"


class DiscountCodeQuerySet(models.QuerySet):
    """Codes by status, worked out in the database from the switch, the dates and the uses."""

    def with_status(self, *, now: datetime | None = None) -> "DiscountCodeQuerySet":
        now = now or timezone.now()
        return self.annotate(
            status=models.Case(
                models.When(active=False, then=models.Value(DiscountCode.Status.OFF)),
                models.When(
                    valid_until__isnull=False,
                    valid_until__lte=now,
                    then=models.Value(DiscountCode.Status.EXPIRED),
                ),
                models.When(
                    max_uses__isnull=False,
                    times_used__gte=F("max_uses"),
                    then=models.Value(DiscountCode.Status.USED_UP),
                ),
                models.When(
                    valid_from__isnull=False,
                    valid_from__gt=now,
                    then=models.Value(DiscountCode.Status.SCHEDULED),
                ),
                default=models.Value(DiscountCode.Status.ACTIVE),
                output_field=models.CharField(),
            )
        )


#: Letters and digits only: what a patient reads on a leaflet and types on a phone.
DISCOUNT_CODE_PATTERN = r"^[A-Za-z0-9]+$"


class DiscountCode(models.Model):
    """A code a patient types for a percentage off, such as SAVE15.

    ``times_used`` only ever changes through the conditional update in the booking service, so
    ``max_uses`` holds under concurrent bookings; the check constraint is the last word.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SCHEDULED = "scheduled", _("Scheduled")
        EXPIRED = "expired", _("Expired")
        USED_UP = "used_up", _("Used up")
        OFF = "off", _("Switched off")

    code = models.CharField(
        _("code"),
        max_length=40,
        help_text=_("Letters and digits only, such as SAVE15. Patients may type it in any case."),
        validators=[
            RegexValidator(
                DISCOUNT_CODE_PATTERN,
                message=_("Use letters and digits only, with no spaces or symbols."),
                code="code_characters",
            )
        ],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    percent_off = models.DecimalField(
        _("percent off"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(
        _("maximum uses"), null=True, blank=True, help_text=_("Leave empty for unlimited.")
    )
    max_uses_per_email = models.PositiveIntegerField(
        _("maximum uses per email address"),
        null=True,
        blank=True,
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited."),
    )
    services = models.ManyToManyField(
        Service,
        verbose_name=_("services"),
        blank=True,
        related_name="discount_codes",
        help_text=_("Leave empty for every service."),
    )
    # One count everywhere: the live redemptions (a cancellation releases its use).
    times_used = models.PositiveIntegerField(_("uses"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DiscountCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("discount code")
        verbose_name_plural = _("discount codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="discount_code_unique_ci",
                violation_error_message=_("A discount code with this code already exists."),
            ),
            models.CheckConstraint(
                condition=Q(percent_off__gt=0, percent_off__lte=100),
                name="discount_code_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=DISCOUNT_CODE_PATTERN),
                name="discount_code_letters_digits",
                violation_error_message=_(
                    "Use letters and digits only, with no spaces or symbols."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(times_used__lte=F("max_uses")),
                name="discount_code_within_max_uses",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lt=F("valid_until")),
                name="discount_code_valid_range",
                violation_error_message=_("'Valid until' must be after 'valid from'."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def percent_display(self) -> str:
        """15 rather than 15.00; 12.5 stays 12.5."""
        return f"{self.percent_off.normalize():f}"


class AppointmentQuerySet(models.QuerySet):
    def active(self, *, now: datetime | Expression | None = None) -> "AppointmentQuerySet":
        """Appointments that hold their time at ``now`` (default: the present): everything but
        cancelled ones and lapsed holds.

        A hold whose time has run out gives the time back at once, whether or not the sweep
        (``bookings.services.holds``) has marked it expired yet; only ``held`` rows have a
        ``hold_expires_at`` (a check constraint says so). ``now`` may be an expression: the
        slots API passes a placeholder of its compiled query (``bookings.compiled``).
        """
        return self.exclude(status__in=Appointment.CANCELLED_STATUSES).exclude(
            hold_expires_at__lte=timezone.now() if now is None else now
        )

    def holds_lapsed(self, *, now: datetime) -> "AppointmentQuerySet":
        """Holds nobody confirmed in time: still ``held``, their ``hold_expires_at`` passed."""
        return self.filter(status=Appointment.Status.HELD, hold_expires_at__lte=now)

    def starting_on(self, first: date, last: date | None = None) -> "AppointmentQuerySet":
        """Appointments that start on the clinic's days ``first`` to ``last`` (or ``first``)."""
        start, end = local_days_span(first, last or first)
        return self.filter(start__gte=start, start__lt=end)

    def holding_time_between(self, start: datetime, end: datetime) -> "AppointmentQuerySet":
        """Appointments whose time, buffer included, overlaps ``[start, end)``.

        The lower bound on ``start`` (``APPOINTMENT_MAX_SPAN``) changes no result; it lets
        PostgreSQL read only the index range near ``[start, end)`` whatever the history.
        """
        return self.filter(
            start__lt=end, start__gt=start - APPOINTMENT_MAX_SPAN, blocked_until__gt=start
        )

    def booked_since(self, day: date) -> "AppointmentQuerySet":
        """Appointments made on or after the clinic's ``day``."""
        return self.filter(created_at__gte=local_midnight(day))

    def visible_to(self, user) -> "AppointmentQuerySet":
        """What ``user`` may see in the back office: everything, or their own diary only.

        Receptionists and managers hold ``view_all_appointments``; a practitioner sees the
        appointments of the practitioner record linked to their user, and nothing else.
        """
        if user.has_perm("bookings.view_all_appointments"):
            return self
        return self.filter(practitioner__user_id=user.pk) if user.pk else self.none()


#: The statuses of a booking held for the patient's email confirmation, standing or lapsed.
HOLD_STATUSES = ["held", "expired"]

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # No 0/O or 1/I, read out on the phone.


def reference_generate() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


class Appointment(models.Model):
    """A booked consultation.

    ``blocked_until`` is ``end`` plus the service's buffer at booking time: the time the
    practitioner's diary is held. On PostgreSQL an exclusion constraint
    (``appointment_no_overlap``: same practitioner, overlapping ``[start, blocked_until)``, not
    cancelled) makes a double booking impossible whatever the application does. It is created by
    migration ``0002`` with an operation that runs only on PostgreSQL, and deliberately not
    declared in ``Meta.constraints``: SQLite (the development default) cannot build it, and
    declaring it would make ``makemigrations`` want to drop or add it. On SQLite every
    transaction takes the database's write lock first (``transaction_mode`` in the settings),
    which serialises bookings (see ``bookings.services``).

    Price, discount and total are copied here when booking, so later edits to a service or a
    discount code change no past appointment.

    With ``BOOKING_REQUIRE_EMAIL_CONFIRMATION`` an online booking starts ``held`` until
    ``hold_expires_at``: it holds its time (the exclusion constraint counts it) while the patient
    is asked to click the emailed link, which makes it ``confirmed``; a hold nobody confirms
    becomes ``expired``, one of the statuses that give the time back (``bookings.services.holds``).
    """

    class Status(models.TextChoices):
        HELD = "held", _("Awaiting email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        ARRIVED = "arrived", _("Arrived")
        COMPLETED = "completed", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")
        CANCELLED_BY_PATIENT = "cancelled_by_patient", _("Cancelled by patient")
        CANCELLED_BY_CLINIC = "cancelled_by_clinic", _("Cancelled by clinic")
        EXPIRED = "expired", _("Not confirmed (hold lapsed)")

    #: Statuses that give the time back. The exclusion constraint's condition names them too
    #: (see ``bookings.db``): change both together, in a migration.
    CANCELLED_STATUSES = (Status.CANCELLED_BY_PATIENT, Status.CANCELLED_BY_CLINIC, Status.EXPIRED)

    class BookedVia(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")
        STAFF = "staff", _("Staff (phone or desk)")

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=reference_generate, editable=False
    )
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("practitioner"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    blocked_until = models.DateTimeField(
        _("diary held until"), help_text=_("The end plus the service's buffer.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    hold_expires_at = models.DateTimeField(
        _("held until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "An online booking awaiting the patient's email confirmation holds its time until "
            "then; unconfirmed, it is released (and keeps this as the time it lapsed)."
        ),
    )
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    patient_name = models.CharField(_("patient name"), max_length=150)
    patient_email = models.EmailField(_("patient email"), blank=True)
    patient_phone = models.CharField(_("patient phone"), max_length=30)
    notes = models.TextField(_("notes"), blank=True, max_length=1000)
    clinical_note = models.TextField(
        _("practitioner's note"),
        blank=True,
        max_length=5000,
        help_text=_("Health information: only practitioners and managers read or write it."),
    )
    price = models.DecimalField(_("price (£)"), **MONEY)
    discount_code = models.ForeignKey(
        DiscountCode,
        verbose_name=_("discount code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    discount_code_text = models.CharField(_("discount code as used"), max_length=40, blank=True)
    discount_percent = models.DecimalField(
        _("discount percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    discount_amount = models.DecimalField(_("discount (£)"), **MONEY, default=Decimal("0.00"))
    total = models.DecimalField(_("total (£)"), **MONEY)
    booked_via = models.CharField(_("booked via"), max_length=8, choices=BookedVia.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    privacy_notice_version = models.CharField(
        _("privacy notice accepted"), max_length=20, blank=True
    )
    assessment = models.ForeignKey(
        "assessments.Submission",
        verbose_name=_("self-assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        help_text=_("Answers the patient chose to share with their practitioner when booking."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_(
            "Raised by every move or cancellation: links in older emails stop working and "
            "each change gets its own notifications."
        ),
    )
    reminder_sent_at = models.DateTimeField(
        _("reminder sent"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the reminder went out, or when the booking or move confirmation was sent so "
            "close to the appointment that a reminder would only repeat it."
        ),
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["practitioner", "start"], name="appointment_diary_idx"),
            # The back office's lists, day counts and date drill-down range over start alone,
            # and the dashboard's bookings per week over created_at: with years of history
            # both must read an index range, not the table.
            models.Index(fields=["start"], name="appointment_start_idx"),
            models.Index(fields=["created_at"], name="appointment_created_idx"),
            models.Index(
                fields=["start"],
                condition=Q(status="confirmed", reminder_sent_at__isnull=True),
                name="appointment_reminder_due_idx",
            ),
            # The sweep that releases lapsed holds reads only the few rows awaiting confirmation.
            models.Index(
                fields=["hold_expires_at"],
                condition=Q(status="held"),
                name="appointment_hold_expiry_idx",
            ),
        ]
        permissions = [
            ("view_all_appointments", _("Can see every practitioner's appointments")),
            ("view_linked_assessment", _("Can read the self-assessment shared with a booking")),
            ("mark_attendance", _("Can mark arrivals and attendance")),
            ("write_clinical_note", _("Can read and write the practitioner's note")),
            ("add_own_time_off", _("Can add their own time off")),
            ("view_reports", _("Can see the managers' reports")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="appointment_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(end__lte=F("blocked_until")), name="appointment_end_within_block"
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__lte=F("start") + APPOINTMENT_MAX_SPAN),
                name="appointment_block_within_max_span",
            ),
            models.CheckConstraint(
                condition=Q(discount_amount__gte=0, discount_amount__lte=F("price")),
                name="appointment_discount_in_range",
            ),
            models.CheckConstraint(
                condition=Q(total=F("price") - F("discount_amount")),
                name="appointment_total_is_price_less_discount",
            ),
            # A hold always knows when it ends (an expired one, when it ended); nothing else has
            # a hold_expires_at.
            models.CheckConstraint(
                condition=Q(status__in=HOLD_STATUSES, hold_expires_at__isnull=False)
                | (~Q(status__in=HOLD_STATUSES) & Q(hold_expires_at__isnull=True)),
                name="appointment_hold_expiry_iff_hold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.patient_name}"

    def get_absolute_url(self) -> str:
        return reverse("bookings:confirmed", kwargs={"reference": self.reference})

    def get_status_display(self) -> str:
        """The status's label. Django's generated method rebuilds a dict of every choice, hashing
        each lazy label (a translation look-up apiece), on every call: the diary, the list and
        the dashboard call it once per appointment shown."""
        return self.status_display(self.status)

    @classmethod
    def status_display(cls, status: str) -> str:
        """The label of ``status``; a value this code has no label for shows as itself."""
        try:
            return cls.Status(status).label
        except ValueError:
            return status

    @property
    def is_cancelled(self) -> bool:
        return self.status in self.CANCELLED_STATUSES

    @property
    def is_held(self) -> bool:
        """Booked online, awaiting the patient's click on the emailed link."""
        return self.status == self.Status.HELD

    @property
    def patient_first_name(self) -> str:
        return self.patient_name.split()[0] if self.patient_name.split() else ""

    @property
    def discount_label(self) -> str:
        """'SAVE15, 15% off' for the discount line, or '' without a discount."""
        if not self.discount_code_text:
            return ""
        return f"{self.discount_code_text}, {self.discount_percent.normalize():f}% off"


class AppointmentStatusChange(models.Model):
    """One change to an appointment: its status, or a move (same status, new time).

    Written only by the services, in the transaction that makes the change: the audit trail of
    who did what and when.
    """

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        PATIENT = "patient", _("Patient (manage link)")
        SYSTEM = "system", _("System")

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Appointment.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Appointment.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("through"), max_length=10, choices=Source.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("appointment change")
        verbose_name_plural = _("appointment changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment_id}: {self.from_status or '-'} → {self.to_status}"


class WaitlistEntryQuerySet(models.QuerySet):
    def waiting(self, *, today) -> "WaitlistEntryQuerySet":
        return self.filter(status=WaitlistEntry.Status.WAITING, last_day__gte=today)


class WaitlistEntry(models.Model):
    """A patient who would take a time for ``service`` between two days if one frees up.

    When a matching time frees up (a cancellation, a move, time off removed), every waiting
    entry that matches is emailed in the order the entries were made, with a link to book it.
    The link books through ``appointment_book``, so the first to confirm gets the time.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        BOOKED = "booked", _("Booked from the waitlist")
        REMOVED = "removed", _("Removed")

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="waitlist"
    )
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("practitioner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waitlist",
        help_text=_("Empty: any practitioner."),
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waitlist_entries",
    )
    patient_name = models.CharField(_("patient name"), max_length=150)
    patient_email = models.EmailField(_("patient email"))
    patient_phone = models.CharField(_("patient phone"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("booked appointment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    privacy_notice_version = models.CharField(_("privacy notice accepted"), max_length=20)
    created_at = models.DateTimeField(_("joined"), default=timezone.now, db_index=True)

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")),
                name="waitlist_days_in_order",
                violation_error_message=_("The last day must not be before the first."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.patient_name} · {self.service} · {self.first_day:%d %b}-{self.last_day:%d %b}"
        )


class DiscountRedemption(models.Model):
    """One use of a discount code by one appointment.

    The unique ``(code, email, sequence)`` makes a per-email limit hold in the database: two
    concurrent bookings by the same address both computing "use number 1" cannot both commit.
    """

    code = models.ForeignKey(
        DiscountCode,
        verbose_name=_("discount code"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="redemption",
    )
    email = models.EmailField(_("email (lower case)"))
    sequence = models.PositiveIntegerField(_("use number for this email"))
    created_at = models.DateTimeField(_("redeemed"), auto_now_add=True)

    class Meta:
        verbose_name = _("discount redemption")
        verbose_name_plural = _("discount redemptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "email", "sequence"], name="redemption_unique_use_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.email}"
