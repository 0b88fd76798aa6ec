"""The health check form: every guiding question of every theme, answered green, amber or red."""

import re

from django import forms

from healthcheck.models import HealthCheck
from healthcheck.scoring import Answer, theme_questions

# A private link as the result page gives it, or the token on its own.
TOKEN = re.compile(r"(?:/health-check/)?([A-Za-z0-9_-]{16,64})/?$")


class HealthCheckForm(forms.Form):
    compare = forms.CharField(
        label="Compare with an earlier check",
        required=False,
        max_length=300,
        help_text="Optional: paste the private link of an earlier check to see what changed.",
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = theme_questions(themes)
        for _theme, questions in self.questions:
            for key, question in questions:
                self.fields[key] = forms.ChoiceField(
                    label=question,
                    choices=Answer.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose green, amber or red."},
                )
        # The optional field last, after the questions.
        self.order_fields([key for _, qs in self.questions for key, _ in qs] + ["compare"])

    @property
    def theme_groups(self):
        """(theme, [bound field, …]) in the themes' order, for the template."""
        return [(theme, [self[key] for key, _ in qs]) for theme, qs in self.questions]

    @property
    def question_keys(self):
        """(theme slug, [question key, …]) for scoring."""
        return [(theme.slug, [key for key, _ in qs]) for theme, qs in self.questions]

    def clean_compare(self):
        value = self.cleaned_data["compare"].strip()
        if not value:
            return None
        match = TOKEN.search(value)
        earlier = HealthCheck.objects.filter(token=match.group(1)).first() if match else None
        if earlier is None:
            raise forms.ValidationError(
                "No earlier check has this link. Paste the whole private link it gave you."
            )
        return earlier

    def answers(self):
        return {key: self.cleaned_data[key] for _, keys in self.question_keys for key in keys}
