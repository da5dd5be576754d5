"""Demo services, practitioners, hours, the SAVE15 code and a week of appointments for
``seed_demo`` (idempotent)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from clinic.patients.services import patient_match_or_create

from .models import Appointment, DiscountCode, Practitioner, Service, WorkingHours
from .pricing import quote_calculate
from .selectors import clinic_tz

SERVICES = [
    {
        "slug": "initial-consultation",
        "name": "Initial consultation",
        "description": "A full assessment of your back and hamstrings, a diagnosis in plain "
        "words and a plan you can start straight away.",
        "duration_minutes": 45,
        "price": Decimal("60.00"),
        "position": 1,
    },
    {
        "slug": "follow-up",
        "name": "Follow-up",
        "description": "Treatment and a review of your exercises, for patients we have seen.",
        "duration_minutes": 30,
        "price": Decimal("45.00"),
        "position": 2,
        "requires_previous_visit": True,
    },
]

WEEKDAYS = range(5)
PRACTITIONERS = [
    {
        "slug": "amira-shah",
        "name": "Amira Shah",
        "bio": "Chartered physiotherapist specialising in lower back pain.",
        "qualifications": "BSc (Hons) Physiotherapy\nMSc Musculoskeletal Physiotherapy",
        "registration_body": "HCPC",
        "registration_number": "PH-DEMO-101",
        "saturday": True,
    },
    {
        "slug": "tom-wheeler",
        "name": "Tom Wheeler",
        "bio": "Sports physiotherapist with a special interest in hamstring problems.",
        "qualifications": "BSc (Hons) Sport Rehabilitation\nPostgraduate Certificate in Sports "
        "Physiotherapy",
        "registration_body": "HCPC",
        "registration_number": "PH-DEMO-102",
        "saturday": False,
    },
]


def _profile_fill(practitioner: Practitioner, entry: dict) -> None:
    """Qualifications and registration for the practitioner pages, if not filled in yet."""
    if practitioner.registration_body:
        return
    for field in ("qualifications", "registration_body", "registration_number"):
        setattr(practitioner, field, entry[field])
    practitioner.save(update_fields=["qualifications", "registration_body", "registration_number"])


def seed(*, staff_user, stdout) -> None:
    services = []
    created = 0
    for position, entry in enumerate(SERVICES):
        service, was_created = Service.objects.get_or_create(
            slug=entry["slug"], defaults={**entry, "position": position}
        )
        services.append(service)
        created += was_created
    stdout.write(f"Services: {created} created, {len(SERVICES) - created} already there.")

    created = 0
    for position, entry in enumerate(PRACTITIONERS):
        practitioner, was_created = Practitioner.objects.get_or_create(
            slug=entry["slug"],
            defaults={"name": entry["name"], "bio": entry["bio"], "position": position},
        )
        _profile_fill(practitioner, entry)
        if not was_created:
            continue
        created += 1
        practitioner.services.set(services)
        hours = []
        for weekday in WEEKDAYS:
            hours.append(
                WorkingHours(
                    practitioner=practitioner, weekday=weekday, start=time(9), end=time(13)
                )
            )
            hours.append(
                WorkingHours(
                    practitioner=practitioner, weekday=weekday, start=time(14), end=time(17)
                )
            )
        if entry["saturday"]:
            hours.append(
                WorkingHours(practitioner=practitioner, weekday=5, start=time(9), end=time(13))
            )
        WorkingHours.objects.bulk_create(hours)
    stdout.write(f"Practitioners: {created} created, {len(PRACTITIONERS) - created} already there.")

    code, was_created = DiscountCode.objects.get_or_create(
        code__iexact="SAVE15",
        defaults={
            "code": "SAVE15",
            "description": "15% off the initial consultation, once per email address.",
            "percent_off": Decimal("15"),
            "max_uses": None,
            "max_uses_per_email": 1,
        },
    )
    if was_created:
        code.services.set([s for s in services if s.slug == "initial-consultation"])
    stdout.write(f"Discount code SAVE15: {'created' if was_created else 'already there'}.")

    _seed_week(stdout=stdout)


# (weekday, practitioner slug, start, service slug, patient name, with SAVE15)
WEEK = [
    (0, "amira-shah", time(9, 0), "initial-consultation", "Priya Patel", True),
    (0, "amira-shah", time(10, 30), "follow-up", "George Hughes", False),
    (0, "tom-wheeler", time(14, 0), "initial-consultation", "Sarah O'Neill", False),
    (1, "tom-wheeler", time(9, 30), "follow-up", "Daniel Evans", False),
    (1, "amira-shah", time(11, 0), "initial-consultation", "Fatima Begum", True),
    (1, "amira-shah", time(15, 15), "follow-up", "Chris Walker", False),
    (2, "amira-shah", time(9, 0), "follow-up", "Hannah Scott", False),
    (2, "tom-wheeler", time(10, 0), "initial-consultation", "Mohammed Ali", True),
    (2, "tom-wheeler", time(14, 30), "follow-up", "Emma Roberts", False),
    (3, "amira-shah", time(9, 45), "initial-consultation", "Liam Murphy", False),
    (3, "tom-wheeler", time(11, 0), "follow-up", "Olivia Brown", False),
    (3, "amira-shah", time(16, 0), "follow-up", "Jack Thompson", False),
    (4, "tom-wheeler", time(9, 0), "initial-consultation", "Grace Kelly", True),
    (4, "amira-shah", time(12, 0), "follow-up", "Noah Green", False),
    (4, "tom-wheeler", time(15, 0), "follow-up", "Ava Wright", False),
]


def _seed_week(*, stdout) -> None:
    """Appointments in the current week, so the diary has something to show.

    Written straight to the table (no emails, and days already past are allowed); references
    carry the week's Monday, so running again the same week changes nothing and a later week
    gets its own. Earlier times this week are marked attended (one did not attend). A time that
    clashes with a real booking is skipped.
    """
    tz = clinic_tz()
    now = timezone.now()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    practitioners = {p.slug: p for p in Practitioner.objects.all()}
    services = {s.slug: s for s in Service.objects.all()}
    save15 = DiscountCode.objects.filter(code__iexact="SAVE15").first()
    created = 0
    for index, (weekday, who, at, service_slug, name, discounted) in enumerate(WEEK):
        practitioner, service = practitioners.get(who), services.get(service_slug)
        if practitioner is None or service is None:
            continue
        reference = f"D{monday:%y%m%d}{index:02d}"
        start = datetime.combine(monday + timedelta(days=weekday), at, tzinfo=tz)
        end = start + service.duration
        blocked_until = end + service.buffer_after
        clash = (
            Appointment.objects.active()
            .filter(practitioner=practitioner, start__lt=blocked_until, blocked_until__gt=start)
            .exclude(reference=reference)
            .exists()
        )
        if clash or Appointment.objects.filter(reference=reference).exists():
            continue
        percent = save15.percent_off if discounted and save15 else None
        quote = quote_calculate(price=service.price, percent_off=percent)
        if end > now:
            status = Appointment.Status.CONFIRMED
        elif index == 3:
            status = Appointment.Status.NO_SHOW
        else:
            status = Appointment.Status.COMPLETED
        first, last = name.lower().replace("'", "").split(" ", 1)
        Appointment.objects.create(
            reference=reference,
            practitioner=practitioner,
            service=service,
            start=start,
            end=end,
            blocked_until=blocked_until,
            status=status,
            patient=patient_match_or_create(
                name=name, email=f"{first}.{last}@example.com", phone=f"07700 900{index:03d}"
            ),
            patient_name=name,
            patient_email=f"{first}.{last}@example.com",
            patient_phone=f"07700 900{index:03d}",
            price=quote.price,
            discount_code_text=save15.code if percent else "",
            discount_percent=percent,
            discount_amount=quote.discount,
            total=quote.total,
            booked_via=Appointment.BookedVia.WEB if index % 3 else Appointment.BookedVia.STAFF,
            # Nothing to remind about for a demo: the patients are not real.
            reminder_sent_at=now,
        )
        created += 1
    stdout.write(f"Demo appointments this week: {created} created.")
