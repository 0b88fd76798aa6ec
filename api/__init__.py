"""The read-only JSON API under /api/v1/: published content only, for machines."""
