import datetime

import factory
from django.utils import timezone

from assessments.models import Submission, TriageLevel


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    ruleset_version = "v1"
    wording_version = "v1"
    answers = factory.LazyFunction(lambda: {"e1": "no", "e7": "one"})
    level = TriageLevel.URGENT
    rule_ids = factory.LazyFunction(lambda: ["E7_ONE"])
    consent_health_storage_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "2026-11-25"
    retain_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))

    class Params:
        with_contact = factory.Trait(
            contact_consent_at=factory.LazyFunction(timezone.now),
            contact_name="Sam Patient",
            contact_email="sam@example.com",
            contact_phone="07700 900123",
        )
