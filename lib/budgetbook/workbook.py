"""Running the workbook: the numbered notebooks through papermill, executed copies under reports/.

`run` executes 01-extract-documents, then 02-department-report once per department (in
parallel), then 03-compare-departments. Each executed notebook is written under `reports/`
(never over the source notebook) with an HTML export whose code cells are hidden. A notebook
that fails is reported with the path of its executed copy; the others still run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import papermill
from jupyter_client.manager import KernelManager
from jupyter_core.paths import jupyter_runtime_dir
from nbconvert import HTMLExporter
from tqdm import tqdm

from budgetbook.report import data
from budgetbook.report.books import department_dir
from budgetbook.report.fonts import embedded_font_css
from budgetbook.storage import atomic_write

EXTRACT, REPORT, COMPARE = "01-extract-documents.ipynb", "02-department-report.ipynb", "03-compare-departments.ipynb"
TEMPLATES = Path(__file__).parent / "report" / "templates"


class LocalKernelManager(KernelManager):
    """A kernel that talks to papermill over Unix sockets in the user's private runtime folder, not TCP
    (no port for other local users, no "running over TCP without encryption" warning)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.transport = "ipc"
        folder = Path(jupyter_runtime_dir())
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.ip = str(folder / f"bb-{uuid.uuid4().hex[:16]}")  # one per kernel: kernels run side by side


@dataclass
class Failure:
    step: str
    notebook: Path
    error: str


@dataclass
class Outcome:
    executed: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per step
    skipped: list[str] = field(default_factory=list)  # departments whose report inputs did not change
    interrupted: bool = False  # Ctrl-C: no further notebook starts


def execute(source: Path, output: Path, parameters: dict, cwd: Path) -> Path:
    """Execute `source` with `parameters` into `output` (.ipynb) and export `output`.html; raises on error."""
    output.parent.mkdir(parents=True, exist_ok=True)
    # the kernel is the `python` on PATH: make it this environment's, wherever budgetbook was started from
    here = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != here:
        os.environ["PATH"] = os.pathsep.join([here, os.environ.get("PATH", "")])
    try:
        papermill.execute_notebook(
            str(source),
            str(output),
            parameters=parameters,
            cwd=str(cwd),
            progress_bar=False,
            kernel_name="python3",
            kernel_manager_class=LocalKernelManager,
        )
    finally:
        if output.exists():
            export_html(output)
    return output


def export_html(notebook: Path) -> Path:
    """The executed notebook as a standalone HTML page, code hidden, charts embedded."""
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        template_name="budgetbook",  # lab, without scripts or anything loaded from outside
        extra_template_basedirs=[str(TEMPLATES)],
    )
    body, _ = exporter.from_filename(str(notebook))
    body = body.replace("</head>", embedded_font_css(body) + "</head>", 1)  # readable without system CJK fonts
    target = notebook.with_suffix(".html")
    atomic_write(target, lambda tmp: tmp.write_text(body, encoding="utf-8"))
    return target


def run(raw: Path, clean: Path, reports: Path, notebooks: Path, jobs: int = 2, progress: bool = True) -> Outcome:
    """The whole workbook: extract, one report per department, the comparison."""
    raw, clean, reports = raw.resolve(), clean.resolve(), reports.resolve()
    outcome = Outcome()
    common = {"clean_dir": str(clean), "reports_dir": str(reports)}
    bar = tqdm(desc="workbook", unit="notebook", file=sys.stderr, disable=not progress)
    with bar:
        if not _step(
            outcome,
            "01",
            notebooks / EXTRACT,
            reports / EXTRACT,
            {"raw_dir": str(raw), "clean_dir": str(clean), "jobs": jobs},
            notebooks,
            bar,
        ):
            return outcome
        frames = data.load_frames(clean)
        names = data.departments(frames)
        prints = {name: inputs_fingerprint(frames, name, notebooks / REPORT) for name in names}
        del frames
        remove_stale_reports(reports, names)
        outcome.skipped = [n for n in names if _unchanged(department_dir(reports, n, names) / REPORT, prints[n])]
        bar.total = 2 + len(names) - len(outcome.skipped)
        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        try:
            futures = {
                pool.submit(
                    _step,
                    outcome,
                    f"02 {name}",
                    notebooks / REPORT,
                    department_dir(reports, name, names) / REPORT,
                    {**common, "department": name},
                    notebooks,
                    bar,
                ): name
                for name in names
                if name not in outcome.skipped
            }
            for future in as_completed(futures):
                if future.result():
                    name = futures[future]
                    _record(department_dir(reports, name, names) / REPORT, prints[name])
        except BaseException:
            outcome.interrupted = True
            raise
        finally:  # on Ctrl-C the queued reports are dropped, not run
            pool.shutdown(wait=True, cancel_futures=True)
        _step(outcome, "03", notebooks / COMPARE, reports / COMPARE, common, notebooks, bar)
    return outcome


INPUTS = ".inputs"  # beside a department's report: the fingerprint of what it was made from


def inputs_fingerprint(frames: dict, department: str, notebook: Path) -> str:
    """A hash of everything a department's report shows: its rows of every frame, the notebook, the code."""
    from budgetbook.cache import code_version

    ids = set(frames["documents"].loc[lambda d: d.department == department, "doc_id"])
    digest = hashlib.sha256(f"{code_version()}\0{department}\0".encode() + notebook.read_bytes())
    for name, frame in sorted(frames.items()):
        rows = frame.loc[frame.doc_id.isin(ids)] if "doc_id" in frame else frame
        digest.update(f"\0{name}\0{len(rows)}\0".encode())
        digest.update(pd.util.hash_pandas_object(rows.astype(str), index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _unchanged(output: Path, fingerprint: str) -> bool:
    stored = output.parent / INPUTS
    complete = output.exists() and output.with_suffix(".html").exists()
    return complete and stored.exists() and stored.read_text(encoding="utf-8") == fingerprint


def _record(output: Path, fingerprint: str) -> None:
    atomic_write(output.parent / INPUTS, lambda tmp: tmp.write_text(fingerprint, encoding="utf-8"))


def _step(outcome: Outcome, step: str, source: Path, output: Path, parameters: dict, cwd: Path, bar) -> bool:
    if outcome.interrupted:
        return False
    start = time.perf_counter()
    try:
        outcome.executed.append(execute(source, output, parameters, cwd))
        return True
    except KeyboardInterrupt:
        outcome.interrupted = True
        raise
    except Exception as exc:  # a failing notebook is reported, the others still run
        outcome.failures.append(Failure(step, output, f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1:]}"))
        return False
    finally:
        outcome.seconds[step] = time.perf_counter() - start
        bar.update()


def remove_stale_reports(reports: Path, departments: list[str]) -> list[Path]:
    """Remove the report folders of departments that are no longer in the frames; returns them.

    Only folders this workbook made (holding an executed department report) are removed.
    """
    keep = {department_dir(reports, name, departments).name for name in departments}
    stale = [
        folder
        for folder in (sorted(reports.iterdir()) if reports.is_dir() else [])
        if folder.is_dir() and not folder.is_symlink() and folder.name not in keep and (folder / REPORT).is_file()
    ]
    for folder in stale:
        shutil.rmtree(folder)
    return stale
