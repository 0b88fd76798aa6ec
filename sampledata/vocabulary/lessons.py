"""Lessons: the concepts they are about and the sentences each part of a lesson is made of."""

from lessons.models import Experience

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
