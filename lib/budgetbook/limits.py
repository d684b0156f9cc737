"""What one document may cost: time, memory and inflated (decompressed) size.

The limits are enforced in the process that reads the document:
- time: an alarm interrupts the reading after `seconds` (a CPU-time limit backs it up in
  worker processes, for code that never returns to Python);
- memory: a worker process may grow by `memory_mb` of address space beyond what it starts with
  (a reader that asks for more gets MemoryError, or its process dies; either is one problem row);
- inflated size: compressed streams (PDF FlateDecode, the parts of a .docx) may not inflate to
  more than `inflated_mb` per document, so a "zip bomb" is refused before it is unpacked.

A document over a limit raises `LimitExceeded`, a BaseException so that no reader's own
`except Exception` (one bad page must not lose the others) swallows it. Workers die with
their parent (Linux `PR_SET_PDEATHSIG`), so killing a run never leaves orphans reading on.
Defaults can be changed with BUDGETBOOK_LIMIT_SECONDS, BUDGETBOOK_LIMIT_MEMORY_MB and
BUDGETBOOK_LIMIT_INFLATED_MB.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import math
import os
import resource
import signal
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
_PR_SET_PDEATHSIG = 1
_CHUNK = 4 * MB


class LimitExceeded(BaseException):
    """A document went over one of its limits; the message says which, in words a user can act on."""


@dataclass(frozen=True)
class Limits:
    seconds: float = 300.0
    memory_mb: int = 3072
    inflated_mb: int = 256

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, overridden by the BUDGETBOOK_LIMIT_* environment variables."""
        default = cls()
        return cls(
            seconds=_env_number("BUDGETBOOK_LIMIT_SECONDS", default.seconds),
            memory_mb=int(_env_number("BUDGETBOOK_LIMIT_MEMORY_MB", default.memory_mb)),
            inflated_mb=int(_env_number("BUDGETBOOK_LIMIT_INFLATED_MB", default.inflated_mb)),
        )


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


# --- inflated size ---------------------------------------------------------------------------

_budget = threading.local()


def inflate_budget() -> int:
    """Bytes this document may still inflate."""
    return getattr(_budget, "left", Limits.from_env().inflated_mb * MB)


def charge_inflated(n: int) -> None:
    """Count `n` inflated bytes against the document's budget; raise once it is spent."""
    _budget.left = inflate_budget() - n
    if _budget.left < 0:
        raise LimitExceeded(
            f"compressed content inflates to more than {Limits.from_env().inflated_mb} MB "
            "(a decompression bomb?); not read"
        )


def bounded_decompress(data: bytes, *args, **kwargs) -> bytes:
    """zlib.decompress that never inflates more than the document's remaining budget."""
    if args or kwargs:  # wbits/bufsize given: keep zlib's own behaviour, still counted
        out = zlib.decompress(data, *args, **kwargs)
        charge_inflated(len(out))
        return out
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    pending = data
    while True:
        chunk = inflater.decompress(pending, _CHUNK)
        charge_inflated(len(chunk))
        parts.append(chunk)
        pending = inflater.unconsumed_tail
        if not pending or not chunk:
            break
    tail = inflater.flush()
    charge_inflated(len(tail))
    parts.append(tail)
    if not inflater.eof:
        raise zlib.error("incomplete or truncated stream")  # as zlib.decompress does
    return b"".join(parts)


class _BoundedZlib:
    """Stands in for the `zlib` module inside pdfminer: the same, with `decompress` bounded."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    decompress = staticmethod(bounded_decompress)


def guard_pdf_streams() -> None:
    """Make pdfminer inflate PDF streams within the document's budget."""
    from pdfminer import pdftypes

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib()


def check_archive(infos, limits: Limits | None = None) -> None:
    """Refuse a zip container (.docx) whose parts declare more than the inflated limit."""
    limits = limits or Limits.from_env()
    total = sum(max(0, i.file_size) for i in infos)
    if total > limits.inflated_mb * MB:
        raise LimitExceeded(
            f"its parts unpack to {total // MB} MB, more than {limits.inflated_mb} MB (a zip bomb?); not read"
        )


# --- time and memory -------------------------------------------------------------------------

_in_worker = False


@contextlib.contextmanager
def document_limits(limits: Limits | None = None) -> Iterator[Limits]:
    """Apply `limits` to the reading of one document (time, inflated size; CPU time in workers)."""
    limits = limits or Limits.from_env()
    _budget.left = limits.inflated_mb * MB
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if alarm else None
    if alarm:
        signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    cpu = _limit_cpu(limits.seconds) if _in_worker else None
    try:
        yield limits
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if cpu is not None:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_CPU, cpu)
        with contextlib.suppress(AttributeError):
            del _budget.left


def _on_alarm(signum, frame) -> None:
    raise LimitExceeded(f"reading took more than {Limits.from_env().seconds:g} s; stopped")


def _limit_cpu(seconds: float) -> tuple[int, int] | None:
    """Backstop for code that never returns to Python: SIGXCPU kills the worker past the limit."""
    try:
        before = resource.getrlimit(resource.RLIMIT_CPU)
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = used.ru_utime + used.ru_stime
        soft = int(spent + 2 * seconds + 5)
        hard = before[1]
        if hard != resource.RLIM_INFINITY and soft > hard:
            return None
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        return before
    except (ValueError, OSError):
        return None


def worker_init(parent: int, limits: Limits | None = None) -> None:
    """Pool initializer: die with the parent, leave Ctrl-C to it, cap the address space."""
    global _in_worker
    _in_worker = True
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the run and terminates us
    limits = limits or Limits.from_env()
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = _address_space() + limits.memory_mb * MB  # on top of what the forked worker starts with
        if hard == resource.RLIM_INFINITY or soft <= hard:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """Bytes of address space this process uses now (0 where /proc is not available)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def die_with_parent() -> bool:
    """Ask Linux to kill this process when its parent dies; False where that is not available."""
    path = ctypes.util.find_library("c")
    if not path or not hasattr(signal, "SIGKILL"):
        return False
    try:
        libc = ctypes.CDLL(path, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
