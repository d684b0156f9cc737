"""The set of frames is all-or-nothing: a writer killed half-way leaves every reader (read_frame,
the fixed `<name>.parquet`/`.csv` paths, `budgetbook check`) on the previous complete generation."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from budgetbook.cli import main
from budgetbook.storage import GENERATIONS, KEEP, Generation, read_frame, read_frames, write_frames

from .conftest import SEEDS_RAW, need_shared


def frame(tag: str, rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"{tag}-{i}" for i in range(rows)], "value": [float(i) for i in range(rows)]})


def tags(out: Path) -> dict[str, set[str]]:
    """The run tag of every frame, read every way a reader may read it."""
    seen = {}
    for name in ("documents", "facts", "checks"):
        seen[f"{name} read_frame"] = {t.split("-")[0] for t in read_frame(out, name).doc_id}
        seen[f"{name}.parquet"] = {t.split("-")[0] for t in pd.read_parquet(out / f"{name}.parquet").doc_id}
        seen[f"{name}.csv"] = {t.split("-")[0] for t in pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig").doc_id}
    return seen


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import pandas as pd
    from budgetbook.storage import Generation

    out = Path(sys.argv[1])
    new = pd.DataFrame({"doc_id": ["new-0", "new-1"], "value": [1.0, 2.0]})
    gen = Generation(out)
    gen.write("documents", new)  # complete, with its .csv
    gen.write("facts", new)
    writer = gen.writer("checks", new.iloc[:0])
    writer.append(new)  # half of a frame written as it comes
    print("writing", flush=True)
    time.sleep(120)
    gen.commit()
    """
)


def test_a_writer_killed_while_writing_leaves_readers_on_the_previous_generation(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    write_frames({name: frame("old") for name in ("documents", "facts", "checks")}, out)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "writing", proc.stderr.read()
        proc.kill()
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode < 0  # killed, not finished
    assert set().union(*tags(out).values()) == {"old"}, tags(out)
    unfinished = [p for p in (out / GENERATIONS).iterdir() if p.name.endswith(".tmp")]
    assert len(unfinished) == 1 and (unfinished[0] / "documents.parquet").exists()  # it had got that far
    # the next complete generation replaces all frames at once
    write_frames({name: frame("next") for name in ("documents", "facts", "checks")}, out)
    assert set().union(*tags(out).values()) == {"next"}


def test_an_error_while_writing_discards_the_new_generation(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    write_frames({"documents": frame("old"), "facts": frame("old")}, out)
    with pytest.raises(OSError), Generation(out) as gen:
        gen.write("documents", frame("new"))
        raise OSError(28, "No space left on device")
    assert {k: v for k, v in tags_of(out, ("documents", "facts")).items()} == {"documents": {"old"}, "facts": {"old"}}
    assert not [p for p in (out / GENERATIONS).iterdir() if p.name.endswith(".tmp")]


def tags_of(out: Path, names) -> dict[str, set[str]]:
    return {n: {t.split("-")[0] for t in f.doc_id} for n, f in read_frames(out, names).items()}


def test_updating_some_frames_carries_the_others_into_the_new_generation(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    write_frames({"documents": frame("old"), "facts": frame("old"), "stale": frame("old")}, out)
    for i in range(KEEP + 2):
        write_frames({"facts": frame(f"v{i}")}, out)
    assert tags_of(out, ("documents", "facts", "stale")) == {
        "documents": {"old"},
        "facts": {f"v{KEEP + 1}"},
        "stale": {"old"},
    }
    assert len(list((out / GENERATIONS).iterdir())) == KEEP  # older generations are removed
    # a frame the new generation does not have is gone from the fixed paths too
    with Generation(out) as gen:
        gen.write("documents", frame("only"))
        gen.commit()
    assert not (out / "facts.parquet").exists() and not (out / "facts.csv").exists()
    assert tags_of(out, ("documents",)) == {"documents": {"only"}}


def test_check_writes_its_audit_as_a_new_generation(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    assert main(["extract", str(need_shared(SEEDS_RAW)), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    before = (out / "current").resolve()
    documents = read_frame(out, "documents")
    assert main(["check", str(out), "--money", "0.5", "--replace"]) == 0  # replace: a new generation of clean
    after = (out / "current").resolve()
    assert after != before and before.exists()  # the previous generation stays for readers still on it
    pd.testing.assert_frame_equal(read_frame(out, "documents"), documents)
    assert (after / "documents.parquet").stat().st_ino == (before / "documents.parquet").stat().st_ino  # linked
    assert not (before / "checks.parquet").samefile(after / "checks.parquet")
