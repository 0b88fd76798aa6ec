from django.urls import path

from healthcheck import views

app_name = "healthcheck"

urlpatterns = [
    path("health-check/", views.health_check, name="health-check"),
    path("health-check/<str:token>/", views.health_check_result, name="health-check-result"),
]
