from django.apps import AppConfig


class HealthCheckConfig(AppConfig):
    name = "healthcheck"
    verbose_name = "Partnership health checks"
