"""Python's cyclic garbage collector and the C allocator around a large document's many small objects.

Reading and extracting a document makes millions of small objects (blocks, locations, figures, cells)
and no reference cycles: they are let go of by reference counting alone. Each full collection of the
cyclic collector walks every live object, and while these objects grow, full collections come again
and again (about a tenth of a large document's time). So the collector is paused while they are made
and while the frames and the audit are computed from them (which leave a few dozen cyclic objects
even for a 10 MB document: collected when the collector runs again).

The memory those objects held stays with the process once they are let go of (the C allocator keeps
freed pages for reuse), and the frames read back afterwards are new allocations beside it: so it is
given back to the system (`give_back_memory`) between reading the documents and assembling the run.
Large blocks (a frame's Arrow buffers, the audit's NumPy arrays) are each mapped on their own and
unmapped when freed (`large_blocks_unmapped`), rather than carved out of a heap that freed small objects
leave fragmented (a 50 MB document's worker peaked ~50 MB higher without).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache


@contextmanager
def paused() -> Iterator[None]:
    """Automatic collection paused for the block, then restored as it was (for code making no cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def give_back_memory() -> bool:
    """Return the C allocator's free memory to the system (glibc `malloc_trim`); False where there is none
    (another C library or system). A run on one 50 MB document, in one process, peaked at 1.45 GB without it
    between reading and assembling, 1.28 GB with it."""
    trim = _libc_function("malloc_trim")
    return bool(trim and trim(0))


# glibc's mallopt parameter and the size from which a block gets its own mapping (glibc's own default, which
# it otherwise raises to the largest block freed so far: the large blocks then stay in the heap)
_M_MMAP_THRESHOLD = -3
LARGE_BLOCK = 128 * 1024


def large_blocks_unmapped() -> bool:
    """Give each block of LARGE_BLOCK bytes or more its own mapping, returned to the system when freed
    (glibc `mallopt(M_MMAP_THRESHOLD)`, which also stops glibc raising that size); False where there is
    no glibc. Per process, and idempotent."""
    mallopt = _libc_function("mallopt")
    return bool(mallopt and mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK))


@cache
def _libc_function(name: str):
    """A function of the C library (glibc), or None."""
    path = ctypes.util.find_library("c")
    with suppress(OSError, AttributeError):
        return getattr(ctypes.CDLL(path), name) if path else None
    return None
