"""gunicorn's settings for `make serve` and the systemd unit in docs/deploy/.

The address and the number of workers are given on the command line; what is here holds
for every deployment: an access log on standard output with private links' secrets
redacted, and time for requests in flight to finish on a restart.
"""

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from core.privacy import PrivateLinkFilter

PRIVATE_LINKS = PrivateLinkFilter()


class PrivateLinkLogger(Logger):
    """gunicorn's logger, with private links' secrets (status pages, health-check results and
    the health check's `compare` parameter) redacted from the access and error logs, in the
    request line, the referrer and any other field a log format names."""

    def setup(self, cfg):
        super().setup(cfg)
        # The same filter object each time, so a configuration reload does not stack copies.
        self.access_log.addFilter(PRIVATE_LINKS)
        self.error_log.addFilter(PRIVATE_LINKS)


logger_class = PrivateLinkLogger
accesslog = "-"
graceful_timeout = 20
