from django.urls import path

from core.page_cache import cache_public_page
from search import views

app_name = "search"

urlpatterns = [path("search/", cache_public_page(views.search), name="search")]
