"""Fill the database with realistic sample data: organisations, case studies, lessons and tags.

    python manage.py generate_sample --partnerships 1000 --lessons 10000 [--seed 2012] [--clear]

The data is made up but reads like the real thing, so that pages, search, facets and pagination
can be tried at any size. The same seed always gives the same rows; dates are counted back from
midnight today, so the sample stays recent. Every row carries ``is_sample=True`` and a slug
starting ``sample-``: ``--clear`` removes exactly these and never touches the report's content or
anything a curator entered.

Speed matters here (10,000 case studies and 100,000 lessons should load in under a minute on
SQLite), so rows are built in memory and written with ``bulk_create``, through tables included,
in one transaction.
"""

import random
import time
from bisect import bisect
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, reset_queries, transaction
from django.db.models import Max, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from alliances.models import (
    GovernmentRole,
    Organisation,
    Outcome,
    Participation,
    Partnership,
    Region,
    ResultRating,
    Role,
    Sector,
    Status,
    TaggedPartnership,
)
from core.moderation import ModerationStatus
from lessons.models import Experience, Lesson, TaggedLesson, Theme

DEFAULT_SEED = 2012
# SQLite caps every INSERT at 999 parameters whatever we ask for; PostgreSQL takes the full batch.
BATCH_SIZE = 2000
# Lessons are written a chunk at a time so 100,000 of them, with their texts, never sit in memory
# at once. Chunking does not change the data: random draws happen in the same order either way.
LESSON_CHUNK = 5000
SAMPLE_PREFIX = "sample-"
PUBLISHED_SHARE, PENDING_SHARE = 0.90, 0.06  # the rest is rejected
FEATURED_SHARE = 0.05
LINKED_LESSON_SHARE = 0.70
# Published dates go back this far from today.
PUBLISHED_SPAN = timedelta(days=4 * 365)


def _words(text):
    """A list written as comma-separated lines, so that long word lists stay short here."""
    return [word.strip() for line in text.splitlines() for word in line.split(",") if word.strip()]


