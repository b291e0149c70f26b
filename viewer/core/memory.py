"""How glibc keeps the memory that forward passes free: for reuse, in one arena, until told to give it back.

A capture keeps every output of a pass alive (ResNet50 at 224x224: ~150 MB) until the next one
replaces it. With glibc's defaults that memory goes back to the kernel when freed and each
capture page-faults through fresh memory (~1.9x a bare pass); :func:`retain_freed_memory`
keeps it for reuse instead. glibc also gives each thread its own arena (pool of memory), and
memory freed into one thread's arena serves only that thread: the explorer's passes run on
whichever thread of Qt's pool is free, so a pass on another thread than the last page-faulted
through ~8,000 fresh pages (1.22x a bare pass instead of 1.05x). One arena for every thread
fixes that; it must be set before the threads allocate, so the app calls this first thing.

Torch-free (ctypes only), so that the GUI can call it before anything heavy is imported.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

__all__ = ["release_freed_memory", "retain_freed_memory"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8


@functools.cache
def retain_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse, in one arena for every thread created from now
    on (see the module docstring); True if it did.

    Best effort and once per process: a no-op (False) off Linux or without glibc.
    """
    mallopt = _glibc_function("mallopt")
    if mallopt is None:
        return False
    # Large blocks from the heap (not one mmap each, unmapped on free), and freed memory
    # returned to the kernel only beyond 1 GiB. Setting either fixes both: glibc stops
    # adapting them itself.
    mmap_ok = mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    trim_ok = mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    arena_ok = mallopt(_M_ARENA_MAX, 1)
    return bool(mmap_ok and trim_ok and arena_ok)


def release_freed_memory() -> bool:
    """Hand the memory glibc keeps for reuse back to the system (``malloc_trim(0)``); True if
    some was released.

    :func:`retain_freed_memory` makes glibc keep up to 1 GiB of freed memory, which is right
    while captures of one network follow each other, and wrong once a bigger network's model
    and result are gone: call this then (it takes a few milliseconds per GiB and releases the
    GIL). A no-op (False) off Linux or without glibc.
    """
    malloc_trim = _glibc_function("malloc_trim")
    return malloc_trim is not None and bool(malloc_trim(0))


def _glibc_function(name: str):
    """glibc's function ``name`` through ctypes, or None off Linux or without glibc."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None
