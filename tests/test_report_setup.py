"""The set-up: one list of dependencies, JupyterLab in it and answering, the README telling the truth."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from .conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_file_and_pyproject_list_the_same_dependencies() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]  # the set-up (`make install`) installs .[dev,ocr]
    wanted = {_name(r) for r in [*project["dependencies"], *extras["dev"], *extras["ocr"]]}
    listed = set()
    env = (REPO / "environment.yml").read_text(encoding="utf-8").split("dependencies:", 1)[1]
    for line in env.splitlines():
        m = re.match(r"^\s+- (?!-e )([A-Za-z][\w.-]*)", line)
        if m and m[1] not in ("python", "pip"):
            listed.add(_name(m[1]))
    assert "jupyterlab" in wanted and "itables" in wanted
    assert listed == wanted
    python = re.search(r"python=(\d+\.\d+)", (REPO / "environment.yml").read_text())[1]
    assert project["requires-python"] == f">={python}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"Python {python}" in readme and "make lab" in readme


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyter_lab_from_the_environment_answers(tmp_path: Path) -> None:
    jupyter = Path(sys.executable).parent / "jupyter"
    assert jupyter.exists() or shutil.which("jupyter")
    port = _free_port()
    server = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=budgetbook-test",
            f"--ServerApp.root_dir={REPO / 'notebooks'}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        status, body = None, b""
        for _ in range(120):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/contents?token=budgetbook-test", timeout=2
                ) as r:
                    status, body = r.status, r.read()
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        assert b"02-department-report.ipynb" in body  # the workbook's notebooks are what it serves
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=budgetbook-test", timeout=5) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
