from django.urls import path

from core.page_cache import cache_public_page
from insights import views

app_name = "insights"

urlpatterns = [path("insights/", cache_public_page(views.insights), name="insights")]
