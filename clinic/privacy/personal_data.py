"""Requests under UK GDPR hold no address (collected by ``clinic.privacy.registry``)."""

NOT_PATIENT_DATA = {
    "privacy.DataSubjectRequest": "keeps only a keyed hash of the address, as proof of the request",
}
