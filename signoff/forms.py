"""A partner's answer on its private sign-off page."""

from django import forms

from alliances.models import SIGNOFF_COMMENT_LIMIT, SignoffAnswer


class SignoffForm(forms.Form):
    answer = forms.ChoiceField(
        label="Is this account of the partnership fair?",
        choices=[c for c in SignoffAnswer.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you confirm the account or see it differently."
        },
    )
    comment = forms.CharField(
        label="Your comment, or what you see differently",
        help_text="Needed if you comment or see it differently. A curator reads it first; it "
        f"is shown on the page only once they approve it. At most {SIGNOFF_COMMENT_LIMIT:,} "
        "characters.",
        required=False,
        max_length=SIGNOFF_COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    hide_name = forms.BooleanField(
        label="Do not show our organisation's name anywhere on the site",
        help_text="We are then shown by our sector and role only.",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        answer, comment = cleaned.get("answer"), (cleaned.get("comment") or "").strip()
        if answer == SignoffAnswer.CONFIRMED_WITH_COMMENT and not comment:
            self.add_error("comment", "Write your comment, or choose to confirm without one.")
        if answer == SignoffAnswer.DISPUTED and not comment:
            self.add_error("comment", "Say what you see differently, so curators can act on it.")
        return cleaned
