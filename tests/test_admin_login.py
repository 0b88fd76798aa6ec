"""The admin login's lockout (django-axes): failures counted in the database per account
and per address, a clear page for the locked out, unlocking by cool-off or by command.

Every attempt goes through the real admin login form, for real users.
"""

from datetime import timedelta
from unicodedata import normalize

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import AxesAwareClient
from tests.test_settings import run_django

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "pw-curator-1"
HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.20"
WRONG_PASSWORD_ERROR = "Please enter the correct username and password"
LIMIT = django_settings.AXES_FAILURE_LIMIT
COOL_OFF = django_settings.AXES_COOLOFF_TIME
LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts: this account is locked for "
    f"{django_settings.LOGIN_COOLOFF_MINUTES} minutes."
)

# Examples are drawn the same way on every run, and kept few: each is a dozen logins.
BOUNDED = hypothesis_settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
addresses = st.ip_addresses().map(str)
# Usernames as the login form passes them on to authenticate() (stripped, then NFKC), any
# script; without control characters or white space, which the form refuses (NUL, blanks)
# or strips before any password is checked.
usernames = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Zs", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(lambda text: normalize("NFKC", text.strip()))
    .filter(lambda name: name != "curator")
)
wrong_passwords = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda password: password != PASSWORD)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The real hasher costs a second of CPU per login for nothing tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "e@example.org", "pw-editor-1", is_staff=True
    )


def log_in(client, username, password, address=HOME, **headers):
    """Post the admin login form as a visitor from `address`."""
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": INDEX},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == INDEX


def assert_locked_out(response, username="curator"):
    page = response.content.decode()
    assert response.status_code == 429
    assert "admin/login_locked_out.html" in [template.name for template in response.templates]
    assert LOCKOUT_MESSAGE in page
    assert "ask a site administrator to unlock your account" in page
    # Not axes' bare default, no login form to keep guessing with, and nothing that says
    # whether the account exists.
    assert "Account locked: too many login attempts" not in page
    assert 'name="password"' not in page
    assert username not in page


def fail(client, username, times, address=HOME):
    """Send `times` wrong passwords; each is answered with the form's usual error."""
    for attempt in range(times):
        response = log_in(client, username, f"wrong-{attempt}", address)
        assert response.status_code == 200, attempt
        assert WRONG_PASSWORD_ERROR in response.content.decode()


def lock_out(client, username, address=HOME):
    fail(client, username, LIMIT - 1, address)
    assert_locked_out(log_in(client, username, "one-wrong-too-many", address), username)


def test_after_the_failure_limit_even_the_right_password_is_refused(client, curator):
    fail(client, "curator", LIMIT - 1)
    assert_locked_out(log_in(client, "curator", "the-last-wrong-one"))

    right = log_in(client, "curator", PASSWORD)

    assert_locked_out(right)
    assert "_auth_user_id" not in client.session
    assert client.get(INDEX).status_code == 302


def test_below_the_limit_the_right_password_signs_in(client, curator):
    fail(client, "curator", LIMIT - 1)

    assert signed_in(log_in(client, "curator", PASSWORD))
    assert client.get(INDEX).status_code == 200


@BOUNDED
@given(guessed_from=st.lists(addresses, min_size=LIMIT + 1, max_size=LIMIT + 1, unique=True))
def test_guessing_one_account_from_many_addresses_locks_that_account_only(
    curator, editor, guessed_from
):
    AccessAttempt.objects.all().delete()
    *guessers, visitor = guessed_from
    for attempt, address in enumerate(guessers):
        log_in(AxesAwareClient(), "curator", f"guess-{attempt}", address)

    assert_locked_out(log_in(AxesAwareClient(), "curator", PASSWORD, visitor))
    # The lock is on the account: another account from the same addresses signs in.
    assert signed_in(log_in(AxesAwareClient(), "editor", "pw-editor-1", guessers[0]))


@BOUNDED
@given(
    guessed=st.lists(usernames, min_size=LIMIT + 1, max_size=LIMIT + 1, unique=True),
    passwords=st.lists(wrong_passwords, min_size=LIMIT + 1, max_size=LIMIT + 1),
    address=addresses,
)
def test_guessing_many_accounts_from_one_address_locks_that_address_only(
    curator, guessed, passwords, address
):
    AccessAttempt.objects.all().delete()
    other_address = "2001:db8::7" if address != "2001:db8::7" else "2001:db8::8"
    guesser = AxesAwareClient()
    for username, password in list(zip(guessed, passwords, strict=True))[: LIMIT - 1]:
        response = log_in(guesser, username, password, address)
        assert response.status_code == 200
        assert WRONG_PASSWORD_ERROR in response.content.decode()
    assert_locked_out(log_in(guesser, guessed[LIMIT - 1], passwords[LIMIT - 1], address))

    assert_locked_out(log_in(AxesAwareClient(), "curator", PASSWORD, address))
    # The lock is on the address: the curator signs in from anywhere else.
    assert signed_in(log_in(AxesAwareClient(), "curator", PASSWORD, other_address))


