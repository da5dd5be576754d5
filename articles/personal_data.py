"""Articles hold no patient data (collected by ``clinic.privacy.registry``)."""

NOT_PATIENT_DATA = {
    "articles.ArticlePage": "health articles written by staff (Wagtail pages)",
    "articles.ArticleIndexPage": "the page that lists the articles",
    "articles.Tag": "article topics",
}
