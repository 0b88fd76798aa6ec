import pytest


@pytest.fixture(autouse=True)
def digests_read_up_to_now(settings):
    """Digests list what was published up to the run (no settling delay) in these tests."""
    settings.FOLLOW_DIGEST_SETTLE_SECONDS = 0


@pytest.fixture(autouse=True)
def many_requests_from_the_test_client(settings):
    """The tests ask from one client many times; the limit tests set their own."""
    settings.FOLLOWS_PER_HOUR = 10_000
    settings.FOLLOWS_PER_ADDRESS_PER_HOUR = 10_000
