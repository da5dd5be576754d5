from clinic.sentry import sentry_event_scrub


def test_error_reports_carry_nothing_the_patient_typed():
    event = {
        "request": {
            "url": "https://www.example.co.uk/api/bookings/",
            "method": "POST",
            "data": {"name": "Ann", "email": "ann@example.com", "e1": "yes"},
            "query_string": "email=ann@example.com",
            "cookies": {"sessionid": "abc"},
        },
        "exception": {"values": [{"type": "OverflowError"}]},
    }
    scrubbed = sentry_event_scrub(event, {})
    assert scrubbed["request"] == {
        "url": "https://www.example.co.uk/api/bookings/",
        "method": "POST",
    }
    assert scrubbed["exception"] == event["exception"]
