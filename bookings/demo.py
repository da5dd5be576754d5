"""Demo services, practitioners, hours and the SAVE15 code for ``seed_demo`` (idempotent)."""

from datetime import time
from decimal import Decimal

from .models import DiscountCode, Practitioner, Service, WorkingHours

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
    },
]

WEEKDAYS = range(5)
PRACTITIONERS = [
    {
        "slug": "amira-shah",
        "name": "Amira Shah",
        "bio": "Chartered physiotherapist specialising in lower back pain.",
        "saturday": True,
    },
    {
        "slug": "tom-wheeler",
        "name": "Tom Wheeler",
        "bio": "Sports physiotherapist with a special interest in hamstring problems.",
        "saturday": False,
    },
]


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
