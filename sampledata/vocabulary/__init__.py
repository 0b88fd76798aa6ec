"""The words the sample is written with, split by subject.

Nothing here is random: these are the tables the builders draw from, kept apart from the code
so that either can be read without the other. How often each choice is drawn lives in
sampledata/distributions.py.
"""


def words(text: str) -> list[str]:
    """A list written as comma-separated lines, so that long word lists stay short here."""
    return [word.strip() for line in text.splitlines() for word in line.split(",") if word.strip()]
