"""What core's services announce to the apps above it, which core may not import.

Receivers run in the sender's transaction, so what they write (a queued email, an erased
address) commits or rolls back with the change itself.
"""

from django.dispatch import Signal

# Sent by the moderation services once items of one model are published (the bulk action,
# core.services.moderation_publish, or an admin form's change of state), with
# ``items``: the published rows; and when an admin form saves an item that stays published,
# after its inlines, so receivers must act once only. The sign-off app asks each case study's
# partners not yet asked then.
published = Signal()

# Sent by contributor_erase with ``items``: the rows whose contributor's details were
# erased; what an app above keeps of theirs (a case study's partner contacts) goes too.
contributor_erased = Signal()
