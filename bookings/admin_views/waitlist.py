"""Staff put a caller on the waitlist, through the same ``waitlist_join`` as the public page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..admin_forms import DATE_INPUT
from ..forms import PatientFieldsForm
from ..models import Practitioner, Service
from ..services import BookingError, Patient, waitlist_join
from .common import admin_context, require


class StaffWaitlistForm(PatientFieldsForm):
    service = forms.ModelChoiceField(
        label=gettext_lazy("Appointment"),
        queryset=Service.objects.filter(active=True),
        empty_label=None,
    )
    practitioner = forms.ModelChoiceField(
        label=gettext_lazy("Practitioner"),
        queryset=Practitioner.objects.filter(active=True),
        required=False,
        empty_label=gettext_lazy("Anyone"),
    )
    first_day = forms.DateField(label=gettext_lazy("From day"), widget=DATE_INPUT)
    last_day = forms.DateField(label=gettext_lazy("Until day"), widget=DATE_INPUT)

    field_order = ["service", "practitioner", "first_day", "last_day", "name", "phone", "email"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, service=None, **kwargs)
        del self.fields["discount_code"]
        self.order_fields(self.field_order)
        self.fields["email"].help_text = gettext_lazy("Offers of freed time are emailed.")
        self.fields["phone"].help_text = ""


def waitlist_add_view(model_admin, request: HttpRequest) -> HttpResponse:
    require(request, model_admin.has_add_permission(request))
    today = timezone.localdate()
    form = StaffWaitlistForm(request.POST or None, initial={"first_day": today, "last_day": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = waitlist_join(
                service=data["service"],
                practitioner=data["practitioner"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                patient=Patient(name=data["name"], email=data["email"], phone=data["phone"]),
                # Read to the caller on the phone, as the public page shows it.
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            )
        except BookingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("%(name)s is on the waitlist.") % {"name": entry.patient_name}
            )
            return redirect("admin:bookings_waitlistentry_changelist")
    return TemplateResponse(
        request,
        "admin/bookings/waitlist_add.html",
        admin_context(model_admin, request, _("Add to the waitlist"), form=form),
        status=400 if form.errors else 200,
    )
