"""The lesson submission form."""

from django import forms

from alliances.forms import SubmissionForm
from alliances.models import Partnership
from lessons.models import LESSON_PART_LIMIT, Lesson, Theme

MARKDOWN_HELP = "Markdown works: **bold**, *italic*, lists, links."


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, theme):
        return f"{theme.number}. {theme.title} — {theme.summary}"


class LessonSubmissionForm(SubmissionForm):
    themes = ThemeChoiceField(
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Themes",
        help_text="Choose one or more of the report's eight themes.",
        error_messages={"required": "Choose at least one theme this lesson is about."},
    )
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.published().only("pk", "name").order_by("name"),
        required=False,
        label="The case study it comes from",
        empty_label="None, or not on this site",
        help_text="If the partnership is already a case study here, choose it.",
    )

    class Meta:
        model = Lesson
        fields = [
            "title",
            "context",
            "insight",
            "recommendation",
            "evidence",
            "experience",
            "themes",
            "partnership",
            *SubmissionForm.contributor_fields,
        ]
        labels = {
            "title": "Title",
            "context": "What happened",
            "insight": "The lesson",
            "recommendation": "Your recommendation",
            "evidence": "The evidence",
            "experience": "Is this about something that worked, or something that went wrong?",
        }
        help_texts = {
            "title": "One line that says the lesson, such as “Agree what words mean early”.",
            "context": "The situation or event the lesson comes from. " + MARKDOWN_HELP,
            "insight": "What you learned. " + MARKDOWN_HELP,
            "recommendation": "What should others do because of it? " + MARKDOWN_HELP,
            "evidence": "Optional: results, data or sources that back it up. " + MARKDOWN_HELP,
        }
        widgets = {
            "context": forms.Textarea(attrs={"rows": 5}),
            "insight": forms.Textarea(attrs={"rows": 4}),
            "recommendation": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "experience": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Give the lesson a title."},
            "context": {"required": "Say what happened."},
            "insight": {"required": "Say what the lesson is."},
            "recommendation": {"required": "Say what you recommend others do."},
            "experience": {"required": "Choose whether it worked or went wrong."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experience"].choices = [
            choice for choice in self.fields["experience"].choices if choice[0]
        ]
        self.fields["experience"].help_text = ""
        for name in ("context", "insight", "recommendation", "evidence"):
            self.fields[name].help_text += f" At most {LESSON_PART_LIMIT:,} characters."
