"""Python's cyclic garbage collector around a large document's many small objects.

Reading and extracting a document makes millions of small objects (blocks, locations, figures, cells)
and no reference cycles: they are let go of by reference counting alone. Each full collection of the
cyclic collector walks every live object, and while these objects grow, full collections come again
and again (about a tenth of a large document's time). So the collector is paused while they are made
and while the frames and the audit are computed from them (which leave a few dozen cyclic objects
even for a 10 MB document: collected when the collector runs again).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
