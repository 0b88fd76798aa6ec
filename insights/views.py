from django.shortcuts import render

from core.breadcrumbs import breadcrumbs
from insights.data import charts, counts


def insights(request):
    """/insights/: the published content counted and drawn as charts, with their data."""
    context = {**charts(counts()), **breadcrumbs("Insights")}
    return render(request, "insights/insights.html", context)
