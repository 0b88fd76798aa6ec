"""The curators' tag fields: names as the site stores them, and a slug made when left empty."""

from django import forms
from django.template.defaultfilters import pluralize
from taggit.forms import TagField
from taggit.models import Tag

from core.tags import tag_name_clean, tag_slug, tag_slug_free

NAME_LENGTH = Tag._meta.get_field("name").max_length or 100


def tag_names_clean(names: list[str]) -> list[str]:
    """Cleaned names, the invisible ones dropped; too long a name is an error."""
    cleaned = [name for name in map(tag_name_clean, names) if name]
    for name in cleaned:
        if len(name) > NAME_LENGTH:
            raise forms.ValidationError(
                f"Keep each tag to {NAME_LENGTH} characters (“{name[:20]}…” is longer)."
            )
    return cleaned


class TagNamesField(TagField):
    """taggit's comma-separated tag field, with names cleaned and their length checked."""

    def clean(self, value):
        return tag_names_clean(super().clean(value))


class TagAdminForm(forms.ModelForm):
    """A tag in the admin: its slug may be left empty, and is then made from its name."""

    class Meta:
        model = Tag
        fields = ["name", "slug"]
        help_texts = {
            "slug": "Its address, /tags/<slug>/. Leave empty to make one from the name.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_name(self):
        name = tag_name_clean(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Give the tag a name with something visible in it.")
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug or not self.cleaned_data.get("name"):
            return slug
        name = self.cleaned_data["name"]
        taken = Tag.objects.exclude(pk=self.instance.pk).filter(slug__startswith=tag_slug(name))
        return tag_slug_free(name, set(taken.values_list("slug", flat=True)))


def tag_merge_label(tag: Tag) -> str:
    """A tag as the merge form offers it: name, address, and how much carries it, if known."""
    label = f"{tag.name} (/tags/{tag.slug}/)"
    lessons, partnerships = (
        getattr(tag, "lesson_total", None),
        getattr(tag, "partnership_total", None),
    )
    if lessons is not None and partnerships is not None:
        studies = pluralize(partnerships, "y,ies")
        label += f": {lessons} lesson{pluralize(lessons)}, {partnerships} case stud{studies}"
    return label


class TagMergeForm(forms.Form):
    """Which of the selected tags to keep, and optionally a new name for it."""

    keep = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this tag",
        error_messages={
            "required": "Choose the tag to keep.",
            "invalid_choice": "Choose one of the selected tags to keep.",
        },
    )
    name = forms.CharField(
        label="New name for the kept tag",
        required=False,
        max_length=NAME_LENGTH,
        help_text=(
            "Leave empty to keep its name. Its address changes with its name; "
            "the old address redirects to the new one."
        ),
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = tags
        self.fields["keep"].label_from_instance = tag_merge_label

    def clean_name(self):
        return tag_name_clean(self.cleaned_data["name"])
