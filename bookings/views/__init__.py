"""The patient-facing booking pages, one module per journey: booking (:mod:`.journey`),
managing a booking (:mod:`.manage`), the waitlist (:mod:`.waitlist`) and practitioners'
calendar feeds (:mod:`.feeds`)."""
