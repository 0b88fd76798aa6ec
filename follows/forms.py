from django import forms
from django.http import QueryDict

from follows import targets
from follows.models import Frequency, Kind


class FollowForm(forms.Form):
    """Follow a theme, a tag or a filtered list: an address and how often."""

    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="Used only to send what you ask for; never shown. We ask you to confirm first.",
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            normalised = targets.normalise(kind, QueryDict(cleaned.get("query") or ""))
            if normalised is None:
                raise forms.ValidationError(
                    "What you asked to follow no longer exists: go back to the list and try again."
                )
            cleaned["query"] = normalised
        return cleaned


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)
    subscription = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
