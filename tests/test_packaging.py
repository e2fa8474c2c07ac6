"""The package as a user installs it: conda and pip from one list, a wheel that works outside the repository.

The wheel test builds the wheel from a copy of the sources, installs it (without
dependencies) into a fresh virtual environment in a temporary folder, and lets
that environment take the dependencies from the shared test environment through
a .pth line (no network, and the repository's own ``debiteuren`` stays out of
sight: a plain path line does not run the shared environment's editable-install
hook). Then it makes the demo register and its letters from a folder outside the
repository, and serves the notebooks with ``debiteuren app``. Those tests are
marked slow: building the wheel and the environment takes half a minute.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import site
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from debiteuren import resources

ROOT = Path(__file__).resolve().parents[1]
# What conda itself must provide; every other package comes from pyproject.toml through pip.
CONDA_ONLY = {"python", "pip"}


def requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_yml_takes_every_package_from_pyproject():
    conda = [s for s in environment()["dependencies"] if isinstance(s, str)]
    assert {requirement_name(s) for s in conda} == CONDA_ONLY
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    python = next(s for s in conda if requirement_name(s) == "python")
    assert python == "python" + project["requires-python"]


def test_environment_installs_this_package_with_its_test_extras():
    pip_entries = next(e["pip"] for e in environment()["dependencies"] if isinstance(e, dict))
    assert pip_entries == ["-e .[test]"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "test" in project["optional-dependencies"]


def test_setup_py_ships_what_resources_looks_for():
    tree = ast.parse((ROOT / "setup.py").read_text())
    assigned = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.isupper()
        and isinstance(node.value, ast.Dict)
    }
    assert assigned["SHIPPED_PATTERNS"] == resources.SHIPPED_PATTERNS
    manifest = (ROOT / "MANIFEST.in").read_text()
    for folder, patterns in resources.SHIPPED_PATTERNS.items():
        for pattern in patterns:
            assert f"{folder}/{pattern}" in manifest


# --- the wheel in a fresh environment ------------------------------------------------------------

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "lib", "letter_templates", "notebooks")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python, debiteuren script, environment variables) of a fresh venv holding only the wheel."""
    base = tmp_path_factory.mktemp("wheel")
    # Nothing of the test run's own setup leaks in (PYTHONPATH names the repository's lib/).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DEBITEUREN_WERKMAP", "DEBITEUREN_PEILDATUM")}
    source = base / "bron"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copyfile(path, source / name)
    wheels = base / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("debiteuren-*.whl")

    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert install.returncode == 0, install.stderr
    venv_site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.strip()
    )
    shared = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (venv_site / "gedeelde_omgeving.pth").write_text("\n".join(shared) + "\n")

    env["DEBITEUREN_GEBRUIKERSMAP"] = str(base / "gebruiker")  # no real user's templates
    env["JUPYTER_PATH"] = os.pathsep.join(str(Path(p).parents[2] / "share" / "jupyter") for p in shared)
    return python, venv / "bin" / "debiteuren", env, base


@pytest.mark.slow
def test_the_wheel_imports_from_the_fresh_environment_with_its_files(installed):
    python, _, env, base = installed
    probe = (
        "import json, debiteuren; from debiteuren import resources; "
        "from debiteuren.letters.templates import template_path; "
        "print(json.dumps([debiteuren.__file__, str(resources.shipped_dir('letter_templates')), "
        "str(template_path('betalingsherinnering', 'nl')), "
        "sorted(p.name for p in resources.shipped_files('notebooks'))]))"
    )
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, env=env, cwd=base)
    assert result.returncode == 0, result.stderr
    module, templates, template, notebooks = json.loads(result.stdout)
    venv = str(base / "venv")
    assert module.startswith(venv) and not module.startswith(str(ROOT))
    assert templates.startswith(venv) and templates.endswith("bundled/letter_templates")
    assert template.startswith(templates)
    assert notebooks == ["dossier.ipynb", "maandreview.ipynb", "vordering.ipynb"]


@pytest.mark.slow
def test_the_installed_program_makes_letters_outside_the_repository(installed):
    _, debiteuren, env, base = installed
    work = base / "kantoor"
    work.mkdir()
    demo = subprocess.run([str(debiteuren), "demo", "werk"], capture_output=True, text=True, env=env, cwd=work)
    assert demo.returncode == 0, demo.stderr
    register = work / "werk" / "debiteuren.xlsx"
    assert register.is_file()
    review = subprocess.run(
        [
            str(debiteuren),
            "review",
            str(register),
            "--peildatum",
            "2026-10-31",
            "--brieven",
            "--uitvoer",
            str(work / "brieven"),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
    )
    assert review.returncode == 0, review.stderr
    made = json.loads(review.stdout)
    letters = [Path(p) for p in made["letters"]]
    assert letters and all(p.is_file() and p.parent == work / "brieven" for p in letters)
    assert {p.suffix for p in letters} == {".docx"}
    assert made["bundle"] and Path(made["bundle"]).is_file()
    assert not (ROOT / "werk").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_debiteuren_app_serves_the_three_notebooks_from_the_installed_package(installed):
    _, debiteuren, env, base = installed
    port = free_port()
    server = subprocess.Popen(
        [str(debiteuren), "app", "--geen-browser", "--poort", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=base,
        start_new_session=True,
    )
    try:
        announced = server.stdout.readline()  # the command's own line, before Voilà starts
        assert f"http://127.0.0.1:{port}/" in announced
        assert f"{base / 'venv'}" in announced and "bundled/notebooks" in announced, announced
        assert "dossier, maandreview, vordering" in announced
        deadline, status = time.monotonic() + 60, {}
        while not status and time.monotonic() < deadline and server.poll() is None:
            try:
                for name in ("maandreview", "dossier", "vordering", "bestaat-niet"):
                    status[name] = http_status(f"http://127.0.0.1:{port}/voila/render/{name}.ipynb")
            except ConnectionError:
                status = {}
                time.sleep(0.5)  # polling a server that is starting; no event to wait on
        assert status == {"maandreview": 200, "dossier": 200, "vordering": 200, "bestaat-niet": 404}
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the command and the Voilà server it started
        server.wait(timeout=30)


def http_status(url: str) -> int:
    """The status of a GET, reading only the start of the (streamed) page."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read(1000)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError as error:
        raise ConnectionError(error) from None
