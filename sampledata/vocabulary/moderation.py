"""Moderation: why a curator turned a sample case study or lesson down."""

REJECTION_REASONS = [
    "Duplicate of an existing entry.",
    "Reads as promotional material rather than an account of what happened.",
    "No evidence given for the results described.",
    "The organisations named could not be verified.",
    "Too short to be useful; the submitter did not reply to questions.",
]
