"""Department names as folder and file names: no separators, no traversal, no clashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_NAME = 80


def safe_name(name: str) -> str:
    """A file-system-safe form of `name` (CJK kept; separators, controls and leading dots removed)."""
    s = unicodedata.normalize("NFKC", str(name or ""))
    s = _UNSAFE.sub("_", s).strip(" ._")
    s = re.sub(r"\.{2,}", ".", s)[:MAX_NAME].strip(" ._")
    return s or "未命名"


def safe_names(names: list[str]) -> dict[str, str]:
    """Safe names for several departments, made distinct where two would clash."""
    out: dict[str, str] = {}
    used: dict[str, str] = {}
    for name in sorted(set(names)):
        base = safe_name(name)
        candidate = base
        if candidate.casefold() in used and used[candidate.casefold()] != name:
            candidate = f"{base}_{hashlib.sha1(name.encode()).hexdigest()[:6]}"
        used[candidate.casefold()] = name
        out[name] = candidate
    return out
