from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "follows"
    verbose_name = "Follow by email"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import retention
        from follows.services import follows_purge_expired

        retention.register(
            "unconfirmed follow-by-email request(s) past expiry", follows_purge_expired
        )
