"""The slot catalogue: one query per slots request, and never an answer from before a change.

The copy of services, practitioners, working hours and closures each process keeps is checked
against a version that database triggers renew with every change (``bookings.catalogue``). What
is under test is that mechanism, so the changes below are made the ways that skip Django's
signals and ``save()`` as well as the ordinary ones: ``QuerySet.update``, ``bulk_create``, raw
SQL. After each, the API must answer exactly what the uncached path (``slot_list_available``,
which reads everything from the database) answers.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.test import Client

from bookings.models import ClinicClosure, Practitioner, Service, WorkingHours
from bookings.selectors import clinic_tz, slot_list_available

from .factories import AppointmentFactory, PractitionerFactory, ServiceFactory

MONDAY = date(2027, 1, 4)


@pytest.fixture
def api():
    return Client()


def api_slots(api, service="initial-consultation", days=5, **extra) -> list[dict]:
    response = api.get(
        "/api/slots/", {"service": service, "date": str(MONDAY), "days": days, **extra}
    )
    assert response.status_code == 200, response.content
    return response.json()["slots"]


def uncached_slots(service_slug="initial-consultation", days=5, practitioner=None) -> list[dict]:
    """What the API should say, worked out from the database alone."""
    tz = clinic_tz()
    return [
        {
            "start": slot.start.astimezone(tz).isoformat(),
            "end": slot.end.astimezone(tz).isoformat(),
            "practitioner": slot.practitioner.slug,
        }
        for slot in slot_list_available(
            service=Service.objects.get(slug=service_slug),
            first_day=MONDAY,
            last_day=MONDAY + timedelta(days=days - 1),
            practitioner=practitioner,
        )
    ]


def test_a_warm_catalogue_costs_one_query_per_request(api, clinic, django_assert_num_queries):
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.initial,
        start=datetime(2027, 1, 4, 10, 0, tzinfo=UTC),
    )
    api_slots(api)  # Loads this process's copy if an earlier test left another.
    # Busy time and the catalogue's version, together.
    with django_assert_num_queries(1):
        week = api_slots(api)
    with django_assert_num_queries(1):
        month = api_slots(api, days=31, practitioner="tom-wheeler")
    assert week == uncached_slots()
    assert month == uncached_slots(days=31, practitioner=clinic.tom)


def shorten_tom_by_update(clinic):
    WorkingHours.objects.filter(practitioner=clinic.tom, start=time(14)).update(end=time(15))


def shorten_tom_by_raw_sql(clinic):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bookings_workinghours SET start = %s WHERE practitioner_id = %s",
            [time(12), clinic.tom.pk],
        )


def drop_tom_from_the_service(clinic):
    clinic.tom.services.remove(clinic.initial)


def deactivate_tom(clinic):
    Practitioner.objects.filter(pk=clinic.tom.pk).update(active=False)


def put_amira_last(clinic):
    Practitioner.objects.filter(pk=clinic.amira.pk).update(position=5)


def lengthen_the_service(clinic):
    Service.objects.filter(pk=clinic.initial.pk).update(
        duration_minutes=90, buffer_after_minutes=15
    )


def close_the_clinic_on_tuesday(clinic):
    ClinicClosure.objects.create(date=MONDAY + timedelta(days=1), reason="Staff training")


def hire_a_practitioner(clinic):
    PractitionerFactory(
        slug="new-starter",
        services=[clinic.initial],
        hours=[(day, time(7, 30), time(8, 45)) for day in range(5)],
    )


def delete_toms_hours_in_bulk(clinic):
    WorkingHours.objects.filter(practitioner=clinic.tom).delete()
    WorkingHours.objects.bulk_create(
        [WorkingHours(practitioner=clinic.tom, weekday=0, start=time(16), end=time(17))]
    )


@pytest.mark.parametrize(
    "change",
    [
        shorten_tom_by_update,
        shorten_tom_by_raw_sql,
        drop_tom_from_the_service,
        deactivate_tom,
        put_amira_last,
        lengthen_the_service,
        close_the_clinic_on_tuesday,
        hire_a_practitioner,
        delete_toms_hours_in_bulk,
    ],
)
def test_every_change_shows_in_the_next_answer(api, clinic, change):
    before = api_slots(api)
    assert before == uncached_slots()

    change(clinic)

    after = api_slots(api)
    assert after == uncached_slots()
    assert after != before


def test_a_new_service_is_bookable_at_once_and_a_withdrawn_one_is_not(api, clinic):
    api_slots(api)  # This process's copy knows the two services of the clinic.
    massage = ServiceFactory(slug="sports-massage", duration_minutes=30)
    clinic.amira.services.add(massage)

    assert api_slots(api, service="sports-massage") == uncached_slots("sports-massage")

    Service.objects.filter(pk=massage.pk).update(active=False)
    response = api.get("/api/slots/", {"service": "sports-massage", "date": str(MONDAY)})
    assert response.status_code == 400
    assert "service" in response.json()["errors"]


def test_a_practitioner_who_starts_offering_a_service_can_be_asked_for(api, clinic):
    response = api.get(
        "/api/slots/",
        {"service": "initial-consultation", "date": str(MONDAY), "practitioner": "kim-lee"},
    )
    assert response.status_code == 400  # Kim does not work here yet; the copy is now warm.
    PractitionerFactory(slug="kim-lee", services=[clinic.initial])

    got = api_slots(api, practitioner="kim-lee")
    assert got and {slot["practitioner"] for slot in got} == {"kim-lee"}


class Rollback(Exception):
    pass


def test_a_change_rolled_back_leaves_no_trace(api, clinic):
    before = api_slots(api)
    with pytest.raises(Rollback), transaction.atomic():
        WorkingHours.objects.filter(practitioner=clinic.tom).delete()
        # Seen inside its own transaction, and copied by this process...
        assert api_slots(api) != before
        raise Rollback
    # ...but the copy of a state that never committed is not used again.
    assert api_slots(api) == before == uncached_slots()


def test_the_version_is_renewed_by_each_table_and_only_by_them(clinic):
    from bookings.catalogue import catalogue_version

    seen = [catalogue_version()]

    def renewed() -> bool:
        seen.append(catalogue_version())
        return seen[-1] != seen[-2]

    AppointmentFactory(
        practitioner=clinic.tom, service=clinic.initial, start=datetime(2027, 1, 5, 9, tzinfo=UTC)
    )
    assert not renewed()  # Busy time is read on every request, never cached.
    Service.objects.filter(pk=clinic.initial.pk).update(name="First visit")
    assert renewed()
    Practitioner.objects.filter(pk=clinic.tom.pk).update(name="Tom W.")
    assert renewed()
    clinic.tom.services.remove(clinic.follow_up)
    assert renewed()
    WorkingHours.objects.filter(practitioner=clinic.tom).update(end=time(16))
    assert renewed()
    ClinicClosure.objects.create(date=date(2027, 2, 1), reason="Closed")
    assert renewed()
    assert len(set(seen)) == len(seen) - 1  # Every renewal was a new value.
