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

from budgetbook import paths
from budgetbook.report import data
from budgetbook.report.books import department_dir
from budgetbook.report.fonts import embedded_font_css
from budgetbook.storage import atomic_write

EXTRACT, REPORT, COMPARE = "01-extract-documents.ipynb", "02-department-report.ipynb", "03-compare-departments.ipynb"
PACKAGE_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"  # the project beside an editable install
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


class NothingToReport(Exception):
    """The raw folder held no disclosure: there is no department to report on."""


def find_notebooks(explicit: Path | None = None) -> Path:
    """The source notebooks: `explicit`, else the project's `notebooks/`, else those beside the installed package."""
    candidates = [explicit] if explicit is not None else [paths.notebooks_dir(), PACKAGE_NOTEBOOKS]
    for folder in candidates:
        if folder is not None and (folder / REPORT).is_file():
            return folder
    raise FileNotFoundError(f"no notebooks ({REPORT}) in {', '.join(str(c) for c in candidates if c)}")


def run(
    raw: Path, clean: Path, reports: Path, notebooks: Path | None = None, jobs: int = 2, progress: bool = True
) -> Outcome:
    """The whole workbook: extract, one report per department, the comparison.

    Raises NothingToReport (after the extraction report is written) when no document is a disclosure.
    """
    raw, clean, reports = raw.resolve(), clean.resolve(), reports.resolve()
    notebooks = find_notebooks(notebooks).resolve()
    outcome = Outcome()
    bar = tqdm(desc="读取文件", unit="份", file=sys.stderr, disable=not progress, total=_count_files(raw))
    with bar:
        params = {"raw_dir": str(raw), "clean_dir": str(clean), "jobs": jobs, "interactive": False}
        if not _step(outcome, "01", notebooks / EXTRACT, reports / EXTRACT, params, notebooks):
            return outcome
        bar.update(bar.total - bar.n if bar.total else 1)
    report(clean, reports, notebooks, jobs, progress, outcome, raw)
    return outcome


def report(
    clean: Path,
    reports: Path,
    notebooks: Path | None = None,
    jobs: int = 2,
    progress: bool = True,
    outcome: Outcome | None = None,
    raw: Path | None = None,
) -> Outcome:
    """The reports from extracted frames: one per department (in parallel, those whose inputs
    changed), then the comparison."""
    clean, reports = Path(clean).resolve(), Path(reports).resolve()
    notebooks = find_notebooks(notebooks).resolve()
    outcome = outcome or Outcome()
    frames = data.load_frames(clean)
    names = data.departments(frames) if "documents" in frames else []
    if not names:
        raise NothingToReport(
            f"no budget disclosure found in {raw or clean}: "
            f"{len(frames.get('documents', []))} files read, "
            "none a department's budget, final account or self-evaluation"
        )
    prints = {name: inputs_fingerprint(frames, name, notebooks / REPORT) for name in names}
    remove_stale_reports(reports, names)
    outcome.skipped = [n for n in names if _unchanged(department_dir(reports, n, names) / REPORT, prints[n])]
    common = {"clean_dir": str(clean), "reports_dir": str(reports), "interactive": False}
    raw_param = {"raw_dir": str(Path(raw).resolve())} if raw is not None else {}
    counts = frames["documents"].groupby("department").size()
    del frames
    todo = [n for n in names if n not in outcome.skipped]
    bar = tqdm(desc="部门报告", unit="份文件", file=sys.stderr, disable=not progress, total=int(counts[todo].sum()))
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        with bar:
            futures = {
                pool.submit(
                    _step,
                    outcome,
                    f"02 {name}",
                    notebooks / REPORT,
                    department_dir(reports, name, names) / REPORT,
                    {**common, **raw_param, "department": name},
                    notebooks,
                ): name
                for name in todo
            }
            for future in as_completed(futures):
                name = futures[future]
                if future.result():
                    _record(department_dir(reports, name, names) / REPORT, prints[name])
                bar.set_postfix_str(name, refresh=False)
                bar.update(int(counts[name]))
    except BaseException:
        outcome.interrupted = True
        raise
    finally:  # on Ctrl-C the queued reports are dropped, not run
        pool.shutdown(wait=True, cancel_futures=True)
    _step(outcome, "03", notebooks / COMPARE, reports / COMPARE, common, notebooks)
    return outcome


def _count_files(raw: Path) -> int:
    return sum(1 for p in raw.rglob("*") if p.is_file() and not p.name.startswith("."))


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


def _step(outcome: Outcome, step: str, source: Path, output: Path, parameters: dict, cwd: Path) -> bool:
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
        where = output if output.exists() else source
        outcome.failures.append(Failure(step, where, f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1:]}"))
        return False
    finally:
        outcome.seconds[step] = time.perf_counter() - start


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
