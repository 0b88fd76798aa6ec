from django.urls import path

from signoff import views

app_name = "signoff"

urlpatterns = [
    path("signoff/<str:token>/", views.answer, name="answer"),
]
