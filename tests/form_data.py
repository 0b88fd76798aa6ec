"""What a visitor sends through the lesson and case-study forms, field by field."""


def lesson_data(theme_list, **overrides):
    """A valid lesson on the first of `theme_list`, with any field overridden."""
    data = {
        "title": "Agree what words mean early",
        "context": "Two partners used *partner* to mean different things.",
        "insight": "Shared words hide different meanings.",
        "recommendation": "Write a short glossary in the first month.",
        "evidence": "",
        "experience": "went_wrong",
        "themes": [theme.pk for theme in theme_list[:1]],
        "partnership": "",
        "tags": "Trust, local context",
        "contributor_name": "Ada Example",
        "contributor_organisation": "Ministry of Examples",
        "contributor_sector": "government",
        "contributor_email": "ada@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


def partnership_data(partners=None, **overrides):
    """A valid case study with up to four partner rows (name, sector, role), fields overridden."""
    partners = partners or [
        ("Ministry of Water", "government", "convener"),
        ("Pumps plc", "business", "funder"),
    ]
    data = {
        "name": "Water for Small Towns",
        "summary": "A ministry and a pump maker kept rural water points running.",
        "story": "It began in **2009**.\n\n- a pilot\n- a scale-up",
        "region": "africa",
        "countries": "Kenya, Uganda",
        "start_year": "2009",
        "end_year": "2014",
        "status": "concluded",
        "outcome": "not_as_planned",
        "government_role": "convener",
        "partnership_success_rating": "2",
        "partnership_success": "Trust broke down in year two.",
        "intervention_impact_rating": "3",
        "intervention_impact": "Most water points still work.",
        "tags": "water, Trust",
        "contributor_name": "Sam Example",
        "contributor_email": "sam@example.org",
        "website": "",
        "partners-TOTAL_FORMS": "4",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "20",
    }
    for index in range(4):
        name, sector, role = partners[index] if index < len(partners) else ("", "", "")
        data.update(
            {
                f"partners-{index}-name": name,
                f"partners-{index}-sector": sector,
                f"partners-{index}-role": role,
            }
        )
    data.update(overrides)
    return data
