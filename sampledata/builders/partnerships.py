"""Build sample organisations and case studies (partnerships with their partners and tags)."""

import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from django.utils.text import slugify

from alliances.models import (
    Organisation,
    Outcome,
    Partnership,
    Region,
    ResultRating,
    Role,
    Sector,
    Status,
)
from sampledata.builders.shared import (
    in_prose,
    join_words,
    moderation_fields,
    moderation_plan,
    sample_slug,
)
from sampledata.distributions import (
    COUNTRY_COUNTS,
    FEATURED_SHARE,
    HOME_REGIONS,
    LEAD_SECTORS,
    OLD_STATUSES,
    OUTCOMES,
    PARTNER_COUNTS,
    POOL_SECTORS,
    RATINGS,
    REGIONS,
    ROLES,
    STATUSES,
    TAG_COUNTS,
)
from sampledata.random_draws import Weighted
from sampledata.vocabulary.lessons import CONCEPTS
from sampledata.vocabulary.organisations import (
    NAME_PARTS,
    ORGANISATION_NAMES,
    SECTOR_ADJECTIVES,
    SECTOR_DESCRIPTIONS,
)
from sampledata.vocabulary.partnerships import (
    CONTRIBUTIONS,
    FAILURE_REASONS,
    FORMATION_DETAILS,
    GLOBAL_PARTNERSHIP_NAMES,
    GOVERNMENT_ROLES,
    INTERVENTION_IMPACT_TEXTS,
    NUMBER_WORDS,
    OTHER_GOVERNMENT_ROLES,
    OUTCOME_SENTENCES,
    OUTCOME_SUMMARIES,
    PARTNERSHIP_NAMES,
    PARTNERSHIP_NOUNS,
    PARTNERSHIP_SUCCESS_TEXTS,
    STATUS_SENTENCES,
    WHY_PARTNER,
)
from sampledata.vocabulary.places import COUNTRIES, REGION_ADJECTIVES
from sampledata.vocabulary.topics import TOPICS

# Organisations -----------------------------------------------------------------------------------


@dataclass(eq=False)  # compared and hashed by identity: each one is a distinct organisation
class Member:
    """An organisation in the pool, with what partnerships need to pick it."""

    organisation: Organisation
    region: Region | None
    weight: float


class Pool:
    """The organisations partnerships draw on, picked by sector and, for local ones, region."""

    def __init__(self, members: list[Member]) -> None:
        self.members = members
        self.by_sector = self._index(lambda member: member.organisation.sector)
        self.by_sector_region = self._index(
            lambda member: (member.organisation.sector, member.region)
        )

    def _index(self, key: Callable[[Member], Hashable]) -> dict[Hashable, Weighted[Member]]:
        groups: dict[Hashable, list[Member]] = {}
        for member in self.members:
            groups.setdefault(key(member), []).append(member)
        return {key: Weighted({m: m.weight for m in group}) for key, group in groups.items()}

    def pick(
        self, rng: random.Random, sector: Sector, region: Region, exclude: list[Member]
    ) -> Member:
        """A partner of this sector not yet in ``exclude``, local to the region where possible."""
        local = self.by_sector_region.get((sector, region))
        # build_pool puts every sector in the pool, so by_sector has them all.
        choices = local if local and rng.random() < 0.85 else self.by_sector[sector]
        for _attempt in range(10):
            member = choices.draw(rng)
            if member not in exclude:
                return member
        # This sector is used up in this partnership: take anyone not yet in it.
        return rng.choice([m for m in self.members if m not in exclude])


def _organisation_name(
    rng: random.Random, sector: Sector, region: Region, country: str, city: str
) -> str:
    """A made-up name in one of the sector's patterns."""
    parts = {key: rng.choice(values) for key, values in NAME_PARTS.items()}
    parts["other_surname"] = rng.choice(NAME_PARTS["surname"])
    parts.update(country=country, city=city, region=REGION_ADJECTIVES[region])
    return rng.choice(ORGANISATION_NAMES[sector]).format(**parts)


def _unique_organisation_name(
    rng: random.Random, sector: Sector, region: Region, country: str, city: str, taken: set[str]
) -> str:
    """A made-up name that no organisation has yet."""
    for _attempt in range(30):
        name = _organisation_name(rng, sector, region, country, city)
        if name not in taken:
            return name
    # The word lists ran out of combinations for this sector: number the name instead.
    return next(f"{name} {n}" for n in range(2, len(taken) + 3) if f"{name} {n}" not in taken)


