"""Python's cyclic garbage collector around a large document's many small objects.

Reading and extracting a document makes millions of small objects (blocks, locations, figures, cells)
and no reference cycles: they are let go of by reference counting alone. Each full collection of the
cyclic collector walks every live object, and while these objects grow, full collections come again
and again (about a tenth of a large document's time). So the collector is paused while they are made,
and kept from walking them afterwards (`gc.freeze`) while the frames and the audit are computed.
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


@contextmanager
def settled() -> Iterator[None]:
    """The objects alive now kept out of the collector's walks for the block (`gc.freeze`): they are
    still freed by reference counting as they are let go of; after the block they are walked again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
