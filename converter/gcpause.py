"""Pausing Python's cycle collector while a conversion builds its many small objects.

Readers and the emitter create millions of dicts, lists and models that form no reference cycles, so collector
passes over them only cost time. Disabling the collector is not enough on its own: when it is enabled again, its
youngest generation holds everything built meanwhile, and the first collection after that walks all of it
(0.6 s after a 50,000-entry HAR). ``gc.freeze()`` then ``gc.unfreeze()`` moves those objects straight to the oldest
generation instead, without a pass over them; they are still freed by reference counting as usual, and any
cycle among them is still found by the next full collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    if not gc.isenabled():  # paused already (nested use), or switched off by the caller: leave it so
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()
