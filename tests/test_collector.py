"""The memory of a document's read: the cyclic collector around it (`budgetbook.collector`) and what a worker
sends back."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetbook import collector
from budgetbook.cache import Cache, unpack
from budgetbook.pipeline import Source, read_entry, read_packed

from .conftest import SEEDS_RAW, need_shared


def test_paused_restores_the_collector_as_it_was_even_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector.paused():
        assert not gc.isenabled()
        raise ValueError("a reader's bug")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # paused by its caller before: left paused
    finally:
        gc.enable()


def test_a_read_leaves_the_collector_running_whatever_the_document_gave(tmp_path: Path) -> None:
    seed = sorted(need_shared(SEEDS_RAW).glob("*.txt"))[0]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    read = read_entry(Source(seed, seed.name, seed.stem))
    assert gc.isenabled() and len(read.frames["facts"]) > 0
    failed = read_entry(Source(broken, broken.name, broken.stem))
    assert gc.isenabled() and len(failed.frames["problems"]) == 1


def test_a_worker_sends_back_the_parquet_files_the_cache_keeps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = sorted(need_shared(SEEDS_RAW).glob("*.txt"))[0]
    source = Source(seed, seed.name, seed.stem)
    entry = read_entry(source)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # a later second: the cache's bytes carry no clock
    packed = read_packed(source)
    assert set(packed.parquet) == set(entry.frames) and packed.document == entry.document
    back = unpack(packed)
    cache = Cache(tmp_path)
    cache.put("key", packed)
    for name in entry.frames:
        written = cache.frame("key", name)
        assert back.frames[name].equals(written) and list(written.dtypes) == list(back.frames[name].dtypes), name
    facts = cache.frame("key", "facts")
    assert len(facts) == len(entry.frames["facts"]) > 0
    assert facts.value.tolist() == entry.frames["facts"].value.tolist()


_FREED_BLOCKS = """
import sys
from budgetbook import collector
if sys.argv[1] == "unmapped":
    assert collector.large_blocks_unmapped()
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 >> 20
first = bytearray(1 << 20)
del first  # glibc raises its mapping threshold past a block of this size once one is freed
blocks = [bytearray(1 << 20) for _ in range(200)]
before = rss()
blocks = blocks[-1:]  # all but the newest freed: in the heap they stay below it
print(before - rss())
"""


@pytest.mark.skipif(collector._libc_function("mallopt") is None, reason="needs glibc's mallopt")
def test_large_blocks_go_back_to_the_system_when_freed() -> None:
    def given_back(mode: str) -> int:
        done = subprocess.run([sys.executable, "-c", _FREED_BLOCKS, mode], capture_output=True, text=True, check=True)
        return int(done.stdout)

    assert given_back("unmapped") >= 150  # MB of the 199 blocks freed
    assert given_back("default") < 50  # what the setting is for: glibc alone keeps them
