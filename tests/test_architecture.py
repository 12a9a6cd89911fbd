"""The house plan is checked, not hoped for: import-linter's contracts (pyproject.toml,
[tool.importlinter]) hold for the code, and they fail when an arrow points the wrong way."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "network_portal",
    "accounts",
    "members",
    "meetings",
    "seal",
    "newsletter",
    "cooperation",
    "internships",
    "reports",
    "demo",
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """lint-imports on the packages found in ``cwd``, read fresh (no cache)."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command;"
            " sys.exit(lint_imports_command())",
            "--no-cache",
        ],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def copy_of_the_code(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po", "static", "templates"),
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_a_feature_app_importing_another_breaks_the_contracts(tmp_path):
    code = copy_of_the_code(tmp_path)
    with (code / "meetings" / "services.py").open("a") as services:
        services.write("\nfrom seal.models import Certificate  # noqa: E402, F401\n")

    result = lint_imports(code)

    assert result.returncode == 1
    assert "meetings is not allowed to import seal" in result.stdout
    assert "meetings.services -> seal.models" in result.stdout


def test_the_plumbing_importing_an_app_breaks_the_contracts(tmp_path):
    code = copy_of_the_code(tmp_path)
    with (code / "network_portal" / "mail.py").open("a") as mail:
        mail.write("\nfrom members.models import Company  # noqa: E402, F401\n")

    result = lint_imports(code)

    assert result.returncode == 1
    assert "network_portal.mail -> members.models" in result.stdout


def test_an_app_importing_the_reports_breaks_the_contracts(tmp_path):
    """The figures read the apps; an app that reads the figures would point an arrow up."""
    code = copy_of_the_code(tmp_path)
    with (code / "meetings" / "selectors.py").open("a") as selectors:
        selectors.write("\nfrom reports.selectors import annual_report  # noqa: E402, F401\n")

    result = lint_imports(code)

    assert result.returncode == 1
    assert "meetings.selectors -> reports.selectors" in result.stdout
