"""The contact page over HTTP: the journey, bad input, the rate limit and the admin."""

import pytest
from django.core import mail
from django.urls import resolve, reverse

from clinic.contact.models import ContactMessage
from clinic.notifications.models import Notification

from .factories import ContactMessageFactory

pytestmark = pytest.mark.django_db

URL = "/contact/"


def post_data(**overrides) -> dict:
    return {
        "name": "Ann Patient",
        "email": "ann@example.com",
        "phone": "",
        "preferred_contact": "email",
        "message": "Can I book for my hamstrings?",
        "privacy_acknowledged": "on",
        "website": "",
        **overrides,
    }


def test_urls_round_trip():
    assert reverse("contact:form") == URL
    assert resolve(URL).view_name == "contact:form"
    assert reverse("contact:thanks") == "/contact/thanks/"
    assert resolve("/contact/thanks/").view_name == "contact:thanks"


def test_the_form_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for field in ["name", "email", "phone", "message", "privacy_acknowledged"]:
        assert f'for="id_{field}"' in html
    assert 'autocomplete="email"' in html
    assert 'maxlength="3000"' in html
    assert 'aria-hidden="true"' in html  # the honeypot is hidden from people


def test_posting_saves_queues_and_redirects(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, post_data())
    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    contact_message = ContactMessage.objects.get()
    assert contact_message.name == "Ann Patient"
    assert Notification.objects.filter(status="sent").count() == 2
    assert len(mail.outbox) == 2

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()


def test_errors_are_summarised_and_tied_to_their_fields(client):
    response = client.post(URL, post_data(email="nope", privacy_acknowledged=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert "<title>Error: Contact us" in html
    assert 'aria-invalid="true"' in html
    assert "Enter an email address in the correct format" in html
    assert "Tick the box to confirm you have read the privacy notice." in html
    assert ContactMessage.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "x" * 5000},
        {"message": "x" * 100_000},
        {"email": "ann@example.com\nBcc: evil@example.com"},
        {"name": "Ann\r\nCc: evil@example.com"},
        {"email": "ann@example.com, evil@example.com"},
        {"privacy_acknowledged": ""},
        {"preferred_contact": "' OR 1=1 --"},
        {"message": "bad\x00byte"},
    ],
)
def test_bad_input_is_refused_without_a_500(client, overrides):
    response = client.post(URL, post_data(**overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert ContactMessage.objects.count() == 0
    assert Notification.objects.count() == 0


def test_html_in_the_message_reaches_staff_escaped(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL, post_data(message='<img src=x onerror="alert(1)"><a href="http://x">hi</a>')
        )
    staff = next(m for m in mail.outbox if "reception@clinic.test" in m.to)
    html = staff.alternatives[0][0]
    assert "<img" not in html and '<a href="http://x"' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b"name=Ann%FF%FE&email=ann%40example.com&preferred_contact=email"
            b"&message=caf%E9+%C3%28&privacy_acknowledged=on",
            "application/x-www-form-urlencoded",
        ),
        (
            b"name=Ann\xff\xfe&email=ann@example.com&preferred_contact=email"
            b"&message=caf\xe9&privacy_acknowledged=on",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
        (
            b"name=Ann&email=ann@example.com&preferred_contact=email&message=x"
            b"&privacy_acknowledged=on",
            "application/x-www-form-urlencoded; charset=no-such-charset",
        ),
        (b"\xff\xfe\x00garbage", "multipart/form-data; boundary=zzz"),
    ],
)
def test_non_utf8_bytes_never_cause_a_500(
    client, body, content_type, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.generic("POST", URL, body, content_type=content_type)
    assert response.status_code in {200, 302, 400}
    for email in mail.outbox:
        assert len(email.recipients()) in {1, 2}
        assert "evil" not in " ".join(email.recipients())


def test_the_honeypot_pretends_to_succeed_and_saves_nothing(client):
    response = client.post(URL, post_data(website="http://spam.example"))
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 0


def test_submissions_are_rate_limited_with_a_friendly_page(client, settings):
    settings.RATELIMIT_ENABLE = True
    for _ in range(5):
        assert client.post(URL, post_data(email="bad")).status_code == 200
    response = client.post(URL, post_data())
    assert response.status_code == 429
    assert "Please wait a moment" in response.content.decode()
    assert ContactMessage.objects.count() == 0
    assert client.get(URL).status_code == 200  # reading the page is not limited


def test_rate_limit_can_be_switched_off(client, settings):
    settings.RATELIMIT_ENABLE = False
    for _ in range(7):
        assert client.post(URL, post_data(email="bad")).status_code == 200


def test_a_cache_outage_does_not_stop_a_patient_writing(client, monkeypatch, settings):
    settings.RATELIMIT_ENABLE = True
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    response = client.post(URL, post_data())
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1


def test_admin_list_filters_search_and_mark_replied(staff_client, staff_user):
    from clinic.contact.services import contact_message_create

    contact_message_create(
        name="Ann Findme", email="ann@example.com", message="Hi", privacy_acknowledged=True
    )
    ContactMessageFactory(name="Bob Other")
    base = "/admin/contact/contactmessage/"
    response = staff_client.get(base)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ann Findme" in html and "2 of 2 pending" in html and "none" in html
    assert "Ann Findme" in staff_client.get(base + "?q=Findme").content.decode()
    assert "Bob Other" not in staff_client.get(base + "?q=Findme").content.decode()
    assert "Bob Other" in staff_client.get(base + "?notifications=sent").content.decode()
    assert "Ann Findme" in staff_client.get(base + "?notifications=pending").content.decode()
    assert staff_client.get(base + "?status__exact=new").status_code == 200

    ann = ContactMessage.objects.get(name="Ann Findme")
    assert staff_client.get(f"{base}{ann.pk}/change/").status_code == 200
    response = staff_client.post(
        base, {"action": "mark_replied", "_selected_action": [ann.pk]}, follow=True
    )
    assert "Marked 1 message as replied." in response.content.decode()
    ann.refresh_from_db()
    assert ann.status == ContactMessage.Status.REPLIED
    assert ann.replied_by == staff_user
