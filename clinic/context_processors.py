"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict:
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "address": settings.CLINIC_ADDRESS,
            "phone": settings.CLINIC_PHONE,
            "email": settings.CLINIC_EMAIL,
            "directions": settings.CLINIC_DIRECTIONS,
            "what_to_bring": settings.CLINIC_WHAT_TO_BRING,
            "offer_code": settings.CLINIC_OFFER_CODE,
            "offer_percent": settings.CLINIC_OFFER_PERCENT,
        },
    }
