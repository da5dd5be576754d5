"""Days the whole clinic is closed, added by staff (bank holidays need no entry)."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Appointment, ClinicClosure


@admin.register(ClinicClosure)
class ClinicClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
    search_fields = ["reason"]
    date_hierarchy = "date"

    def save_model(self, request: HttpRequest, obj: ClinicClosure, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Closing a day stops new online bookings; existing ones are staff's to move or cancel.
        booked = Appointment.objects.active().starting_on(obj.date).count()
        if booked:
            messages.warning(
                request,
                ngettext(
                    "%(count)d appointment is still booked on %(day)s: move or cancel it.",
                    "%(count)d appointments are still booked on %(day)s: move or cancel them.",
                    booked,
                )
                % {"count": booked, "day": f"{obj.date:%a %d %b %Y}"},
            )
        else:
            messages.info(request, _("Nothing was booked that day."))
