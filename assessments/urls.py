"""The self-assessment questionnaire. No health answer ever appears in these URLs."""

from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<int:number>/", views.step, name="step"),
    path("result/", views.result, name="result"),
    path("result/save/", views.save_result, name="save"),
    path("restart/", views.restart, name="restart"),
]