def build_pool(rng: random.Random, size: int) -> Pool:
    """``size`` sample organisations with heavy-tailed popularity; every sector is present."""
    taken = set(Organisation.objects.values_list("name", flat=True))
    members = []
    for number in range(1, size + 1):
        # Every sector at least once, so every partnership can span two of them.
        sector = list(Sector)[number - 1] if number <= len(Sector) else POOL_SECTORS.draw(rng)
        region = HOME_REGIONS.draw(rng)
        country = rng.choice(list(COUNTRIES[region]))
        city = rng.choice(COUNTRIES[region][country])
        name = _unique_organisation_name(rng, sector, region, country, city, taken)
        taken.add(name)
        is_multilateral = sector == Sector.MULTILATERAL
        organisation = Organisation(
            name=name,
            slug=sample_slug(name, number),
            sector=sector,
            country="" if is_multilateral else country,
            description=SECTOR_DESCRIPTIONS[sector].format(country=country) + ".",
            is_sample=True,
        )
        # A few organisations turn up in many partnerships, as the big players do.
        weight = rng.paretovariate(2)
        members.append(Member(organisation, None if is_multilateral else region, weight))
    return Pool(members)


# Case studies ------------------------------------------------------------------------------------


@dataclass
class PartnershipDraft:
    """A partnership with what its participations, tags and lessons are built from."""

    partnership: Partnership
    partners: list[tuple[Member, Role, str]]  # (member, role, contribution); the first one leads
    topic: str
    place: str
    tags: list[str]


def _places(rng: random.Random, region: Region) -> tuple[list[str], str, str]:
    """The countries a partnership works in, and how its name refers to them."""
    if region == Region.GLOBAL:
        regions = rng.sample(list(COUNTRIES), rng.randint(2, 4))
        countries = [rng.choice(list(COUNTRIES[r])) for r in regions]
        return countries, "Global", "several countries"
    in_region = list(COUNTRIES[region])
    count = min(len(in_region), COUNTRY_COUNTS.draw(rng))
    countries = rng.sample(in_region, count)
    name_place = countries[0] if len(countries) == 1 else Region(region).label
    return countries, name_place, join_words([in_prose(country) for country in countries])


def _years_and_status(rng: random.Random) -> tuple[int, int | None, Status]:
    """When it started, when it ended if it has, and its status: old ones rarely still run."""
    start_year = rng.randint(1995, 2025)
    if start_year >= 2024:
        status = rng.choice([Status.FORMING, Status.ACTIVE])
    else:
        status = (OLD_STATUSES if start_year < 2008 else STATUSES).draw(rng)
    end_year = None
    if status in (Status.CONCLUDED, Status.DISSOLVED):
        end_year = min(2025, start_year + rng.randint(1, 8))
    return start_year, end_year, status


def _pick_partners(
    rng: random.Random, pool: Pool, region: Region
) -> list[tuple[Member, Role, str]]:
    """2-6 distinct organisations from at least two sectors; the first one leads."""
    count = PARTNER_COUNTS.draw(rng)
    lead_sector = LEAD_SECTORS.draw(rng)
    second_sector = POOL_SECTORS.draw(rng)
    while second_sector == lead_sector:
        second_sector = POOL_SECTORS.draw(rng)
    wanted = [lead_sector, second_sector] + [POOL_SECTORS.draw(rng) for _ in range(count - 2)]
    chosen: list[Member] = []
    for sector in wanted:
        chosen.append(pool.pick(rng, sector, region, chosen))
    roles = [Role.LEAD] + [ROLES[m.organisation.sector].draw(rng) for m in chosen[1:]]
    return [
        (member, role, rng.choice(CONTRIBUTIONS[role]))
        for member, role in zip(chosen, roles, strict=True)
    ]


def _government_role(rng: random.Random, partners: list[tuple[Member, Role, str]]) -> str:
    """The part government plays, following its partner's role; blank without one."""
    for member, role, _contribution in partners:
        if member.organisation.sector == Sector.GOVERNMENT:
            return GOVERNMENT_ROLES.get(role) or rng.choice(OTHER_GOVERNMENT_ROLES)
    return ""


def _ratings(rng: random.Random, outcome: Outcome, impact: str) -> dict[str, ResultRating | str]:
    """The two result ratings and their one-sentence texts; none while it is too early."""
    if outcome == Outcome.TOO_EARLY:
        return {}
    weights = RATINGS[outcome]
    fields: dict[str, ResultRating | str] = {}
    if rng.random() < 0.9:
        rating = weights.draw(rng)
        fields["partnership_success_rating"] = rating
        fields["partnership_success"] = PARTNERSHIP_SUCCESS_TEXTS[rating]
    if rng.random() < 0.9:
        rating = weights.draw(rng)
        fields["intervention_impact_rating"] = rating
        fields["intervention_impact"] = INTERVENTION_IMPACT_TEXTS[rating].format(impact=impact)
    return fields


