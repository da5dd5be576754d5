"""JSON API for slots and bookings. Filled in by the booking work (issue 4)."""

app_name = "api"

urlpatterns: list = []
