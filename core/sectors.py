"""The sectors partners come from: used by organisations, contributors and facets."""

from django.db import models


class Sector(models.TextChoices):
    GOVERNMENT = "government", "Government"
    BUSINESS = "business", "Business"
    CIVIL_SOCIETY = "civil_society", "Civil society"
    PHILANTHROPY = "philanthropy", "Philanthropy"
    ACADEMIA = "academia", "Academia"
    MULTILATERAL = "multilateral", "Multilateral institution"
