"""Submission forms: what every submission asks, the lesson form and the case-study form."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from taggit.utils import parse_tags

from alliances.models import Partnership, Role
from core.sectors import Sector
from core.tags import tag_key, tag_name_clean
from lessons.models import LESSON_PART_LIMIT, Lesson, Theme

MAX_TAGS = 10
MAX_TAG_LENGTH = 50
MAX_PARTNERS = 20


def clean_tag_list(text):
    """Tags from free text ("water, local context" or "water trust"), each named once.

    Names that only differ in case, spaces or hyphens are one tag; a name with nothing
    visible in it is no tag.
    """
    tags, seen = [], set()
    for tag in parse_tags(text or ""):
        tag = tag_name_clean(tag)
        if not tag or tag_key(tag) in seen:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise forms.ValidationError(
                f"Keep each tag under {MAX_TAG_LENGTH} characters (“{tag[:20]}…” is longer)."
            )
        seen.add(tag_key(tag))
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise forms.ValidationError(f"Use at most {MAX_TAGS} tags (you gave {len(tags)}).")
    return tags


class SubmissionForm(forms.ModelForm):
    """Fields every submission shares: tags, the contributor, and a trap for spam robots."""

    tags = forms.CharField(
        required=False,
        max_length=600,
        help_text="Separate tags with commas, for example: water, local context, trust.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-tag-suggest": ""}),
    )
    # Hidden from people (visually and from assistive technology); robots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    contributor_fields = [
        "contributor_name",
        "contributor_organisation",
        "contributor_sector",
        "contributor_email",
        "publish_anonymously",
    ]
    labels = {
        "contributor_name": "Your name",
        "contributor_organisation": "Your organisation",
        "contributor_sector": "Your sector",
        "contributor_email": "Your email, for follow-up questions",
        "publish_anonymously": "Publish without my name",
    }
    help_texts = {
        "contributor_name": "Optional.",
        "contributor_organisation": "Optional.",
        "contributor_email": "Optional. Only curators see it; it is never published.",
        "publish_anonymously": "Your name and organisation stay with the curators.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            self.fields[name].label = label
        for name, text in self.help_texts.items():
            self.fields[name].help_text = text
        self.fields["contributor_sector"].choices = [("", "Choose if you like")] + list(
            Sector.choices
        )

    def clean_tags(self):
        return clean_tag_list(self.cleaned_data.get("tags"))

    def full_clean(self):
        super().full_clean()
        # Tie each field's error message to its input, so a screen reader reads it on focus.
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described_by = [f"{bound.auto_id}_helptext"] if bound.help_text else []
                described_by.append(f"{bound.auto_id}_error")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def model_data(self):
        """The model's own fields from the cleaned data, ready for a service."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in {field.name for field in self._meta.model._meta.fields}
        }


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


YEAR_HELP = "A four-digit year, such as 2012."


class PartnershipSubmissionForm(SubmissionForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "summary",
            "story",
            "region",
            "countries",
            "start_year",
            "end_year",
            "status",
            "outcome",
            "government_role",
            "partnership_success_rating",
            "partnership_success",
            "intervention_impact_rating",
            "intervention_impact",
            "hide_partner_names",
            *SubmissionForm.contributor_fields,
        ]
        labels = {
            "name": "Name of the partnership",
            "summary": "Summary",
            "story": "The story",
            "countries": "Countries",
            "start_year": "Year it started",
            "end_year": "Year it ended",
            "government_role": "The government's role",
            "partnership_success_rating": "How well did the partnership itself work?",
            "partnership_success": "The partnership's success, in your words",
            "intervention_impact_rating": "How much did it change for the people it served?",
            "intervention_impact": "The intervention's impact, in your words",
            "hide_partner_names": "Hide the partner organisations' names when published",
        }
        help_texts = {
            "summary": "Two or three sentences: who came together, to do what. "
            "At most 600 characters.",
            "story": "What happened, from start to today. Markdown works: **bold**, *italic*, "
            "lists, links.",
            "start_year": YEAR_HELP,
            "end_year": "Leave empty while it is still running.",
            "hide_partner_names": "Partners are then shown by sector and role only.",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 10}),
            "partnership_success": forms.Textarea(attrs={"rows": 3}),
            "intervention_impact": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
            "outcome": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.now().year
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update(min=1900, max=this_year + 1)
            self.fields[name].validators += [
                MinValueValidator(1900, "Give a year from 1900 on."),
                MaxValueValidator(this_year + 1, f"Give a year up to {this_year + 1}."),
            ]
        # Required choices start unticked, without Django's blank "---------" radio.
        for name in ("status", "outcome"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        self.fields["government_role"].choices = [("", "No government partner")] + self.fields[
            "government_role"
        ].choices[1:]
        for name in ("partnership_success_rating", "intervention_impact_rating"):
            self.fields[name].choices = [("", "Not yet assessed")] + list(
                self.fields[name].choices
            )[1:]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", f"The end year can't be before the start year ({start}).")
        return cleaned


class PartnerForm(forms.Form):
    name = forms.CharField(label="Organisation", max_length=200, required=False)
    sector = forms.ChoiceField(
        label="Sector", choices=[("", "Choose a sector")] + list(Sector.choices), required=False
    )
    role = forms.ChoiceField(
        label="Role", choices=[("", "Choose a role")] + list(Role.choices), required=False
    )
    # Optional: after publication this contact is asked to confirm the account (signoff/).
    contact_email = forms.EmailField(
        label="Contact email (optional, never shown)",
        max_length=254,
        required=False,
        error_messages={"invalid": "Give a whole email address, such as name@example.org."},
    )

    def clean(self):
        cleaned = super().clean()
        name = " ".join((cleaned.get("name") or "").split())
        cleaned["name"] = name
        if cleaned.get("contact_email") and not name:
            self.add_error("name", "Give the organisation's name for this contact.")
        if name or cleaned.get("sector") or cleaned.get("role"):
            if not name:
                self.add_error("name", "Give the organisation's name.")
            if not cleaned.get("sector"):
                self.add_error("sector", "Choose the organisation's sector.")
            if not cleaned.get("role"):
                self.add_error("role", "Choose its role in the partnership.")
        return cleaned


class BasePartnerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        partners = [form.cleaned_data for form in self.forms if form.cleaned_data.get("name")]
        if len(partners) < 2:
            raise forms.ValidationError(
                "A partnership needs at least two partners: fill in two or more organisations."
            )
        if len({partner["sector"] for partner in partners}) < 2:
            raise forms.ValidationError(
                "Multi-sector partnerships only: the partners must come from at least two sectors."
            )
        self.partners = partners


PartnerFormSet = forms.formset_factory(
    PartnerForm,
    formset=BasePartnerFormSet,
    extra=4,
    max_num=MAX_PARTNERS,
    validate_max=True,
    absolute_max=MAX_PARTNERS,
)
