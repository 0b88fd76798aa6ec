from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The building blocks every other app uses; it imports none of them."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from core import lookups, mail, tags, triggers

        # After every migrate (and flush), put back any trigger a table rebuild dropped.
        post_migrate.connect(triggers.install_after_migrate, sender=self)
        # Every new tag, however it is made, gets a slug its page can be reached by.
        tags.install()
        # A number too large for its column matches nothing, in `__in` as in `exact`.
        lookups.install()
        # The web process sends queued mail from a thread of its own, started by its first
        # request (so migrate and other commands start none).
        request_started.connect(mail.start_sender, dispatch_uid="core.mail.start_sender")
