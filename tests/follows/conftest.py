import pytest


@pytest.fixture(autouse=True)
def digests_read_up_to_now(settings):
    """Digests list what was published up to the run (no settling delay) in these tests."""
    settings.FOLLOW_DIGEST_SETTLE_SECONDS = 0