def test_the_lockout_page_is_the_same_whether_or_not_the_account_exists(client, curator):
    lock_out(client, "curator", HOME)
    lock_out(client, "nobody-by-this-name", ELSEWHERE)

    existing = log_in(client, "curator", PASSWORD, HOME)
    missing = log_in(client, "nobody-by-this-name", PASSWORD, ELSEWHERE)

    assert_locked_out(existing)
    assert_locked_out(missing, "nobody-by-this-name")
    assert existing.content == missing.content


def age_failures(by):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


def test_after_the_cool_off_the_right_password_signs_in(client, curator):
    cool_off = COOL_OFF
    lock_out(client, "curator")

    age_failures(cool_off - timedelta(minutes=1))
    assert_locked_out(log_in(client, "curator", PASSWORD))
    # That attempt, made while locked, started the cool-off again, as the page says.
    age_failures(cool_off - timedelta(minutes=1))
    assert_locked_out(log_in(client, "curator", PASSWORD))

    age_failures(cool_off + timedelta(seconds=1))
    assert signed_in(log_in(client, "curator", PASSWORD))


@pytest.mark.parametrize(
    "command",
    [("axes_reset",), ("axes_reset_username", "curator"), ("axes_reset_ip", HOME)],
    ids=lambda command: command[0],
)
def test_an_administrator_unlocks_with_a_command(client, curator, command):
    lock_out(client, "curator")

    call_command(*command, verbosity=0)

    assert not AccessAttempt.objects.exists()
    assert signed_in(log_in(client, "curator", PASSWORD))


def test_the_lockout_holds_for_another_client_with_the_cache_emptied(curator):
    lock_out(AxesAwareClient(), "curator", HOME)
    cache.clear()

    assert_locked_out(log_in(AxesAwareClient(), "curator", PASSWORD, ELSEWHERE))
    assert AccessAttempt.objects.get(ip_address=HOME).failures_since_start == LIMIT


def test_a_successful_login_clears_the_failures_of_that_account_and_address(curator):
    fail(AxesAwareClient(), "curator", LIMIT - 1)
    assert signed_in(log_in(AxesAwareClient(), "curator", PASSWORD))
    assert not AccessAttempt.objects.exists()

    # Counted from nothing again, the next few mistakes do not lock the curator out.
    fail(AxesAwareClient(), "curator", LIMIT - 1)
    assert signed_in(log_in(AxesAwareClient(), "curator", PASSWORD))


def test_behind_a_trusted_proxy_visitors_are_told_apart_by_x_forwarded_for(curator, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.0.0.2"
    guesser = AxesAwareClient()
    for attempt in range(LIMIT):
        log_in(guesser, f"guess-{attempt}", "wrong", proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")

    guesser_again = log_in(guesser, "curator", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # A forged left-hand entry does not make the guesser someone else.
    forged = log_in(
        guesser, "curator", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    neighbour = log_in(
        AxesAwareClient(), "curator", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )

    assert_locked_out(guesser_again)
    assert_locked_out(forged)
    assert signed_in(neighbour)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@pytest.mark.parametrize(
    "forwarded",
    ["not-an-address", "999.1.1.1", "192.0.2.7:51234", "[2001:db8::1]", "[::1]:8", "<b>", "\x00"],
)
def test_whatever_the_proxy_forwards_the_login_answers_without_an_error(
    curator, settings, forwarded
):
    settings.TRUSTED_PROXY_HOPS = 1
    client = AxesAwareClient(raise_request_exception=False)

    response = log_in(client, "curator", "wrong", "10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert response.status_code == 200
    assert WRONG_PASSWORD_ERROR in response.content.decode()


def test_curators_see_the_failures_in_the_admin(client, curator, editor):
    lock_out(AxesAwareClient(), "nobody-by-this-name", ELSEWHERE)
    client.force_login(curator)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "nobody-by-this-name" in page and ELSEWHERE in page
    assert "editor" not in page


def test_client_login_and_force_login_keep_working_in_tests(client, curator):
    assert not client.login(username="curator", password="wrong")
    assert AccessAttempt.objects.get().failures_since_start == 1

    assert client.login(username="curator", password=PASSWORD)
    assert client.get(INDEX).status_code == 200

    other = AxesAwareClient()
    other.force_login(curator)
    assert other.get(INDEX).status_code == 200


def test_the_limit_and_the_cool_off_come_from_the_environment():
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )

    defaults = run_django({}, show)
    configured = run_django(
        {"DJANGO_LOGIN_FAILURE_LIMIT": "3", "DJANGO_LOGIN_COOLOFF_MINUTES": "10"}, show
    )

    assert defaults.stdout.split() == ["5", "1800"], defaults.stderr
    assert configured.stdout.split() == ["3", "600"], configured.stderr
