from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The open archive: the public knowledge base as one Frictionless data package."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
