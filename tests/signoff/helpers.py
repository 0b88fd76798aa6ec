"""Case studies with partner contacts, as the submission form leaves them."""

from alliances.models import Partnership, PartnerSignoff
from core import history


def with_contacts(partnership: Partnership, *emails: str) -> list[PartnerSignoff]:
    """Give the case study's partners (in the order stored) these contacts."""
    with history.revision(by_contributor=True, comment="Test contacts."):
        return [
            PartnerSignoff.objects.create(participation=participation, contact_email=email)
            for participation, email in zip(
                partnership.participations.order_by("pk"), emails, strict=False
            )
        ]


def contact_data(*emails: str) -> dict:
    """The submission form's contact fields for the first partner rows."""
    return {f"partners-{index}-contact_email": email for index, email in enumerate(emails)}
