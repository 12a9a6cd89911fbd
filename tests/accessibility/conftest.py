"""axe-core for the accessibility tests: installed from npm once per machine, injected into
every page a test opens, and one assertion that lists what is wrong."""

import json
import os
import shutil
import subprocess
from importlib import import_module
from pathlib import Path

import pytest

from tests.utils import skip_or_fail

AXE_VERSION = "4.10.3"
# The WCAG 2.0/2.1 A and AA rules (BITV 2.0 refers to EN 301 549, which asks for WCAG 2.1 AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CACHE_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "network-portal"
    / f"axe-core-{AXE_VERSION}"
)


@pytest.fixture(scope="session")
def axe_source():
    """The source of axe.min.js, installed outside the repository unless it is there already."""
    script = CACHE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            skip_or_fail("npm is missing (apt-get install npm): axe-core cannot be installed")
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts"]
            + ["--prefix", str(CACHE_DIR), f"axe-core@{AXE_VERSION}"],
            check=True,
            timeout=300,
        )
    return script.read_text(encoding="utf-8")


@pytest.fixture
def axe(page, axe_source):
    """Every document the page loads gets axe before its own scripts run. An init script comes
    in through the DevTools protocol, so the strict Content-Security-Policy does not block it
    (a <script> tag would be, and would fail the test as a CSP violation)."""
    page.add_init_script(script=axe_source)
    return page


@pytest.fixture
def legal_pages(transactional_db):
    """Impressum, Datenschutz and the accessibility statement as their data migrations create
    them: the flush after an earlier transactional (live-server) test has removed them."""
    from django.apps import apps

    for migration in ("0002_site_and_legal_pages", "0004_accessibility_statement"):
        import_module(f"network_portal.migrations.{migration}").create(apps, None)


def assert_no_axe_violations(page):
    """Run the WCAG A/AA rules of axe on the page as it is now; list every violation."""
    assert page.evaluate("typeof window.axe") == "object", "axe is not loaded: use the axe fixture"
    violations = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )
    if violations:
        report = [f"axe found {len(violations)} WCAG A/AA violation(s) on {page.url}:"]
        for violation in violations:
            report.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                report.append(f"    {json.dumps(node['target'])}: {node['summary']}")
        print("\n".join(report))
        pytest.fail("\n".join(report), pytrace=False)
