"""The memory of a document's read: the cyclic collector around it (`budgetbook.collector`) and what a worker
sends back."""

from __future__ import annotations

import gc
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
