"""What the README tells a new user works: install the package with pip,
offline, into a virtual environment that sees Debian's packages, and run the
analyst's tour with it (not with the build tree)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_pip_install_offline_then_the_tour(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True
    )
    python = str(venv / "bin" / "python")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "DISPLAY") and not k.startswith("PIP_")
    }
    # No index and no wheel directory: everything must come from the machine.
    env["PIP_NO_INDEX"] = "1"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--no-build-isolation", str(ROOT)],
        env=env, capture_output=True, text=True, timeout=1800,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    where = subprocess.run(
        [python, "-c", "import earlywarn; print(earlywarn.__file__)"],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout
    assert where.startswith(str(venv)), where
    tour = subprocess.run(
        [python, str(ROOT / "examples" / "analyst_tour.py"), str(tmp_path / "out")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert tour.returncode == 0, tour.stderr
    assert (tmp_path / "out" / "household.png").is_file()


def test_the_cli_the_package_and_the_project_state_one_version():
    import re

    import earlywarn
    from conftest import cli_path

    cli = subprocess.run([str(cli_path()), "--version"], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    project = re.search(r"project\(earlywarn VERSION (\S+)",
                        (ROOT / "CMakeLists.txt").read_text()).group(1)
    package = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(),
                        re.MULTILINE).group(1)
    assert cli.stdout == f"earlywarn {project}\n"
    assert earlywarn.__version__ == package == project
