from django.db import models
from django.urls import reverse


class HealthCheck(models.Model):
    """A partnership's answers to the themes' guiding questions, scored, behind a private link.

    It holds no personal data: no name, no email, no address. Scores are stored as they
    were worked out, so the result stays the same when curators later edit the questions.
    The table keeps the name it was created with, in the lessons app.
    """

    token = models.CharField(
        max_length=64, unique=True, editable=False, help_text="The secret in the private link."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answers = models.JSONField(
        default=dict, help_text="Each question's key (theme slug and number): green, amber or red."
    )
    scores = models.JSONField(
        default=dict, help_text="Each theme's score from 0 to 100, keyed by the theme's slug."
    )
    compared_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earlier check this one is compared with, if any.",
    )

    class Meta:
        db_table = "lessons_healthcheck"
        ordering = ["-created_at"]
        verbose_name = "health check"

    def __str__(self):
        return f"Health check {self.token[:6]}…"

    def get_absolute_url(self):
        return reverse("healthcheck:health-check-result", kwargs={"token": self.token})