def _story(
    rng: random.Random,
    words: dict[str, object],
    partners: list[tuple[Member, Role, str]],
    outcome: Outcome,
    status: Status,
) -> str:
    """Four or five paragraphs: the problem, the partners, what happened, where it stands."""
    names = [member.organisation.name for member, _role, _contribution in partners]
    paragraphs = [
        f"In {words['place']}, {words['people']} faced {words['problem']}. "
        + rng.choice(WHY_PARTNER),
        f"In {words['start_year']}, {names[0]} joined forces with {join_words(names[1:])} to "
        f"work on {words['activity']}. " + rng.choice(FORMATION_DETAILS),
    ]
    if outcome == Outcome.NOT_AS_PLANNED:
        happened = ["The partnership did not work out as planned.", *rng.sample(FAILURE_REASONS, 2)]
        happened += OUTCOME_SENTENCES[outcome]
    else:
        happened = rng.sample(OUTCOME_SENTENCES[outcome], 2)
    paragraphs.append(" ".join(happened).format(**words))
    paragraphs.append(rng.choice(STATUS_SENTENCES[status]).format(**words))
    if outcome != Outcome.TOO_EARLY:
        phrase = rng.choice(CONCEPTS)[1]
        paragraphs.append(f"Asked what others should take from it, the partners point to {phrase}.")
    return "\n\n".join(paragraphs)


def _build_partnership_draft(
    rng: random.Random, number: int, pool: Pool, tags: Weighted
) -> PartnershipDraft:
    """One partnership, in memory, with its partners and tags."""
    topic = rng.choice(list(TOPICS))
    facts = TOPICS[topic]
    region = REGIONS.draw(rng)
    countries, name_place, story_place = _places(rng, region)
    start_year, end_year, status = _years_and_status(rng)
    outcome = OUTCOMES[status].draw(rng)
    partners = _pick_partners(rng, pool, region)
    # Drawn in this order (problem, activity, impact): the same seed must give the same words.
    problem = rng.choice(facts["problems"])
    activity = rng.choice(facts["activities"])
    impact = rng.choice(facts["impacts"]).format(n=rng.randrange(200, 60000, 50))
    words: dict[str, object] = {
        "place": story_place,
        "people": facts["people"],
        "problem": problem,
        "activity": activity,
        "impact": impact,
        "start_year": start_year,
        "end_year": end_year,
    }
    templates = GLOBAL_PARTNERSHIP_NAMES if region == Region.GLOBAL else PARTNERSHIP_NAMES
    name = rng.choice(templates).format(
        place=name_place,
        the_place=in_prose(name_place),
        title=rng.choice(facts["titles"]),
        noun=rng.choice(PARTNERSHIP_NOUNS),
    )
    sectors = list(
        dict.fromkeys(
            SECTOR_ADJECTIVES[m.organisation.sector] for m, _role, _contribution in partners
        )
    )
    summary = (
        f"A partnership of {NUMBER_WORDS[len(partners)]} {join_words(sectors)} organisations "
        f"working on {activity} in {story_place}. {OUTCOME_SUMMARIES[outcome]}"
    )
    partnership = Partnership(
        name=name,
        slug=sample_slug(name, number),
        summary=summary,
        story=_story(rng, words, partners, outcome, status),
        region=region,
        countries=", ".join(countries),
        start_year=start_year,
        end_year=end_year,
        status=status,
        outcome=outcome,
        government_role=_government_role(rng, partners),
        is_sample=True,
        **_ratings(rng, outcome, impact),
    )
    tag_names = tags.draw_distinct(rng, TAG_COUNTS.draw(rng), first=[slugify(topic)])
    return PartnershipDraft(partnership, partners, topic, story_place, tag_names)


def build_partnership_drafts(
    rng: random.Random, count: int, pool: Pool, tags: Weighted, today: datetime
) -> list[PartnershipDraft]:
    """``count`` case studies in memory, moderated in set shares; a few published ones featured."""
    statuses = moderation_plan(rng, count)
    partnership_drafts = []
    for number, status in enumerate(statuses, start=1):
        partnership_draft = _build_partnership_draft(rng, number, pool, tags)
        for field, value in moderation_fields(rng, status, today).items():
            setattr(partnership_draft.partnership, field, value)
        partnership_drafts.append(partnership_draft)
    published = [c.partnership for c in partnership_drafts if c.partnership.is_published]
    for partnership in rng.sample(published, round(len(published) * FEATURED_SHARE)):
        partnership.featured = True
    return partnership_drafts
