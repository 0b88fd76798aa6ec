import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files unhashed in tests: the hashed manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
