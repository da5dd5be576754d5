"""Articles hold no patient data (collected by ``clinic.privacy.registry``)."""

NOT_PATIENT_DATA = {
    "articles.Article": "health articles written by staff",
    "articles.Tag": "article topics",
}
