from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from bookings.models import (
    Appointment,
    DiscountCode,
    Practitioner,
    Service,
    TimeOff,
    WorkingHours,
)
from bookings.pricing import quote_calculate

# Monday to Friday 09:00-13:00 and 14:00-17:00: the clinic's usual week.
WEEKDAY_HOURS = [(day, time(9), time(13)) for day in range(5)] + [
    (day, time(14), time(17)) for day in range(5)
]


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    duration_minutes = 45
    price = Decimal("60.00")
    buffer_after_minutes = 0


class PractitionerFactory(factory.django.DjangoModelFactory):
    """A practitioner offering ``services`` and working ``hours`` (weekday, start, end)."""

    class Meta:
        model = Practitioner
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Practitioner {n}")
    slug = factory.Sequence(lambda n: f"practitioner-{n}")

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        if not create:
            return
        hours = WEEKDAY_HOURS if extracted is None else extracted
        WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=self, weekday=day, start=start, end=end)
            for day, start, end in hours
        )


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    practitioner = factory.SubFactory(PractitionerFactory)
    start = factory.LazyFunction(timezone.now)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=8))
    reason = "Training"


class DiscountCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscountCode
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"CODE{n}")
    percent_off = Decimal("15")
    max_uses = None
    max_uses_per_email = 1

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment written straight to the table (tests of the service go through it)."""

    class Meta:
        model = Appointment

    practitioner = factory.SubFactory(PractitionerFactory)
    service = factory.SubFactory(ServiceFactory)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    end = factory.LazyAttribute(lambda o: o.start + o.service.duration)
    blocked_until = factory.LazyAttribute(lambda o: o.end + o.service.buffer_after)
    patient_name = "Pat Example"
    patient_email = factory.Sequence(lambda n: f"patient{n}@example.com")
    patient_phone = "07700 900123"
    price = factory.LazyAttribute(lambda o: o.service.price)
    discount_amount = Decimal("0.00")
    total = factory.LazyAttribute(lambda o: quote_calculate(price=o.price).total)
    booked_via = Appointment.BookedVia.WEB
    # Only a hold has an expiry (a check constraint): a standing one, or one that just lapsed.
    hold_expires_at = factory.LazyAttribute(
        lambda o: {
            Appointment.Status.HELD: timezone.now() + timedelta(minutes=30),
            Appointment.Status.EXPIRED: timezone.now(),
        }.get(getattr(o, "status", None))
    )
