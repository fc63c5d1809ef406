"""Process settings for the engine's numeric work, applied by programs, never on import.

glibc's malloc hands large freed blocks back to the kernel (blocks above its mmap threshold,
and the top of the heap above its trim threshold). The Monte Carlo allocates arrays of megabytes
per chunk, so every run page-faults them in again: on the 2-core reference machine about 13,000
page faults and 70 ms of kernel time in a 10,000-draw run of ``bench/bench_model.py``, a third of
its wall time. :func:`keep_freed_memory` raises both thresholds, so freed arrays are reused. The
price is that the process keeps up to ``trim`` bytes of freed heap instead of returning them.

The app (``app.py``) and the benchmarks call it; the library itself changes nothing.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_MAX = 32 * 1024 * 1024  # glibc's ceiling for the mmap threshold on 64-bit
TRIM = 256 * 1024 * 1024

_applied: bool | None = None


def keep_freed_memory(trim: int = TRIM, mmap: int = MMAP_MAX) -> bool:
    """Raise glibc's trim and mmap thresholds for this process. Returns whether the allocator
    took them (False on other platforms and C libraries); calling it again does nothing."""
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    _applied = bool(mallopt(M_MMAP_THRESHOLD, mmap)) and bool(mallopt(M_TRIM_THRESHOLD, trim))
    return _applied
