"""Tags: the lower-case vocabulary that case studies and lessons are tagged from."""

from django.utils.text import slugify

from sampledata.vocabulary import words
from sampledata.vocabulary.places import COUNTRIES
from sampledata.vocabulary.topics import TOPICS

# Ordered from general to specific: a tag's place in this list is its rank in the Zipf-like draw,
# so the first few are very common and most of the several hundred are rare.
GENERAL_TAGS = words(
    """
    trust, governance, local-context, measurement, transparency, communication, government,
    private-sector, local-partners, leadership, accountability, stakeholders, expectations,
    motivations, champions, core-competencies, information-sharing, relationships, adaptability,
    skills, listening, hard-data, business-case, procurement, standards, internal-support,
    preconceptions, decision-rights, exit-strategy, staff-continuity, lessons-learned, legitimacy,
    culture, language, empathy, inclusiveness, roles, profit-motive, intellectual-property,
    civil-society, philanthropy, academia, multilaterals, scale-up, pilots, sustainability,
    behaviour-change, gender, youth, women, rural, urban, refugees, co-investment, blended-finance,
    public-private-partnership, evaluation, impact-measurement, theory-of-change,
    memorandum-of-understanding, steering-committee, conflict-resolution, power-imbalance,
    risk-sharing, branding, reputation, due-diligence, open-data, policy-change, advocacy,
    community-engagement
    """
)
TOPIC_FACETS = words(
    """
    governance, finance, policy, data, markets, innovation, monitoring, infrastructure, skills,
    standards, local-ownership, partnerships, evaluation, gender, investment
    """
)


def tag_vocabulary() -> list[str]:
    """About 300 lower-case tags, general first, then topics, countries and topic facets."""
    topics = [slugify(topic) for topic in TOPICS]
    countries = [slugify(country) for region in COUNTRIES.values() for country in region]
    facets = [f"{topic}-{facet}" for facet in TOPIC_FACETS for topic in topics if topic != facet]
    vocabulary = []
    for tag in [*GENERAL_TAGS[:10], *topics, *GENERAL_TAGS[10:], *countries, *facets]:
        if tag not in vocabulary:
            vocabulary.append(tag)
    return vocabulary
