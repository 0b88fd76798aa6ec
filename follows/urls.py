from django.urls import path

from follows import views

app_name = "follows"

urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("follow/requested/", views.requested, name="requested"),
    path("follow/confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("follow/manage/<str:token>/", views.manage, name="manage"),
]
