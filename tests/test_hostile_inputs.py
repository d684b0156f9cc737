"""Hostile and broken input (issue 14): each case of the list, reproduced with inputs made here.

A document never runs code in a report (rendered in headless Chromium), never stalls the run or
outlives it, never crashes it by its name or its characters, never reaches outside the raw folder;
two runs never mix; options and output folders are checked before the long work starts.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import signal
import socketserver
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from budgetbook import workbook
from budgetbook.cli import EXIT_BUSY, EXIT_OK, EXIT_OUTPUT, EXIT_PROBLEMS, EXIT_USAGE, main
from budgetbook.limits import LimitExceeded, bounded_decompress, document_limits
from budgetbook.outputs import locked
from budgetbook.pipeline import discover, extract, read_one
from budgetbook.report.books import department_workbook, summary_workbook
from budgetbook.report.escape import html_text, markdown_text, spreadsheet_text
from budgetbook.report.names import safe_name
from budgetbook.storage import write_frame
from budgetbook.workbook import REPORT, remove_stale_reports, run
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS

from .conftest import REPO, SEEDS_RAW, need_shared

MB = 1024 * 1024
SEED = SEEDS_RAW / "002_ff9efc1699625d1f.txt"
SEED_TITLE = "株洲市人民政府办公室2024年"
SENTENCE = (
    "株洲市人民政府办公室2024年部门预算\n2024年年初本部门收入预算3055.44万元，其中，一般公共预算拨款3055.44万元。\n"
)
# What a crawler may bring: a script in the title, an HTML event handler, a Markdown image from outside.
HOSTILE_DEPARTMENTS = [
    "<script>document.title='HACKED'</script>办公室",
    "<img src=x onerror=document.title='HACKED'>管理局",
    "a![x](http://example.invalid/m.png)a服务中心",
]
# Chromium's own background traffic (updates, time, sign-in), not requests of the page.
CHROMIUM_OWN = re.compile(r"\b(?:[\w.-]+\.)?(?:google\.com|googleapis\.com|gvt1\.com|gstatic\.com)(?::\d+)?\b")


def seed_with_title(department: str) -> str:
    return need_shared(SEED).read_text(encoding="utf-8").replace(SEED_TITLE, f"{department}2024年", 1)


def bomb_pdf(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream is a few hundred kB and inflates to `inflated_mb` MB."""
    packer = zlib.compressobj(9)
    line = b"0 0 m 1 1 l S\n"
    stream = b"".join(packer.compress(line * (MB // len(line))) for _ in range(inflated_mb)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_pdf(400)


# --- 1. script injection: the reports, rendered in a browser ------------------------------------


class _Recorder(socketserver.StreamRequestHandler):
    """A proxy that answers nothing and remembers every request line the browser sent."""

    def handle(self) -> None:
        self.server.requests.append(self.rfile.readline().decode(errors="replace").strip())
        self.wfile.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def render(page: Path, tmp: Path) -> tuple[str, list[str]]:
    """The page's DOM after loading and running whatever it runs, and the requests it made."""
    if CHROMIUM is None:
        if os.environ.get("BUDGETBOOK_REQUIRE_SHARED") == "1":
            pytest.fail("chromium is needed to check the reports (installed by .ci/run)")
        pytest.skip("chromium is not installed")
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Recorder)
    server.requests, server.daemon_threads = [], True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    profile = tmp / f"chromium-{time.monotonic_ns()}"
    try:
        done = subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--proxy-server=http://127.0.0.1:{server.server_address[1]}",
                "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=3000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(profile, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-2000:]
    # a connection opened and closed without a request line (a speculative preconnect) fetched nothing
    return done.stdout, [r for r in server.requests if r and not CHROMIUM_OWN.search(r)]


def test_the_browser_harness_sees_a_script_and_a_request(tmp_path: Path) -> None:
    """Control: the same harness on a page that does run a script and load an image notices both."""
    page = tmp_path / "live.html"
    page.write_text(
        "<html><head><title>report</title></head><body>"
        "<script>document.title='HACKED';document.body.append('WRITTEN')</script>"
        "<img src='http://example.invalid/x.png'></body></html>",
        encoding="utf-8",
    )
    dom, requests = render(page, tmp_path)
    assert "<title>HACKED</title>" in dom and "WRITTEN" in dom
    assert any("example.invalid" in r for r in requests)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    """`budgetbook run` on three documents with hostile titles and one unreadable file."""
    base = tmp_path_factory.mktemp("hostile-run")
    raw = base / "raw"
    raw.mkdir()
    for n, department in enumerate(HOSTILE_DEPARTMENTS):
        (raw / f"doc{n}.txt").write_text(seed_with_title(department), encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    args = ["run", str(raw), "--clean", str(base / "clean"), "--reports", str(base / "reports"), "--quiet"]
    args += ["--notebooks", str(REPO / "notebooks"), "--jobs", "2"]
    log = base / "stderr.log"  # the kernels' stderr too: they write to the file descriptor
    saved = os.dup(2)
    with log.open("w", encoding="utf-8", buffering=1) as sink, contextlib.redirect_stderr(sink):
        os.dup2(sink.fileno(), 2)
        try:
            status = main(args)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    return base, status, log.read_text(encoding="utf-8", errors="replace")


def test_run_exits_non_zero_and_counts_unreadable_files(hostile_run) -> None:
    _, status, err = hostile_run
    assert status == EXIT_PROBLEMS
    assert "1 of 4 files could not be read" in err and "empty.txt" in err
    assert "failed:" not in err  # every report ran
    assert "without encryption" not in err  # the kernels talk over local sockets, not TCP


@pytest.mark.parametrize("department", HOSTILE_DEPARTMENTS)
def test_a_hostile_title_runs_no_script_and_loads_nothing(hostile_run, department: str, tmp_path: Path) -> None:
    base, _, _ = hostile_run
    page = base / "reports" / safe_name(department) / "02-department-report.html"
    static = page.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", static, re.S).group(1)
    dom, requests = render(page, tmp_path)
    assert re.search(r"<title>(.*?)</title>", dom, re.S).group(1) == title  # no script changed the page
    assert requests == []  # nothing loaded from outside: no image, no script, no font
    assert not re.search(r"<script>document|<img[^>]*(?:onerror|src=\"http)", dom)  # no live element
    headings = [html.unescape(re.sub(r"<a .*?</a>", "", h)) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", dom, re.S)]
    assert department in headings  # the department's heading shows the name as the text it is


def test_a_hostile_title_is_text_in_the_excel_books(hostile_run) -> None:
    base, _, _ = hostile_run
    department = HOSTILE_DEPARTMENTS[0]
    book = load_workbook(base / "reports" / safe_name(department) / f"{safe_name(department)}.xlsx")
    cells = [c for row in book["概况"].iter_rows() for c in row if department in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_escaping_helpers() -> None:
    assert html_text("<b a=\"1\">'x'&") == "&lt;b a=&quot;1&quot;&gt;&#x27;x&#x27;&amp;"
    assert markdown_text("![x](http://h/i.png)\n# h *e*") == r"\!\[x\]\(http\:\/\/h/i\.png\) \# h \*e\*".replace(
        "\\/", "/"
    )
    assert spreadsheet_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_text("-126.49") == "-126.49" and spreadsheet_text("-1+cmd|'/c calc'!A1").startswith("'")
    assert html_text("a\x07b\x1bc") == "abc" and spreadsheet_text("a\x00b") == "ab"


def test_markdown_text_renders_as_the_same_characters() -> None:
    from nbconvert.filters import markdown2html

    for text in [*HOSTILE_DEPARTMENTS, "*x* _y_ `z` [a](b) <i>i</i> $e^x$ &amp; \\ | # 1. - +"]:
        rendered = markdown2html(markdown_text(text))
        assert not re.search(r"<(?!/?p>)[a-z]", rendered), rendered  # no element but the paragraph
        assert rendered.count("<p>") == 1


# --- 2. a decompression bomb: limits per document, workers that die with the run -----------------


def test_a_pdf_bomb_is_one_problem_and_the_rest_completes(tmp_path: Path, bomb: bytes, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bomb.pdf").write_bytes(bomb)
    (raw / "good.txt").write_bytes(need_shared(SEED).read_bytes())
    start = time.perf_counter()
    status = main(["extract", str(raw), "--out", str(tmp_path / "clean"), "--jobs", "2", "--quiet"])
    seconds = time.perf_counter() - start
    problems = pd.read_parquet(tmp_path / "clean" / "problems.parquet")
    documents = pd.read_parquet(tmp_path / "clean" / "documents.parquet")
    assert status == EXIT_PROBLEMS
    assert list(documents.source_file) == ["good.txt"]
    assert list(problems.source_file) == ["bomb.pdf"] and "decompression bomb" in problems.message[0]
    assert seconds < 120, seconds  # was: never finished
    assert "1 of 2 files could not be read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("limits", "reason"),
    [
        ({"BUDGETBOOK_LIMIT_INFLATED_MB": "4000", "BUDGETBOOK_LIMIT_SECONDS": "5"}, "took more than 5 s"),
        ({"BUDGETBOOK_LIMIT_INFLATED_MB": "4000", "BUDGETBOOK_LIMIT_MEMORY_MB": "700"}, "memory"),
    ],
)
def test_time_and_memory_limits_hold_in_the_worker(tmp_path: Path, bomb: bytes, monkeypatch, limits, reason) -> None:
    for name, value in limits.items():
        monkeypatch.setenv(name, value)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bomb.pdf").write_bytes(bomb)
    (raw / "good.txt").write_text(SENTENCE, encoding="utf-8")
    read_one(discover(raw)[1])  # vocabularies loaded before the workers fork: the 5 s are the document's own
    result = extract(raw, tmp_path / "clean", jobs=2, progress=False)
    assert [d.source_file for d in result.documents] == ["good.txt"]
    assert [p.source_file for p in result.problems] == ["bomb.pdf"]
    assert reason in result.problems[0].message


def test_the_inflated_limit_counts_every_stream_of_a_document(monkeypatch) -> None:
    monkeypatch.setenv("BUDGETBOOK_LIMIT_INFLATED_MB", "3")
    packed = zlib.compress(b"x" * (2 * MB))
    with document_limits():
        assert len(bounded_decompress(packed)) == 2 * MB
        with pytest.raises(LimitExceeded, match="more than 3 MB"):
            bounded_decompress(packed)


def test_a_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path, monkeypatch) -> None:
    import zipfile

    monkeypatch.setenv("BUDGETBOOK_LIMIT_INFLATED_MB", "8")
    raw = tmp_path / "raw"
    raw.mkdir()
    with zipfile.ZipFile(raw / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * (16 * MB))
    result = extract(raw, tmp_path / "clean", jobs=1, progress=False)
    assert list(result.documents) == [] and "zip bomb" in result.problems[0].message


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{pid}$", text, re.M):
            out.append(int(status.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return not re.search(r"^State:\s+Z", state, re.M)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_with_a_killed_run(tmp_path: Path, bomb: bytes) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(3):
        (raw / f"slow{n}.pdf").write_bytes(bomb)
    env = {**os.environ, "BUDGETBOOK_LIMIT_INFLATED_MB": "4000", "BUDGETBOOK_LIMIT_SECONDS": "600"}
    command = [sys.executable, "-m", "budgetbook.cli", "extract", str(raw), "--out", str(tmp_path / "o"), "--quiet"]
    parent = subprocess.Popen([*command, "--jobs", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [w for w in workers if _alive(w)]
    for w in alive:  # do not leave them to the next test
        os.kill(w, signal.SIGKILL)
    assert alive == []


# --- 3. file names that are not UTF-8 ------------------------------------------------------------


def test_file_names_that_are_not_utf8(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    folder = os.fsencode(raw)
    for copy, name in enumerate((b"bad_\xff\xfe.txt", "预算".encode("gbk") + b".txt", b"esc_\x1b[31m.txt")):
        # contents differ by a trailing line break: identical files would be read once, as duplicates
        Path(os.fsdecode(folder + b"/" + name)).write_bytes(need_shared(SEED).read_bytes() + b"\n" * copy)
    status = main(["extract", str(raw), "--out", str(tmp_path / "clean"), "--jobs", "1", "--quiet"])
    documents = pd.read_parquet(tmp_path / "clean" / "documents.parquet")
    assert status == EXIT_OK
    assert sorted(documents.source_file) == ["bad_\\xff\\xfe.txt", "esc_\\x1b[31m.txt", "预算.txt"]
    assert len(set(documents.doc_id)) == 3
    assert (tmp_path / "clean" / "documents.csv").read_text(encoding="utf-8-sig").count("\\xff") >= 1
    assert "\x1b" not in capsys.readouterr().out


# --- 4. control characters ---------------------------------------------------------------------


def test_control_characters_are_removed_and_the_excel_books_are_written(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    text = seed_with_title("株洲市\x1b[0m人民政府\x07办公室").replace("一、", "一、\x7f\x0c\u202e", 1)
    (raw / "ctrl.txt").write_text(text, encoding="utf-8")
    result = extract(raw, tmp_path / "clean", jobs=1, progress=False)
    controls = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e]")
    for name, frame in result.frames.items():
        for column in frame.select_dtypes(include=["string", "object"]).columns:
            assert not frame[column].dropna().astype(str).str.contains(controls).any(), (name, column)
    (department,) = result.frames["documents"].department
    assert department == "株洲市[0m人民政府办公室"
    department_workbook(result.frames, department, tmp_path / "reports")
    summary_workbook(result.frames, tmp_path / "reports")
    assert load_workbook(tmp_path / "reports" / "summary.xlsx")["文件"].max_row == 2


# --- 6. links out of the raw folder --------------------------------------------------------------


def test_links_out_of_the_raw_folder_are_not_followed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (raw / "good.txt").write_bytes(need_shared(SEED).read_bytes())
    (raw / "passwd.txt").symlink_to("/etc/passwd")
    (raw / "secret.txt").symlink_to(outside / "secret.txt")
    (raw / "sub" / "linked").symlink_to(outside, target_is_directory=True)
    (raw / "inside.txt").symlink_to(raw / "good.txt")  # a link that stays inside is an ordinary file
    assert [s.source_file for s in discover(raw)] == ["good.txt", "inside.txt"]
    result = extract(raw, tmp_path / "clean", jobs=1, progress=False)
    assert not result.frames["paragraphs"].raw.str.contains("root:").any()


# --- 8. two runs on the same folders -------------------------------------------------------------


def test_a_second_run_on_the_same_folder_is_refused(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_bytes(need_shared(SEED).read_bytes())
    clean = tmp_path / "clean"
    with locked(clean):
        status = main(["extract", str(raw), "--out", str(clean), "--quiet"])
    err = capsys.readouterr().err
    assert status == EXIT_BUSY and "in use by another budgetbook run" in err and len(err.splitlines()) == 1
    assert not (clean / "documents.parquet").exists()
    assert main(["extract", str(raw), "--out", str(clean), "--quiet"]) == EXIT_OK  # released with its run


# --- 9 and 11. options and output folders, checked before the long work -------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("extracted")
    (base / "raw").mkdir()
    (base / "raw" / "good.txt").write_bytes(need_shared(SEED).read_bytes())
    extract(base / "raw", base / "clean", jobs=1, progress=False)
    return base


@pytest.mark.parametrize("value", ["nan", "-0.5", "inf", "abc"])
def test_check_refuses_a_tolerance_that_is_not_a_finite_non_negative_number(extracted: Path, value: str, capsys):
    before = (extracted / "clean" / "checks.parquet").read_bytes()
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(extracted / "clean"), "--money", value])
    assert exit_.value.code == EXIT_USAGE
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert (extracted / "clean" / "checks.parquet").read_bytes() == before  # the stored audit is untouched


def test_usage_and_output_errors_are_one_line_before_any_reading(extracted: Path, tmp_path: Path, capsys) -> None:
    raw = str(extracted / "raw")
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["extract", raw, "--jobs", "0"])
    assert exit_.value.code == EXIT_USAGE
    assert main(["extract", raw, "--out", str(a_file), "--quiet"]) == EXIT_OUTPUT
    assert main(["extract", raw, "--out", str(a_file / "below"), "--quiet"]) == EXIT_OUTPUT
    assert main(["run", raw, "--clean", str(tmp_path / "c"), "--reports", str(a_file), "--quiet"]) == EXIT_OUTPUT
    assert not (tmp_path / "c" / "documents.parquet").exists()  # refused before reading
    damaged = tmp_path / "damaged"
    shutil.copytree(extracted / "clean", damaged, symlinks=True)  # frames are links into a generation
    (damaged / "facts.parquet").write_bytes(b"not a parquet file")
    assert main(["check", str(damaged)]) == EXIT_OUTPUT
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith("budgetbook") for line in lines), lines
    assert "is a file" in lines[1] and "cannot write" in lines[2] and "facts.parquet cannot be read" in lines[4]


# --- 11. lesser: CSV copies, permissions, stale report folders, Ctrl-C ---------------------------


def test_csv_copies_keep_formulas_as_text_and_files_are_not_private(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": pd.array(["=1+1", "+cmd|' /C calc'!A0", "-3.5", "@SUM(A1)", "正常"], dtype="string")})
    old = os.umask(0o022)
    try:
        write_frame(frame, tmp_path, "cells")
    finally:
        os.umask(old)
    copy = pd.read_csv(tmp_path / "cells.csv", encoding="utf-8-sig", dtype=str)
    assert list(copy.text) == ["'=1+1", "'+cmd|' /C calc'!A0", "-3.5", "'@SUM(A1)", "正常"]
    assert list(pd.read_parquet(tmp_path / "cells.parquet").text) == list(frame.text)  # the data itself is kept
    assert {oct(p.stat().st_mode & 0o777) for p in tmp_path.iterdir()} == {"0o644"}


def test_report_folders_of_departments_gone_are_removed(tmp_path: Path) -> None:
    for name in ["甲局", "乙局"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / REPORT).write_text("{}", encoding="utf-8")
    (tmp_path / "notes").mkdir()  # a folder the user made is left alone
    assert [p.name for p in remove_stale_reports(tmp_path, ["甲局"])] == ["乙局"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "甲局"]


def test_ctrl_c_in_run_stops_the_queued_notebooks(tmp_path: Path, monkeypatch) -> None:
    clean = tmp_path / "clean"
    extract(need_shared(SEEDS_RAW), clean, jobs=1, progress=False)
    executed: list[str] = []

    def fake_execute(source: Path, output: Path, parameters: dict, cwd: Path) -> Path:
        executed.append(parameters.get("department", source.name))
        if "department" in parameters:
            raise KeyboardInterrupt
        return output

    monkeypatch.setattr(workbook, "execute", fake_execute)
    with pytest.raises(KeyboardInterrupt):
        run(need_shared(SEEDS_RAW), clean, tmp_path / "reports", REPO / "notebooks", jobs=1, progress=False)
    assert len(executed) == 2  # the extraction and the first report; not the three others, not 03