class _Weighted:
    """A fixed list of choices with weights, drawn from quickly and repeatably."""

    def __init__(self, weights):
        self.weights = dict(weights)
        self.items = list(weights)
        self.cum_weights = list(accumulate(weights.values()))
        self.total = self.cum_weights[-1]

    def draw(self, rng):
        # What rng.choices does for one item, without building a list each time.
        return self.items[
            bisect(self.cum_weights, rng.random() * self.total, 0, len(self.items) - 1)
        ]

    def draw_distinct(self, rng, count, first=()):
        """``count`` different items, starting with ``first``, in the order drawn."""
        chosen = list(dict.fromkeys(first))[:count]
        while len(chosen) < min(count, len(self.items)):
            item = self.draw(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


# Places ------------------------------------------------------------------------------------------

COUNTRIES = {
    Region.AFRICA: {
        "Kenya": ["Nairobi", "Mombasa", "Kisumu"],
        "Ghana": ["Accra", "Kumasi", "Tamale"],
        "Nigeria": ["Lagos", "Kano", "Ibadan"],
        "Ethiopia": ["Addis Ababa", "Hawassa", "Bahir Dar"],
        "Uganda": ["Kampala", "Gulu", "Mbarara"],
        "Tanzania": ["Dar es Salaam", "Arusha", "Dodoma"],
        "Senegal": ["Dakar", "Saint-Louis", "Thies"],
        "Malawi": ["Lilongwe", "Blantyre", "Mzuzu"],
        "Rwanda": ["Kigali", "Huye", "Musanze"],
        "Zambia": ["Lusaka", "Ndola", "Livingstone"],
        "Mozambique": ["Maputo", "Beira", "Nampula"],
    },
    Region.MIDDLE_EAST: {
        "Jordan": ["Amman", "Irbid", "Zarqa"],
        "Morocco": ["Rabat", "Casablanca", "Marrakesh"],
        "Egypt": ["Cairo", "Alexandria", "Aswan"],
        "Tunisia": ["Tunis", "Sfax", "Sousse"],
        "Lebanon": ["Beirut", "Tripoli", "Sidon"],
    },
    Region.ASIA_PACIFIC: {
        "India": ["Pune", "Chennai", "Lucknow"],
        "Bangladesh": ["Dhaka", "Chittagong", "Khulna"],
        "Indonesia": ["Jakarta", "Surabaya", "Makassar"],
        "Vietnam": ["Hanoi", "Da Nang", "Can Tho"],
        "Philippines": ["Manila", "Cebu", "Davao"],
        "Nepal": ["Kathmandu", "Pokhara", "Biratnagar"],
        "Cambodia": ["Phnom Penh", "Siem Reap", "Battambang"],
        "Pakistan": ["Lahore", "Karachi", "Peshawar"],
        "Fiji": ["Suva", "Lautoka", "Nadi"],
    },
    Region.EUROPE: {
        "United Kingdom": ["Manchester", "Glasgow", "Leeds"],
        "Germany": ["Hamburg", "Leipzig", "Bonn"],
        "Netherlands": ["Utrecht", "Rotterdam", "Groningen"],
        "Poland": ["Krakow", "Gdansk", "Wroclaw"],
        "Georgia": ["Tbilisi", "Batumi", "Kutaisi"],
        "Kyrgyzstan": ["Bishkek", "Osh", "Karakol"],
    },
    Region.LATIN_AMERICA: {
        "Brazil": ["Recife", "Belo Horizonte", "Porto Alegre"],
        "Mexico": ["Oaxaca", "Monterrey", "Puebla"],
        "Colombia": ["Medellin", "Cali", "Barranquilla"],
        "Peru": ["Lima", "Cusco", "Arequipa"],
        "Guatemala": ["Quetzaltenango", "Antigua", "Coban"],
        "Haiti": ["Port-au-Prince", "Cap-Haitien", "Les Cayes"],
        "Chile": ["Valparaiso", "Concepcion", "Temuco"],
        "Bolivia": ["La Paz", "Cochabamba", "Sucre"],
    },
    Region.NORTH_AMERICA: {
        "United States": ["Detroit", "Baltimore", "Fresno"],
        "Canada": ["Winnipeg", "Halifax", "Saskatoon"],
    },
}
# Where the case studies in a knowledge base like this one tend to come from.
REGIONS = _Weighted(
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
HOME_REGIONS = _Weighted({r: w for r, w in REGIONS.weights.items() if r != Region.GLOBAL})
COUNTRY_COUNTS = _Weighted({1: 60, 2: 25, 3: 15})
# Names that take "the" in a sentence: "in the Philippines".
NAMES_WITH_THE = {
    "United Kingdom",
    "Netherlands",
    "Philippines",
    "United States",
    Region.MIDDLE_EAST.label,
}
REGION_ADJECTIVES = {
    Region.AFRICA: "African",
    Region.MIDDLE_EAST: "Arab",
    Region.ASIA_PACIFIC: "Asia-Pacific",
    Region.EUROPE: "European",
    Region.LATIN_AMERICA: "Inter-American",
    Region.NORTH_AMERICA: "North American",
}

# Organisations -----------------------------------------------------------------------------------

POOL_SECTORS = _Weighted(
    {
        Sector.GOVERNMENT: 24,
        Sector.BUSINESS: 24,
        Sector.CIVIL_SOCIETY: 26,
        Sector.PHILANTHROPY: 10,
        Sector.ACADEMIA: 11,
        Sector.MULTILATERAL: 5,
    }
)
SECTOR_ADJECTIVES = {
    Sector.GOVERNMENT: "government",
    Sector.BUSINESS: "business",
    Sector.CIVIL_SOCIETY: "civil society",
    Sector.PHILANTHROPY: "philanthropic",
    Sector.ACADEMIA: "academic",
    Sector.MULTILATERAL: "multilateral",
}
SECTOR_DESCRIPTIONS = {
    Sector.GOVERNMENT: "A public body in {country}",
    Sector.BUSINESS: "A company headquartered in {country}",
    Sector.CIVIL_SOCIETY: "A non-profit organisation based in {country}",
    Sector.PHILANTHROPY: "A grant-making foundation based in {country}",
    Sector.ACADEMIA: "A university or research institute in {country}",
    Sector.MULTILATERAL: "An international institution working across several regions",
}
ORGANISATION_NAMES = {
    Sector.GOVERNMENT: [
        "Ministry of {ministry} of {country}",
        "{country} Department of {ministry}",
        "{country} National {agency} Agency",
        "{city} City Council",
    ],
    Sector.BUSINESS: [
        "{adjective} {industry} {suffix}",
        "{adjective} {industry} {suffix}",
        "{surname} {industry} {suffix}",
    ],
    Sector.CIVIL_SOCIETY: [
        "{word} Alliance for Children",
        "{country} Farmers' Union",
        "Friends of {city}",
        "{city} Community Water Trust",
        "{word} {cause} {group}",
        "{word} {cause} {group}",
        "{country} Association of {members}",
    ],
    Sector.PHILANTHROPY: [
        "{surname} Foundation",
        "{surname} Family Trust",
        "{surname}-{other_surname} Fund",
        "{word} Fund for {cause}",
    ],
    Sector.ACADEMIA: [
        "University of {city}",
        "{city} Institute of Technology",
        "{country} Centre for {field} Research",
        "{surname} School of {field}",
        "{city} Polytechnic",
    ],
    Sector.MULTILATERAL: [
        "Global Fund for {cause}",
        "International {cause} Partnership",
        "{region} {cause} Facility",
        "{region} {cause} Programme",
        "{region} Development Fund",
    ],
}
NAME_PARTS = {
    "ministry": _words(
        """
        Water Resources, Health, Agriculture, Education, Energy, Finance, Environment,
        Social Protection, Trade and Industry, Digital Economy, Rural Development, Local Government
        """
    ),
    "agency": _words(
        """
        Water, Health Insurance, Rural Electrification, Food Safety, Statistics, Skills Development,
        Disaster Management, Roads
        """
    ),
    "adjective": _words(
        """
        Blue River, Sunrise, Highland, Greenfield, Meridian, Northstar, Golden Valley, Atlas,
        Keystone, Crescent, Harbour, Summit, Evergreen, Unity, Horizon, Baobab, Cedar, Silverline,
        Pioneer, Redwood, Lakeside, Coastal, Savanna, Andean, Delta, Orchard, Copperleaf,
        Ironbridge, Bright, Kestrel
        """
    ),
    "industry": _words(
        """
        Foods, Beverages, Telecom, Energy, Pharmaceuticals, Logistics, Mining, Seeds,
        Water Technologies, Bank, Insurance, Mobile, Cement, Textiles, Agritech, Solar, Dairy,
        Coffee
        """
    ),
    "suffix": _words(
        """
        plc, Ltd, Group, Holdings, Inc., Corporation, & Co.
        """
    ),
    "surname": _words(
        """
        Okafor, Mensah, Haddad, Nakamura, Lindqvist, Ferreira, Kowalski, Achterberg, Banerjee,
        Castellanos, Delacroix, Eriksen, Fitzgerald, Gupta, Hartmann, Ibrahim, Jansen, Kariuki,
        Lopez, Moreau, Nwosu, Olsen, Petrova, Quispe, Rahman, Santos, Tanaka, Uchenna, Vasquez,
        Whitfield, Xu, Yilmaz, Zuniga, Abernathy, Bergstrom, Chowdhury, Dlamini, Estrada, Fontaine,
        Gallagher
        """
    ),
    "word": _words(
        """
        Hope, Bridge, Harvest, Lantern, Open Door, Common Ground, Rising, Mosaic, Wellspring,
        Kinship, Anchor, Compass, Seedling, Threshold, Village, Together, Pathways, Shelter,
        Clearwater, Haven
        """
    ),
    "cause": _words(
        """
        Water and Sanitation, Child Health, Food Security, Basic Education, Clean Energy,
        Financial Inclusion, Climate Adaptation, Nutrition, Digital Development, Fair Trade,
        Youth Employment, Gender Equality, Urban Resilience, Disaster Risk Reduction, Forests
        """
    ),
    "group": _words(
        """
        Initiative, Network, Collective, Trust, Society, Coalition, Action
        """
    ),
    "members": _words(
        """
        Rural Women, Health Workers, Small Businesses, Teachers, Water Users, Cooperatives
        """
    ),
    "field": _words(
        """
        Public Health, Water Policy, Agricultural Economics, Development Studies, Energy Systems,
        Education Policy, Climate Science, Nutrition, Digital Innovation, Supply Chain Management
        """
    ),
}

# Case studies ------------------------------------------------------------------------------------

TOPICS = {
    "water": {
        "titles": ["Clean Water", "Water Security", "Safe Water"],
        "people": "rural households",
        "problems": [
            "unreliable access to safe drinking water",
            "water points that broke down within a year of being built",
            "long walks to fetch water, mostly by women and girls",
        ],
        "activities": [
            "repairing and maintaining rural water points",
            "setting up community water committees",
            "piping water to small towns at a fair tariff",
        ],
        "impacts": [
            "{n:,} people gained a reliable water supply",
            "{n:,} water points were brought back into service",
        ],
    },
    "health": {
        "titles": ["Community Health", "Maternal Health", "Health Access"],
        "people": "mothers and young children",
        "problems": [
            "long distances to the nearest clinic",
            "frequent stock-outs of essential medicines",
            "too few trained health workers in rural districts",
        ],
        "activities": [
            "training community health workers",
            "delivering medicines to remote clinics",
            "bringing antenatal care closer to home",
        ],
        "impacts": [
            "{n:,} women gave birth with a skilled attendant",
            "{n:,} patients were treated closer to home",
        ],
    },
    "agriculture": {
        "titles": ["Smallholder Farming", "Farm Markets", "Harvest"],
        "people": "smallholder farmers",
        "problems": [
            "low yields and poor access to markets",
            "post-harvest losses of up to a third of the crop",
            "prices set by a handful of middlemen",
        ],
        "activities": [
            "linking smallholders to large buyers",
            "supplying improved seed with extension advice",
            "building shared storage and drying facilities",
        ],
        "impacts": [
            "{n:,} farmers sold to a regular buyer",
            "{n:,} farming households raised their income",
        ],
    },
    "education": {
        "titles": ["Learning", "Girls' Education", "Better Schools"],
        "people": "children in rural schools",
        "problems": [
            "primary schooling that left many without basic literacy",
            "overcrowded classrooms and untrained teachers",
            "high drop-out among girls of secondary age",
        ],
        "activities": [
            "training teachers in early-grade reading",
            "providing learning materials in local languages",
            "paying bursaries to keep girls in school",
        ],
        "impacts": [
            "{n:,} children reached the expected reading level",
            "{n:,} girls stayed in school to the final grade",
        ],
    },
    "energy": {
        "titles": ["Clean Energy", "Off-Grid Power", "Energy Access"],
        "people": "off-grid households and clinics",
        "problems": [
            "life without electricity",
            "costly and unhealthy kerosene lighting",
            "a national grid that would not reach rural areas for decades",
        ],
        "activities": [
            "installing solar mini-grids",
            "financing household solar kits",
            "training local technicians to maintain equipment",
        ],
        "impacts": [
            "{n:,} households were connected to clean power",
            "{n:,} solar systems were installed and kept running",
        ],
    },
    "finance": {
        "titles": ["Financial Inclusion", "Savings", "Microfinance"],
        "people": "low-income households",
        "problems": [
            "no bank account and no access to credit",
            "no way to borrow at fair rates",
            "remittances eaten up by high transfer fees",
        ],
        "activities": [
            "offering savings accounts by mobile phone",
            "training village savings groups",
            "lending to women-owned small businesses",
        ],
        "impacts": [
            "{n:,} people opened their first account",
            "{n:,} small loans were repaid on time",
        ],
    },
    "climate": {
        "titles": ["Climate Resilience", "Climate Adaptation", "Resilient Communities"],
        "people": "farming and fishing communities",
        "problems": [
            "floods and droughts that wiped out a season's income",
            "eroding coastlines and salt water in the fields",
            "no early warning before extreme weather",
        ],
        "activities": [
            "mapping flood risk with communities",
            "introducing drought insurance for farmers",
            "restoring mangroves and watersheds",
        ],
        "impacts": [
            "{n:,} households were covered by an early-warning system",
            "{n:,} hectares of land were restored",
        ],
    },
    "nutrition": {
        "titles": ["Nutrition", "Food Fortification", "Healthy Diets"],
        "people": "young children and their mothers",
        "problems": [
            "stunting among young children",
            "diets lacking essential vitamins and minerals",
            "seasonal hunger before each harvest",
        ],
        "activities": [
            "fortifying staple foods at the mill",
            "promoting breastfeeding and varied diets",
            "growing and selling nutritious crops locally",
        ],
        "impacts": [
            "{n:,} children were reached with fortified food",
            "{n:,} mothers joined nutrition counselling",
        ],
    },
    "digital inclusion": {
        "titles": ["Digital Inclusion", "Connectivity", "Digital Skills"],
        "people": "young people in small towns",
        "problems": [
            "no affordable internet",
            "schools with no computers or connection",
            "public services that could only be reached online",
        ],
        "activities": [
            "training young people in digital skills",
            "connecting rural schools to the internet",
            "setting up community technology centres",
        ],
        "impacts": [
            "{n:,} people completed digital skills training",
            "{n:,} pupils gained regular internet access at school",
        ],
    },
    "supply chains": {
        "titles": ["Responsible Supply Chains", "Fair Sourcing", "Sustainable Sourcing"],
        "people": "workers on supplier farms and factories",
        "problems": [
            "poor and unsafe working conditions",
            "raw materials that could not be traced to their source",
            "child labour in parts of the supply chain",
        ],
        "activities": [
            "auditing and improving supplier factories",
            "tracing raw materials to the farm",
            "paying a premium for certified produce",
        ],
        "impacts": [
            "{n:,} workers were covered by improved standards",
            "{n:,} suppliers met the agreed code of conduct",
        ],
    },
    "sanitation": {
        "titles": ["Sanitation", "Sanitation Markets", "Clean Cities"],
        "people": "households in informal settlements",
        "problems": [
            "open defecation and unsafe latrines",
            "latrines that filled up with nobody to empty them",
            "waste flowing into rivers and drinking water",
        ],
        "activities": [
            "building and maintaining household latrines",
            "developing a local market for sanitation products",
            "licensing small businesses to empty latrines safely",
        ],
        "impacts": [
            "{n:,} people gained access to a safe toilet",
            "{n:,} latrines were emptied and treated safely",
        ],
    },
    "youth employment": {
        "titles": ["Youth Employment", "Skills for Work", "First Jobs"],
        "people": "young people leaving school",
        "problems": [
            "few jobs or training places after school",
            "employers unable to find staff with the right skills",
            "apprenticeships that led nowhere",
        ],
        "activities": [
            "running apprenticeships with local employers",
            "matching graduates with small businesses",
            "teaching vocational skills that employers asked for",
        ],
        "impacts": [
            "{n:,} young people found work within six months",
            "{n:,} apprentices completed their training",
        ],
    },
}
PARTNERSHIP_NOUNS = _words(
    """
    Partnership, Alliance, Compact, Initiative, Coalition, Programme, Platform, Consortium,
    Challenge, Network
    """
)
PARTNERSHIP_NAMES = ["{place} {title} {noun}", "{title} {noun} for {the_place}", "{title} {noun}"]
GLOBAL_PARTNERSHIP_NAMES = ["Global {title} {noun}", "International {title} {noun}"]
WHY_PARTNER = [
    "Earlier efforts by single organisations had made little lasting difference.",
    "Government budgets covered only part of the need, and donor projects rarely outlasted "
    "their funding.",
    "Companies saw a market but no profitable way to reach it alone.",
    "Each sector held part of the answer, but none could act at scale on its own.",
    "A bad year had made the problem impossible to ignore.",
]
FORMATION_DETAILS = [
    "The partners signed a memorandum of understanding setting out each one's role.",
    "Each partner contributed staff and money, and a small secretariat coordinated the work.",
    "They agreed on shared targets but left each partner free to work its own way.",
    "A steering group with one seat per partner met every quarter.",
    "The lead partner hired a full-time coordinator, paid for by all of them.",
]
OUTCOME_SENTENCES = {
    Outcome.ON_TRACK: [
        "The work has gone broadly to plan: {impact}.",
        "Partners credit candid quarterly reviews and a shared set of indicators.",
        "Because each partner did what it does best, costs stayed below the original budget.",
    ],
    Outcome.MIXED: [
        "Results were uneven: {activity} went well in some places and stalled in others.",
        "So far {impact}, short of the original target.",
        "Partners disagreed for a long time about whether to expand or consolidate.",
    ],
    Outcome.NOT_AS_PLANNED: [
        "In the end only {impact}, well short of the plan.",
    ],
    Outcome.TOO_EARLY: [
        "It is too early to judge the results.",
        "The first phase is under way, and an independent evaluation is planned.",
    ],
}
FAILURE_REASONS = [
    "The partners never agreed who would own and maintain the assets once the project ended.",
    "A change of government brought new priorities, and the ministry withdrew its staff.",
    "The main funder cut its budget after a poor financial year.",
    "Local partners were consulted too late, and communities saw the work as imposed from outside.",
    "Funders' reporting demands took up the time the implementers needed for delivery.",
    "Staff turnover meant that the people who had built trust moved on within two years.",
    "Each partner measured success differently, so nobody could say whether it was working.",
    "A dispute over branding and credit soured relations between the two largest partners.",
    "Procurement rules delayed the first purchases by more than a year.",
    "The business model depended on prices that people could not afford.",
]
STATUS_SENTENCES = {
    Status.FORMING: [
        "The partners are still agreeing on governance and the budget.",
        "A pilot is being designed while the partnership agreement is negotiated.",
    ],
    Status.ACTIVE: [
        "It is still running, with a second phase planned.",
        "The partners renew their agreement every three years.",
    ],
    Status.CONCLUDED: [
        "The partnership concluded in {end_year}, and local authorities took over the running "
        "costs.",
        "The partnership concluded in {end_year}; the implementing partners carried the work on "
        "under their own budgets.",
        "The partnership concluded in {end_year}, and its tools and data were published for "
        "others to use.",
    ],
    Status.DISSOLVED: [
        "The partners dissolved it in {end_year}. Some of the work continues under a single "
        "partner.",
        "The partners dissolved it in {end_year} and shared a frank review of what went wrong.",
    ],
}
OUTCOME_SUMMARIES = {
    Outcome.ON_TRACK: "It has largely met its goals so far.",
    Outcome.MIXED: "Its results have been mixed.",
    Outcome.NOT_AS_PLANNED: "It did not work out as planned, and the partners have shared why.",
    Outcome.TOO_EARLY: "It is too early to judge its results.",
}
# The status a partnership is in, then how it turned out: dissolved ones mostly failed, which
# keeps a healthy share of "did not work out as planned" (about a third) in the sample.
OUTCOMES = {
    Status.FORMING: _Weighted({Outcome.TOO_EARLY: 1}),
    Status.ACTIVE: _Weighted(
        {Outcome.ON_TRACK: 35, Outcome.MIXED: 25, Outcome.NOT_AS_PLANNED: 20, Outcome.TOO_EARLY: 20}
    ),
    Status.CONCLUDED: _Weighted(
        {Outcome.ON_TRACK: 40, Outcome.MIXED: 30, Outcome.NOT_AS_PLANNED: 30}
    ),
    Status.DISSOLVED: _Weighted({Outcome.NOT_AS_PLANNED: 75, Outcome.MIXED: 25}),
}
# Partnerships started long ago are rarely still running.
STATUSES = _Weighted({Status.ACTIVE: 35, Status.CONCLUDED: 45, Status.DISSOLVED: 20})
OLD_STATUSES = _Weighted({Status.ACTIVE: 15, Status.CONCLUDED: 45, Status.DISSOLVED: 20})
RATINGS = {
    Outcome.ON_TRACK: _Weighted(
        {ResultRating.FULLY: 45, ResultRating.LARGELY: 50, ResultRating.PARTLY: 5}
    ),
    Outcome.MIXED: _Weighted(
        {ResultRating.LARGELY: 35, ResultRating.PARTLY: 55, ResultRating.NOT_ACHIEVED: 10}
    ),
    # A partnership can work well as a partnership and still miss its goals.
    Outcome.NOT_AS_PLANNED: _Weighted(
        {ResultRating.LARGELY: 15, ResultRating.PARTLY: 40, ResultRating.NOT_ACHIEVED: 45}
    ),
}
PARTNERSHIP_SUCCESS_TEXTS = {
    ResultRating.FULLY: "Partners describe it as well run: decisions came on time and trust grew "
    "year on year.",
    ResultRating.LARGELY: "It mostly worked well, though decisions slowed whenever a partner "
    "changed its representative.",
    ResultRating.PARTLY: "It held together, but partners often disagreed about priorities and "
    "meetings were poorly attended.",
    ResultRating.NOT_ACHIEVED: "The partnership itself broke down: partners stopped sharing "
    "information and the steering group stopped meeting.",
}
INTERVENTION_IMPACT_TEXTS = {
    ResultRating.FULLY: "It met or exceeded its targets: {impact}.",
    ResultRating.LARGELY: "Most targets were met: {impact}, though fewer than planned.",
    ResultRating.PARTLY: "Only part of the target was reached: {impact}, about half the plan.",
    ResultRating.NOT_ACHIEVED: "Little changed for the people it meant to reach: only {impact}.",
}
PARTNER_COUNTS = _Weighted({2: 15, 3: 30, 4: 30, 5: 15, 6: 10})
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
LEAD_SECTORS = _Weighted(
    {
        Sector.GOVERNMENT: 25,
        Sector.BUSINESS: 20,
        Sector.CIVIL_SOCIETY: 35,
        Sector.PHILANTHROPY: 8,
        Sector.ACADEMIA: 7,
        Sector.MULTILATERAL: 5,
    }
)
# The roles each sector usually plays when it is not the lead.
ROLES = {
    Sector.GOVERNMENT: _Weighted(
        {Role.CONVENER: 4, Role.FUNDER: 3, Role.LOCAL_PARTNER: 3, Role.ADVISER: 1}
    ),
    Sector.BUSINESS: _Weighted(
        {Role.FUNDER: 3, Role.IMPLEMENTER: 3, Role.TECHNICAL_PARTNER: 3, Role.OTHER: 1}
    ),
    Sector.CIVIL_SOCIETY: _Weighted({Role.IMPLEMENTER: 5, Role.LOCAL_PARTNER: 4, Role.ADVISER: 1}),
    Sector.PHILANTHROPY: _Weighted({Role.FUNDER: 6, Role.CONVENER: 2, Role.ADVISER: 1}),
    Sector.ACADEMIA: _Weighted({Role.TECHNICAL_PARTNER: 4, Role.ADVISER: 4, Role.OTHER: 1}),
    Sector.MULTILATERAL: _Weighted({Role.FUNDER: 4, Role.CONVENER: 3, Role.TECHNICAL_PARTNER: 2}),
}
CONTRIBUTIONS = {
    Role.LEAD: [
        "Led the partnership and chaired its steering group.",
        "Set the agenda and hosted the secretariat.",
    ],
    Role.CONVENER: ["Brought the partners together and hosted their meetings."],
    Role.FUNDER: ["Provided most of the funding.", "Co-funded the pilot and the evaluation."],
    Role.IMPLEMENTER: ["Delivered the work on the ground.", "Ran day-to-day operations."],
    Role.LOCAL_PARTNER: ["Brought local knowledge and community relationships."],
    Role.TECHNICAL_PARTNER: [
        "Provided technical expertise and equipment.",
        "Designed the monitoring system.",
    ],
    Role.ADVISER: ["Advised on design and evaluation."],
    Role.OTHER: ["Sat on the steering group."],
}
# Which government role follows from the role a government partner plays.
GOVERNMENT_ROLES = {
    Role.CONVENER: GovernmentRole.CONVENER,
    Role.FUNDER: GovernmentRole.FUNDER,
}
OTHER_GOVERNMENT_ROLES = [
    GovernmentRole.CATALYST,
    GovernmentRole.COLLABORATOR,
    GovernmentRole.REGULATOR,
    GovernmentRole.CONVENER,
]
REJECTION_REASONS = [
    "Duplicate of an existing entry.",
    "Reads as promotional material rather than an account of what happened.",
    "No evidence given for the results described.",
    "The organisations named could not be verified.",
    "Too short to be useful; the submitter did not reply to questions.",
]

# Lessons -----------------------------------------------------------------------------------------

# (tag, noun phrase, number of the report's theme it belongs to). The phrases are singular so
# that every sentence template agrees with them.
CONCEPTS = [
    ("motivations", "a frank talk about why each partner is at the table", 1),
    ("communication", "a shared vocabulary", 1),
    ("expectations", "clear expectations", 1),
    ("champions", "an internal champion in each partner", 2),
    ("leadership", "senior leaders' backing", 2),
    ("internal-support", "support inside each organisation", 2),
    ("staff-continuity", "continuity of staff", 2),
    ("trust", "trust between partners", 3),
    ("information-sharing", "open information sharing", 3),
    ("governance", "a clear governance structure", 3),
    ("decision-rights", "clarity about who decides what", 3),
    ("relationships", "a personal rapport between the leads", 3),
    ("core-competencies", "a plan built on each partner's strengths", 4),
    ("preconceptions", "an honest look at preconceptions about other sectors", 4),
    ("business-case", "a business case for the company partners", 4),
    ("local-context", "knowledge of the local context", 5),
    ("local-partners", "a real voice for local partners", 5),
    ("stakeholders", "community consultation", 5),
    ("transparency", "transparent reporting", 6),
    ("measurement", "an agreed measure of success", 6),
    ("hard-data", "hard data on results", 6),
    ("exit-strategy", "an exit strategy", 6),
    ("government", "a clear role for government", 7),
    ("procurement", "procurement that fits a partnership", 7),
    ("accountability", "accountability to the public", 7),
    ("skills", "training in partnering skills", 8),
    ("adaptability", "room to adapt the plan", 8),
    ("listening", "time for listening", 8),
]
LESSON_TITLES = {
    Experience.WORKED: [
        "Invest in {phrase} early",
        "Put {phrase} in writing from the start",
        "Make {phrase} a standing agenda item",
        "{Phrase} made the difference",
        "Start with {phrase}, not with the budget",
        "Treat {phrase} as part of the work, not an extra",
    ],
    Experience.WENT_WRONG: [
        "We neglected {phrase} and lost a year",
        "Without {phrase}, the work stalled",
        "We assumed {phrase} would take care of itself",
        "Too little attention to {phrase} undermined the partnership",
        "{Phrase} was left to chance, and it showed",
    ],
}
TITLE_ENDINGS = ["", "", " in {topic} partnerships", ": lessons from {place}"]
CONTEXT_OPENINGS = {
    "linked": "{partnership} brought together {count} organisations to work on {activity} in "
    "{place}.",
    "unlinked": "A partnership between {sector} and {other_sector} organisations worked on "
    "{activity} in {place}.",
}
CONTEXT_DETAILS = {
    Experience.WORKED: [
        "Early on, the partners made {phrase} an explicit part of the plan.",
        "The lead partner insisted on {phrase} before any money was spent.",
        "After a difficult first year, the partners stopped and worked on {phrase}.",
    ],
    Experience.WENT_WRONG: [
        "Nobody took responsibility for {phrase}, and the gap showed only when {trigger}.",
        "The partners assumed {phrase} was in place; it was not, and problems surfaced when "
        "{trigger}.",
        "{Phrase} was discussed at the launch and then dropped until {trigger}.",
    ],
}
TRIGGERS = [
    "a key funder withdrew",
    "the first evaluation came in",
    "a new minister took office",
    "the pilot ended",
    "the lead partner's country director left",
    "costs rose sharply in the second year",
]
INSIGHTS = [
    "{Phrase} does not happen by itself: it has to be planned, paid for and revisited.",
    "Partners from different sectors rarely mean the same thing by {phrase}, and the difference "
    "shows only under pressure.",
    "With {phrase}, a partnership survives setbacks that would otherwise end it.",
    "{Phrase} mattered more to the result than the size of the budget.",
    "The cost of neglecting {phrase} is paid late, when it is most expensive to fix.",
]
RECOMMENDATIONS = [
    "Agree on {phrase} at the start and review it {when}.",
    "Name one person in each partner organisation responsible for {phrase}.",
    "Budget time and money for {phrase} from the first year.",
    "Ask each partner, early and openly, what {phrase} would look like for them.",
    "Make {phrase} part of the partnership agreement, and check it {when}.",
]
REVIEW_MOMENTS = [
    "every six months",
    "at each annual review",
    "whenever a partner's representative changes",
    "before each new phase",
]
EVIDENCE = {
    Experience.WORKED: [
        "An external evaluation in {year} found that sites with {phrase} reached {pct}% of their "
        "targets, against {low_pct}% elsewhere.",
        "Partner surveys in {year} rated the partnership {score} out of 5, up from {low_score} "
        "two years earlier.",
        "By {year}, {impact}, ahead of the plan.",
    ],
    Experience.WENT_WRONG: [
        "A review in {year} found that {pct}% of planned activities had been delayed or dropped.",
        "{pct}% of the sites were out of service two years after handover, according to a "
        "{year} survey.",
        "Two of the partners left within eighteen months; the {year} evaluation names this as "
        "the main cause of delay.",
    ],
}
# How often a lesson went wrong, by how its case study turned out.
WENT_WRONG_SHARE = {
    Outcome.ON_TRACK: 0.25,
    Outcome.MIXED: 0.5,
    Outcome.NOT_AS_PLANNED: 0.75,
    Outcome.TOO_EARLY: 0.4,
    None: 0.45,
}
THEME_COUNTS = _Weighted({1: 50, 2: 35, 3: 15})
TAG_COUNTS = _Weighted({1: 15, 2: 25, 3: 30, 4: 20, 5: 10})

# Tags --------------------------------------------------------------------------------------------

# Ordered from general to specific: a tag's place in this list is its rank in the Zipf-like draw,
# so the first few are very common and most of the several hundred are rare.
GENERAL_TAGS = _words(
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
TOPIC_FACETS = _words(
    """
    governance, finance, policy, data, markets, innovation, monitoring, infrastructure, skills,
    standards, local-ownership, partnerships, evaluation, gender, investment
    """
)


def _tag_vocabulary():
    """About 300 lower-case tags, general first, then topics, countries and topic facets."""
    topics = [slugify(topic) for topic in TOPICS]
    countries = [slugify(country) for region in COUNTRIES.values() for country in region]
    facets = [f"{topic}-{facet}" for facet in TOPIC_FACETS for topic in topics if topic != facet]
    vocabulary = []
    for tag in [*GENERAL_TAGS[:10], *topics, *GENERAL_TAGS[10:], *countries, *facets]:
        if tag not in vocabulary:
            vocabulary.append(tag)
    return vocabulary


# Drawing and wording -----------------------------------------------------------------------------


def _zipf(items, exponent=1.0):
    """Weights falling with rank, so the first items dominate and the tail is long."""
    return _Weighted({item: 1 / (rank + 1) ** exponent for rank, item in enumerate(items)})


def _quota_shuffle(rng, count, shares):
    """``count`` labels in exact proportions, shuffled: small samples still get every label."""
    labels = []
    for label, share in shares[1:]:
        labels += [label] * round(count * share)
    labels = [shares[0][0]] * (count - len(labels)) + labels
    rng.shuffle(labels)
    return labels


def _capitalise(text):
    return text[:1].upper() + text[1:]


def _join(words):
    """Join words as English does: "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _in_prose(place):
    return f"the {place}" if place in NAMES_WITH_THE else place


def _sample_slug(text, number):
    # Leave room for the prefix and the number within the 200 characters a slug may have.
    return f"{SAMPLE_PREFIX}{slugify(text)[:150].rstrip('-')}-{number}"


# Moderation --------------------------------------------------------------------------------------


def _moderation_plan(rng, count):
    """The moderation status of each of ``count`` rows: about 90% published, 6% pending."""
    rejected_share = 1 - PUBLISHED_SHARE - PENDING_SHARE
    shares = [
        (ModerationStatus.PUBLISHED, PUBLISHED_SHARE),
        (ModerationStatus.PENDING, PENDING_SHARE),
        (ModerationStatus.REJECTED, rejected_share),
    ]
    return _quota_shuffle(rng, count, shares)


def _moderation_fields(rng, status, today):
    """Status, dates and reason for one row; pending rows are recent, published ones spread."""
    if status == ModerationStatus.PENDING:
        created_at = today - timedelta(minutes=rng.randrange(60 * 24 * 60))
        return {"moderation_status": status, "created_at": created_at}
    created_at = today - timedelta(minutes=rng.randrange(int(PUBLISHED_SPAN.total_seconds() // 60)))
    fields = {"moderation_status": status, "created_at": created_at}
    if status == ModerationStatus.PUBLISHED:
        fields["published_at"] = created_at + timedelta(minutes=rng.randrange(60 * 24 * 14))
        fields["published_at"] = min(fields["published_at"], today)
    else:
        fields["rejection_reason"] = rng.choice(REJECTION_REASONS)
    return fields


# Organisations -----------------------------------------------------------------------------------


@dataclass(eq=False)  # compared and hashed by identity: each one is a distinct organisation
class _Member:
    """An organisation in the pool, with what partnerships need to pick it."""

    organisation: Organisation
    region: str | None
    weight: float


class _Pool:
    """The organisations partnerships draw on, picked by sector and, for local ones, region."""

    def __init__(self, members):
        self.members = members
        self.by_sector = self._index(lambda member: member.organisation.sector)
        self.by_sector_region = self._index(
            lambda member: (member.organisation.sector, member.region)
        )

    def _index(self, key):
        groups = {}
        for member in self.members:
            groups.setdefault(key(member), []).append(member)
        return {key: _Weighted({m: m.weight for m in group}) for key, group in groups.items()}

    def pick(self, rng, sector, region, exclude):
        """A partner of this sector not yet in ``exclude``, local to the region where possible."""
        local = self.by_sector_region.get((sector, region))
        choices = local if local and rng.random() < 0.85 else self.by_sector.get(sector)
        for _attempt in range(10):
            member = choices.draw(rng)
            if member not in exclude:
                return member
        # This sector is used up in this partnership: take anyone not yet in it.
        return rng.choice([m for m in self.members if m not in exclude])


def _organisation_name(rng, sector, region, country, city):
    parts = {key: rng.choice(values) for key, values in NAME_PARTS.items()}
    parts["other_surname"] = rng.choice(NAME_PARTS["surname"])
    parts.update(country=country, city=city, region=REGION_ADJECTIVES[region])
    return rng.choice(ORGANISATION_NAMES[sector]).format(**parts)


def _unique_organisation_name(rng, sector, region, country, city, taken):
    for _attempt in range(30):
        name = _organisation_name(rng, sector, region, country, city)
        if name not in taken:
            return name
    # The word lists ran out of combinations for this sector: number the name instead.
    return next(f"{name} {n}" for n in range(2, len(taken) + 3) if f"{name} {n}" not in taken)


def _build_pool(rng, size):
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
            slug=_sample_slug(name, number),
            sector=sector,
            country="" if is_multilateral else country,
            description=SECTOR_DESCRIPTIONS[sector].format(country=country) + ".",
            is_sample=True,
        )
        # A few organisations turn up in many partnerships, as the big players do.
        weight = rng.paretovariate(2)
        members.append(_Member(organisation, None if is_multilateral else region, weight))
    return _Pool(members)


# Case studies ------------------------------------------------------------------------------------


@dataclass
class _CaseStudy:
    """A partnership with what its participations, tags and lessons are built from."""

    partnership: Partnership
    partners: list  # of (_Member, role, contribution); the first one leads
    topic: str
    place: str
    tags: list


def _places(rng, region):
    """The countries a partnership works in, and how its name refers to them."""
    if region == Region.GLOBAL:
        regions = rng.sample(list(COUNTRIES), rng.randint(2, 4))
        countries = [rng.choice(list(COUNTRIES[r])) for r in regions]
        return countries, "Global", "several countries"
    in_region = list(COUNTRIES[region])
    count = min(len(in_region), COUNTRY_COUNTS.draw(rng))
    countries = rng.sample(in_region, count)
    name_place = countries[0] if len(countries) == 1 else Region(region).label
    return countries, name_place, _join([_in_prose(country) for country in countries])


def _years_and_status(rng):
    start_year = rng.randint(1995, 2025)
    if start_year >= 2024:
        status = rng.choice([Status.FORMING, Status.ACTIVE])
    else:
        status = (OLD_STATUSES if start_year < 2008 else STATUSES).draw(rng)
    end_year = None
    if status in (Status.CONCLUDED, Status.DISSOLVED):
        end_year = min(2025, start_year + rng.randint(1, 8))
    return start_year, end_year, status


def _pick_partners(rng, pool, region):
    """2-6 distinct organisations from at least two sectors; the first one leads."""
    count = PARTNER_COUNTS.draw(rng)
    lead_sector = LEAD_SECTORS.draw(rng)
    second_sector = POOL_SECTORS.draw(rng)
    while second_sector == lead_sector:
        second_sector = POOL_SECTORS.draw(rng)
    wanted = [lead_sector, second_sector] + [POOL_SECTORS.draw(rng) for _ in range(count - 2)]
    chosen = []
    for sector in wanted:
        chosen.append(pool.pick(rng, sector, region, chosen))
    roles = [Role.LEAD] + [ROLES[m.organisation.sector].draw(rng) for m in chosen[1:]]
    return [
        (member, role, rng.choice(CONTRIBUTIONS[role]))
        for member, role in zip(chosen, roles, strict=True)
    ]


def _government_role(rng, partners):
    for member, role, _contribution in partners:
        if member.organisation.sector == Sector.GOVERNMENT:
            return GOVERNMENT_ROLES.get(role) or rng.choice(OTHER_GOVERNMENT_ROLES)
    return ""


def _ratings(rng, outcome, impact):
    """The two result ratings and their one-sentence texts; none while it is too early."""
    if outcome == Outcome.TOO_EARLY:
        return {}
    weights = RATINGS[outcome]
    fields = {}
    if rng.random() < 0.9:
        rating = weights.draw(rng)
        fields["partnership_success_rating"] = rating
        fields["partnership_success"] = PARTNERSHIP_SUCCESS_TEXTS[rating]
    if rng.random() < 0.9:
        rating = weights.draw(rng)
        fields["intervention_impact_rating"] = rating
        fields["intervention_impact"] = INTERVENTION_IMPACT_TEXTS[rating].format(impact=impact)
    return fields


def _story(rng, words, partners, outcome, status):
    """Four or five paragraphs: the problem, the partners, what happened, where it stands."""
    names = [member.organisation.name for member, _role, _contribution in partners]
    paragraphs = [
        f"In {words['place']}, {words['people']} faced {words['problem']}. "
        + rng.choice(WHY_PARTNER),
        f"In {words['start_year']}, {names[0]} joined forces with {_join(names[1:])} to work on "
        f"{words['activity']}. " + rng.choice(FORMATION_DETAILS),
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


def _build_case_study(rng, number, pool, tags):
    """One partnership, in memory, with its partners and tags."""
    topic = rng.choice(list(TOPICS))
    facts = TOPICS[topic]
    region = REGIONS.draw(rng)
    countries, name_place, story_place = _places(rng, region)
    start_year, end_year, status = _years_and_status(rng)
    outcome = OUTCOMES[status].draw(rng)
    partners = _pick_partners(rng, pool, region)
    words = {
        "place": story_place,
        "people": facts["people"],
        "problem": rng.choice(facts["problems"]),
        "activity": rng.choice(facts["activities"]),
        "impact": rng.choice(facts["impacts"]).format(n=rng.randrange(200, 60000, 50)),
        "start_year": start_year,
        "end_year": end_year,
    }
    templates = GLOBAL_PARTNERSHIP_NAMES if region == Region.GLOBAL else PARTNERSHIP_NAMES
    name = rng.choice(templates).format(
        place=name_place,
        the_place=_in_prose(name_place),
        title=rng.choice(facts["titles"]),
        noun=rng.choice(PARTNERSHIP_NOUNS),
    )
    sectors = list(
        dict.fromkeys(
            SECTOR_ADJECTIVES[m.organisation.sector] for m, _role, _contribution in partners
        )
    )
    summary = (
        f"A partnership of {NUMBER_WORDS[len(partners)]} {_join(sectors)} organisations working on "
        f"{words['activity']} in {story_place}. {OUTCOME_SUMMARIES[outcome]}"
    )
    partnership = Partnership(
        name=name,
        slug=_sample_slug(name, number),
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
        **_ratings(rng, outcome, words["impact"]),
    )
    tag_names = tags.draw_distinct(rng, TAG_COUNTS.draw(rng), first=[slugify(topic)])
    return _CaseStudy(partnership, partners, topic, story_place, tag_names)


def _build_case_studies(rng, count, pool, tags, today):
    statuses = _moderation_plan(rng, count)
    case_studies = []
    for number, status in enumerate(statuses, start=1):
        case_study = _build_case_study(rng, number, pool, tags)
        for field, value in _moderation_fields(rng, status, today).items():
            setattr(case_study.partnership, field, value)
        case_studies.append(case_study)
    published = [c.partnership for c in case_studies if c.partnership.is_published]
    for partnership in rng.sample(published, round(len(published) * FEATURED_SHARE)):
        partnership.featured = True
    return case_studies


# Lessons -----------------------------------------------------------------------------------------


def _lesson_texts(rng, experience, concept, case_study, themes_words):
    """Title and the four parts of a lesson, from its concept and, if any, its case study."""
    _tag, phrase, _theme = concept
    words = {"phrase": phrase, "Phrase": _capitalise(phrase), **themes_words}
    title = rng.choice(LESSON_TITLES[experience]).format(**words)
    title += rng.choice(TITLE_ENDINGS).format(**words)
    opening = CONTEXT_OPENINGS["linked" if case_study else "unlinked"].format(**words)
    detail = rng.choice(CONTEXT_DETAILS[experience]).format(trigger=rng.choice(TRIGGERS), **words)
    evidence = ""
    if rng.random() < 0.9:
        evidence = rng.choice(EVIDENCE[experience]).format(
            pct=rng.randint(55, 95) if experience == Experience.WORKED else rng.randint(20, 60),
            low_pct=rng.randint(20, 50),
            score=rng.choice(["3.8", "4.1", "4.4"]),
            low_score=rng.choice(["2.6", "2.9", "3.1"]),
            **words,
        )
    return {
        "title": title,
        "context": f"{opening} {detail}",
        "insight": rng.choice(INSIGHTS).format(**words),
        "recommendation": rng.choice(RECOMMENDATIONS).format(
            when=rng.choice(REVIEW_MOMENTS), **words
        ),
        "evidence": evidence,
    }


def _lesson_words(rng, case_study):
    """The facts a lesson's sentences refer to: its case study's, or made up for it."""
    if case_study:
        partnership = case_study.partnership
        topic = case_study.topic
        place = case_study.place
        first_year = partnership.start_year + 1
        words = {"partnership": partnership.name, "count": NUMBER_WORDS[len(case_study.partners)]}
    else:
        topic = rng.choice(list(TOPICS))
        region = rng.choice(list(COUNTRIES))
        place = _in_prose(rng.choice(list(COUNTRIES[region])))
        first_year = rng.randint(2000, 2024)
        sector, other_sector = rng.sample(list(SECTOR_ADJECTIVES.values()), 2)
        words = {"sector": sector, "other_sector": other_sector}
    facts = TOPICS[topic]
    words.update(
        topic=topic,
        place=place,
        activity=rng.choice(facts["activities"]),
        impact=rng.choice(facts["impacts"]).format(n=rng.randrange(200, 60000, 50)),
        year=rng.randint(min(first_year, 2025), 2025),
    )
    return words


def _build_lesson(rng, number, status, case_study, themes, tags, today):
    """One lesson, in memory, with the themes and tag names to link it to."""
    outcome = case_study.partnership.outcome if case_study else None
    went_wrong = rng.random() < WENT_WRONG_SHARE[outcome]
    experience = Experience.WENT_WRONG if went_wrong else Experience.WORKED
    concept = rng.choice(CONCEPTS)
    texts = _lesson_texts(rng, experience, concept, case_study, _lesson_words(rng, case_study))
    lesson = Lesson(
        slug=_sample_slug(texts["title"], number),
        experience=experience,
        partnership=case_study.partnership if case_study else None,
        is_sample=True,
        **texts,
        **_moderation_fields(rng, status, today),
    )
    # The concept's own theme first, when the report's themes are there to file it under.
    primary = themes["by_number"].get(concept[2]) or themes["all"].draw(rng)
    lesson_themes = themes["all"].draw_distinct(rng, THEME_COUNTS.draw(rng), first=[primary])
    # Most lessons carry their concept's tag; the rest of the tags follow the long tail.
    first_tags = [concept[0]] if rng.random() < 0.6 else []
    tag_names = tags.draw_distinct(rng, TAG_COUNTS.draw(rng), first=first_tags)
    return lesson, lesson_themes, tag_names


# Tags --------------------------------------------------------------------------------------------


class _TagStore:
    """Tags by lower-case name: existing rows are reused, missing ones created in bulk."""

    def __init__(self, vocabulary):
        slugs = {slugify(name): name for name in vocabulary}
        existing = Tag.objects.annotate(lower_name=Lower("name")).filter(
            Q(lower_name__in=vocabulary) | Q(slug__in=slugs)
        )
        self.by_name = {}
        # Match on the slug too: "Local context" already owns the slug "local-context".
        for tag in existing:
            self.by_name[tag.lower_name] = tag
            self.by_name.setdefault(slugs.get(tag.slug), tag)
        self.created = 0

    def get(self, names):
        """The Tag rows for these names, creating any that do not exist yet."""
        missing = list(dict.fromkeys(name for name in names if name not in self.by_name))
        if missing:
            new = Tag.objects.bulk_create(
                [Tag(name=name, slug=slugify(name)) for name in missing], batch_size=BATCH_SIZE
            )
            self.by_name.update(zip(missing, new, strict=True))
            self.created += len(new)
        return [self.by_name[name] for name in names]


# Writing -----------------------------------------------------------------------------------------


def _assign_ids(model, objs):
    """Give new rows their primary keys up front, so their children can be written first.

    Why: the search index's triggers (the lessons app's search_index migration) re-index a lesson
    or case study for every tag or partner added after it, re-reading its whole text each time,
    which made tag links the slowest part of a large run. Written before their parent, they are
    indexed once, with it. Foreign keys are checked at commit, so the order is allowed. On SQLite
    the transaction holds the write lock from its start, so nobody else takes these keys
    meanwhile; elsewhere a concurrent insert would fail the run, never corrupt it.
    """
    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    for pk, obj in enumerate(objs, start=start):
        obj.pk = pk


def _reset_sequences(models):
    """Move the databases' id sequences past keys assigned here, as loaddata does."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _save_case_studies(case_studies, tag_store):
    """Write the organisations used, then each partnership's partners and tags, then it."""
    used = list(dict.fromkeys(partner[0] for c in case_studies for partner in c.partners))
    Organisation.objects.bulk_create([m.organisation for m in used], batch_size=BATCH_SIZE)
    partnerships = [c.partnership for c in case_studies]
    _assign_ids(Partnership, partnerships)
    participations = [
        Participation(
            partnership_id=c.partnership.pk,
            organisation_id=member.organisation.pk,
            role=role,
            contribution=contribution,
        )
        for c in case_studies
        for member, role, contribution in c.partners
    ]
    Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
    tag_rows = iter(tag_store.get([name for c in case_studies for name in c.tags]))
    links = [
        TaggedPartnership(content_object_id=c.partnership.pk, tag_id=next(tag_rows).pk)
        for c in case_studies
        for _name in c.tags
    ]
    TaggedPartnership.objects.bulk_create(links, batch_size=BATCH_SIZE)
    Partnership.objects.bulk_create(partnerships, batch_size=BATCH_SIZE)
    return {"organisations": len(used), "participations": len(participations), "tags": len(links)}


def _save_lessons(built, tag_store):
    """Write one chunk of lessons: their theme and tag links first, then the lessons."""
    lessons = [lesson for lesson, _themes, _tags in built]
    _assign_ids(Lesson, lessons)
    ThemeLink = Lesson.themes.through
    theme_links = [
        ThemeLink(lesson_id=lesson.pk, theme_id=theme.pk)
        for lesson, themes, _tags in built
        for theme in themes
    ]
    ThemeLink.objects.bulk_create(theme_links, batch_size=BATCH_SIZE)
    tag_rows = iter(tag_store.get([name for _lesson, _themes, tags in built for name in tags]))
    links = [
        TaggedLesson(content_object_id=lesson.pk, tag_id=next(tag_rows).pk)
        for lesson, _themes, tags in built
        for _name in tags
    ]
    TaggedLesson.objects.bulk_create(links, batch_size=BATCH_SIZE)
    Lesson.objects.bulk_create(lessons, batch_size=BATCH_SIZE)
    return len(links)


def _generate(rng, partnership_count, lesson_count):
    """Build and write all the sample rows; returns what was created, for the summary."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    vocabulary = _tag_vocabulary()
    tags = _zipf(vocabulary)
    tag_store = _TagStore(vocabulary)
    counts = {"organisations": 0, "participations": 0, "tags": 0}
    case_studies = []
    if partnership_count:
        pool = _build_pool(rng, max(20, partnership_count // 3))
        case_studies = _build_case_studies(rng, partnership_count, pool, tags, today)
        counts.update(_save_case_studies(case_studies, tag_store))
    # Lessons quote published case studies only: a public lesson cannot point to a hidden one.
    published = [c for c in case_studies if c.partnership.is_published]
    all_themes = list(Theme.objects.order_by("number"))
    themes = {
        "all": _Weighted(dict.fromkeys(all_themes, 1)),
        "by_number": {theme.number: theme for theme in all_themes},
    }
    statuses = _moderation_plan(rng, lesson_count)
    for start in range(0, lesson_count, LESSON_CHUNK):
        built = []
        for number, status in enumerate(statuses[start : start + LESSON_CHUNK], start=start + 1):
            linked = published and rng.random() < LINKED_LESSON_SHARE
            case_study = rng.choice(published) if linked else None
            built.append(_build_lesson(rng, number, status, case_study, themes, tags, today))
        counts["tags"] += _save_lessons(built, tag_store)
        # With DEBUG on, Django keeps the SQL of every query, and these are long: let it go.
        reset_queries()
    _reset_sequences([Partnership, Lesson])
    counts["new tags"] = tag_store.created
    return counts


# Clearing ----------------------------------------------------------------------------------------

# The columns the search index's triggers (the lessons app's search_index migration) re-index
# when they change.
SEARCHED_LESSON_TEXT = ["title", "context", "insight", "recommendation", "evidence"]
SEARCHED_PARTNERSHIP_TEXT = [
    "name",
    "summary",
    "story",
    "partnership_success",
    "intervention_impact",
    "countries",
]


def _sample_counts():
    return {
        "lessons": Lesson.objects.filter(is_sample=True).count(),
        "partnerships": Partnership.objects.filter(is_sample=True).count(),
        "organisations": Organisation.objects.filter(is_sample=True).count(),
    }


def _clear():
    """Delete the sample rows, lessons first; returns how many of each went.

    The searchable text is blanked first. Deletion removes each row's tags and partners before
    the row itself, and the search index's triggers re-index the row after every one of them;
    a blank row re-indexes in next to no time, which nearly halves the time a large clear takes.
    """
    lessons = Lesson.objects.filter(is_sample=True)
    lessons.update(**dict.fromkeys(SEARCHED_LESSON_TEXT, ""))
    partnerships = Partnership.objects.filter(is_sample=True)
    partnerships.update(**dict.fromkeys(SEARCHED_PARTNERSHIP_TEXT, ""))
    lessons = lessons.delete()[1].get("lessons.Lesson", 0)
    partnerships = partnerships.delete()[1]
    # A curator may have added a sample organisation to a real case study: that one stays.
    organisations = Organisation.objects.filter(is_sample=True, participations__isnull=True)
    return {
        "lessons": lessons,
        "partnerships": partnerships.get("alliances.Partnership", 0),
        "organisations": organisations.delete()[1].get("alliances.Organisation", 0),
    }


class Command(BaseCommand):
    help = (
        "Generate realistic, repeatable sample organisations, case studies, lessons and tags, "
        "marked as sample data. --clear removes exactly the sample rows first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=0, help="How many case studies.")
        parser.add_argument("--lessons", type=int, default=0, help="How many lessons.")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"The same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--clear", action="store_true", help="Remove existing sample data (and only that)."
        )

    def handle(self, *args, partnerships, lessons, seed, clear, **options):
        if partnerships < 0 or lessons < 0:
            raise CommandError("--partnerships and --lessons cannot be negative.")
        if not (clear or partnerships or lessons):
            raise CommandError("Nothing to do: give --partnerships and --lessons, or --clear.")
        started = time.perf_counter()
        parts = []
        with transaction.atomic():
            if clear:
                removed = _clear()
                parts.append(
                    f"Removed {removed['lessons']} lessons, {removed['partnerships']} "
                    f"partnerships and {removed['organisations']} organisations."
                )
            elif any((existing := _sample_counts()).values()):
                raise CommandError(
                    f"Sample data already exists ({existing['lessons']} lessons, "
                    f"{existing['partnerships']} partnerships, {existing['organisations']} "
                    "organisations). Pass --clear to replace it."
                )
            if partnerships or lessons:
                parts.append(self._generate(seed, partnerships, lessons, options["verbosity"]))
        # After a bulk load, fresh statistics let the query planner pick the right indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        parts.append(f"({time.perf_counter() - started:.1f}s)")
        self.stdout.write(self.style.SUCCESS(" ".join(parts)))

    def _generate(self, seed, partnership_count, lesson_count, verbosity):
        if not Theme.objects.exists():
            call_command("load_report", stdout=self.stdout, verbosity=verbosity)
        counts = _generate(random.Random(seed), partnership_count, lesson_count)
        return (
            f"Created {counts['organisations']} organisations, {partnership_count} partnerships "
            f"({counts['participations']} participations), {lesson_count} lessons, "
            f"{counts['tags']} tag links and {counts['new tags']} new tags."
        )
