from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "signoff"
    verbose_name = "Partner sign-off"

    def ready(self):
        from alliances.models import Partnership
        from core import retention, signals
        from signoff import services

        # Core's services announce publication and erasure; core cannot import this app.
        signals.published.connect(services.on_published, sender=Partnership, weak=False)
        signals.contributor_erased.connect(
            services.on_contributor_erased, sender=Partnership, weak=False
        )
        retention.register(
            "partner contact address(es) whose sign-off link expired",
            services.signoff_contacts_purge_expired,
        )
