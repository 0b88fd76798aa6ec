"""Made-up sample data: organisations, case studies, lessons and tags, marked as sample."""
