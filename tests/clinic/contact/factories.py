import factory
from django.utils import timezone

from clinic.contact.models import ContactMessage


class ContactMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMessage

    name = factory.Faker("name", locale="en_GB")
    email = factory.Faker("email")
    message = "My lower back has been stiff for three weeks."
    privacy_notice_version = "2026-11-25"
    privacy_acknowledged_at = factory.LazyFunction(timezone.now)
