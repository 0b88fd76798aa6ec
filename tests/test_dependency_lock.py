"""The locks install what pyproject.toml asks for, so a dependency added without `make lock`
fails here with what to do, not later as an import error on some other machine.

requirements.txt must pin every production dependency, requirements-dev.txt every production
and dev one, each at a version its range in pyproject.toml allows, extras' own dependencies
included; and the dev lock must agree with the production lock on every version they share.
"""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(lock):
    """{canonical name: version} for each `name==version` line of a pip-compile lock."""
    lines = (ROOT / lock).read_text().splitlines()
    matches = (PIN.match(line) for line in lines)
    return {canonicalize_name(m[1]): m[2] for m in matches if m}


def declared(*extras):
    """pyproject.toml's dependencies, plus those of the named optional groups."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


def applies(requirement, extra=""):
    """Whether a requirement's environment marker holds here (the locks are for this platform)."""
    return requirement.marker is None or requirement.marker.evaluate({"extra": extra})


def with_extras(requirements):
    """The requirements that apply here and, for each `package[extra]`, what it brings in."""
    for requirement in filter(applies, requirements):
        yield requirement
        for extra in requirement.extras:
            try:
                brought = requires(requirement.name) or []
            except PackageNotFoundError:
                continue  # not installed: its own pin is reported missing already
            for text in brought:
                needed = Requirement(text)
                if needed.marker and applies(needed, extra):
                    yield needed


def problems(lock, requirements):
    pinned = pins(lock)
    found = []
    for requirement in with_extras(requirements):
        wanted = f"{requirement.name}{requirement.specifier}"
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            found.append(f"{wanted} is not pinned in {lock}")
        elif not requirement.specifier.contains(version, prereleases=True):
            found.append(f"{wanted} does not allow {lock}'s {requirement.name}=={version}")
    return found


def test_production_lock_pins_every_production_dependency_within_its_range():
    found = problems("requirements.txt", declared())

    assert not found, "pyproject.toml and the locks disagree: run `make lock`\n" + "\n".join(found)


def test_dev_lock_pins_every_dependency_within_its_range():
    found = problems("requirements-dev.txt", declared("dev"))

    assert not found, "pyproject.toml and the locks disagree: run `make lock`\n" + "\n".join(found)


def test_dev_lock_agrees_with_the_production_lock():
    production, dev = pins("requirements.txt"), pins("requirements-dev.txt")

    differ = {name: (version, dev.get(name)) for name, version in production.items()}
    differ = {name: pair for name, pair in differ.items() if pair[0] != pair[1]}
    assert production
    assert not differ, f"requirements-dev.txt differs from requirements.txt: {differ}"
