import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files unhashed in tests: the hashed manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rolled-back tests reuse content versions."""
    cache.clear()
    yield
    cache.clear()
