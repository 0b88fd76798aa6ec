"""How often each kind of thing turns up in the sample: the shares and weights builders draw with.

The words themselves are in sampledata/vocabulary/; changing a weight here changes the data a
given seed produces.
"""

from datetime import timedelta

from alliances.models import Outcome, Region, ResultRating, Role, Sector, Status
from sampledata.random_draws import Weighted

PUBLISHED_SHARE, PENDING_SHARE = 0.90, 0.06  # the rest is rejected
FEATURED_SHARE = 0.05
LINKED_LESSON_SHARE = 0.70
# Published dates go back this far from today.
PUBLISHED_SPAN = timedelta(days=4 * 365)

# Places and organisations ------------------------------------------------------------------------

# Where the case studies in a knowledge base like this one tend to come from.
REGIONS = Weighted(
    {
        Region.AFRICA: 30,
        Region.ASIA_PACIFIC: 22,
        Region.LATIN_AMERICA: 18,
        Region.MIDDLE_EAST: 8,
        Region.EUROPE: 8,
        Region.NORTH_AMERICA: 4,
        Region.GLOBAL: 10,
    }
)
# Where organisations are based: somewhere in particular.
HOME_REGIONS = Weighted({r: w for r, w in REGIONS.weights.items() if r != Region.GLOBAL})
COUNTRY_COUNTS = Weighted({1: 60, 2: 25, 3: 15})
POOL_SECTORS = Weighted(
    {
        Sector.GOVERNMENT: 24,
        Sector.BUSINESS: 24,
        Sector.CIVIL_SOCIETY: 26,
        Sector.PHILANTHROPY: 10,
        Sector.ACADEMIA: 11,
        Sector.MULTILATERAL: 5,
    }
)
LEAD_SECTORS = Weighted(
    {
        Sector.GOVERNMENT: 25,
        Sector.BUSINESS: 20,
        Sector.CIVIL_SOCIETY: 35,
        Sector.PHILANTHROPY: 8,
        Sector.ACADEMIA: 7,
        Sector.MULTILATERAL: 5,
    }
)
PARTNER_COUNTS = Weighted({2: 15, 3: 30, 4: 30, 5: 15, 6: 10})
# The roles each sector usually plays when it is not the lead. Keyed by sector, and looked up
# with the sector an Organisation holds, which its model field types as a plain str.
ROLES: dict[str, Weighted[Role]] = {
    Sector.GOVERNMENT: Weighted(
        {Role.CONVENER: 4, Role.FUNDER: 3, Role.LOCAL_PARTNER: 3, Role.ADVISER: 1}
    ),
    Sector.BUSINESS: Weighted(
        {Role.FUNDER: 3, Role.IMPLEMENTER: 3, Role.TECHNICAL_PARTNER: 3, Role.OTHER: 1}
    ),
    Sector.CIVIL_SOCIETY: Weighted({Role.IMPLEMENTER: 5, Role.LOCAL_PARTNER: 4, Role.ADVISER: 1}),
    Sector.PHILANTHROPY: Weighted({Role.FUNDER: 6, Role.CONVENER: 2, Role.ADVISER: 1}),
    Sector.ACADEMIA: Weighted({Role.TECHNICAL_PARTNER: 4, Role.ADVISER: 4, Role.OTHER: 1}),
    Sector.MULTILATERAL: Weighted({Role.FUNDER: 4, Role.CONVENER: 3, Role.TECHNICAL_PARTNER: 2}),
}

# Case studies ------------------------------------------------------------------------------------

# The status a partnership is in, then how it turned out: dissolved ones mostly failed, which
# keeps a healthy share of "did not work out as planned" (about a third) in the sample.
OUTCOMES = {
    Status.FORMING: Weighted({Outcome.TOO_EARLY: 1}),
    Status.ACTIVE: Weighted(
        {Outcome.ON_TRACK: 35, Outcome.MIXED: 25, Outcome.NOT_AS_PLANNED: 20, Outcome.TOO_EARLY: 20}
    ),
    Status.CONCLUDED: Weighted(
        {Outcome.ON_TRACK: 40, Outcome.MIXED: 30, Outcome.NOT_AS_PLANNED: 30}
    ),
    Status.DISSOLVED: Weighted({Outcome.NOT_AS_PLANNED: 75, Outcome.MIXED: 25}),
}
# Partnerships started long ago are rarely still running.
STATUSES = Weighted({Status.ACTIVE: 35, Status.CONCLUDED: 45, Status.DISSOLVED: 20})
OLD_STATUSES = Weighted({Status.ACTIVE: 15, Status.CONCLUDED: 45, Status.DISSOLVED: 20})
RATINGS = {
    Outcome.ON_TRACK: Weighted(
        {ResultRating.FULLY: 45, ResultRating.LARGELY: 50, ResultRating.PARTLY: 5}
    ),
    Outcome.MIXED: Weighted(
        {ResultRating.LARGELY: 35, ResultRating.PARTLY: 55, ResultRating.NOT_ACHIEVED: 10}
    ),
    # A partnership can work well as a partnership and still miss its goals.
    Outcome.NOT_AS_PLANNED: Weighted(
        {ResultRating.LARGELY: 15, ResultRating.PARTLY: 40, ResultRating.NOT_ACHIEVED: 45}
    ),
}

# Lessons -----------------------------------------------------------------------------------------

# How often a lesson went wrong, by how its case study turned out (None: it has no case study).
# Looked up with a Partnership's outcome, which its model field types as a plain str.
WENT_WRONG_SHARE: dict[str | None, float] = {
    Outcome.ON_TRACK: 0.25,
    Outcome.MIXED: 0.5,
    Outcome.NOT_AS_PLANNED: 0.75,
    Outcome.TOO_EARLY: 0.4,
    None: 0.45,
}
THEME_COUNTS = Weighted({1: 50, 2: 35, 3: 15})
TAG_COUNTS = Weighted({1: 15, 2: 25, 3: 30, 4: 20, 5: 10})
