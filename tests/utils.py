"""Helpers shared by tests (fixtures live in conftest.py)."""

import os
import re
import shutil

import pytest

ON_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def skip_or_fail(reason: str):
    """Skip a test whose service is missing, except on CI, where every test must run."""
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


def links_in(mail, path_fragment: str) -> list[str]:
    """Absolute links in a mail's text part that contain ``path_fragment``."""
    return [url for url in re.findall(r"https?://\S+", mail.body) if path_fragment in url]


def only_link(mail, path_fragment: str) -> str:
    links = links_in(mail, path_fragment)
    assert len(links) == 1, f"expected one {path_fragment} link in: {mail.body}"
    return links[0]
