"""Case studies: partnership names, the sentences their stories are told in, partners' roles."""

from alliances.models import GovernmentRole, Outcome, ResultRating, Role, Status
from sampledata.vocabulary import words

PARTNERSHIP_NOUNS = words(
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
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
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
