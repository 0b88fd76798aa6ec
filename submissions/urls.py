from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("submit/lesson/", views.lesson_submit, name="lesson-submit"),
    path("submit/partnership/", views.partnership_submit, name="partnership-submit"),
    path("submit/thanks/", views.thanks, name="thanks"),
    path("submissions/<str:token>/", views.status, name="status"),
    path("submissions/<str:token>/edit/", views.submission_revise, name="revise"),
]
