"""The invitation on every lesson page: "Did you apply this lesson?" No account needed."""

from django import forms

from alliances.models import Region
from core.sectors import Sector
from lessons.models import APPLICATION_NOTE_LIMIT, ApplicationReport, Outcome


class ApplicationReportForm(forms.ModelForm):
    """How it went, in which sector and region, and optionally a short note (moderated)."""

    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how it went: it helped, partly, or it did not help."},
    )
    sector = forms.ChoiceField(
        label="Your sector",
        choices=[("", "Choose a sector"), *Sector.choices],
        error_messages={"required": "Choose the sector of the organisation that applied it."},
    )
    region = forms.ChoiceField(
        label="Where",
        choices=[("", "Choose a region"), *Region.choices],
        error_messages={"required": "Choose the region where it was applied."},
    )
    note = forms.CharField(
        label="What happened (optional)",
        required=False,
        max_length=APPLICATION_NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            f"Up to {APPLICATION_NOTE_LIMIT} characters; Markdown is fine. A report with a note "
            "is counted and shown once a curator has read it; without one it counts at once."
        ),
        error_messages={
            "max_length": (
                f"Keep the note to {APPLICATION_NOTE_LIMIT} characters (it has %(show_value)d)."
            )
        },
    )
    # Hidden from people (visually and from assistive technology); robots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    class Meta:
        model = ApplicationReport
        fields = ["outcome", "sector", "region", "note"]

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
