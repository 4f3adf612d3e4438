"""Progress bars for long calls: ``progress=True`` shows tqdm, a callable is
called as ``callback(done, total)``.

The engine calls back from the thread that made the call, taking the GIL only
for the callback, so a bar updates while the C++ work runs without the GIL.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator, Optional, Union

Progress = Union[bool, None, Callable[[int, int], object]]


@contextlib.contextmanager
def progress_callback(
    progress: Progress, description: str, unit: str = "it", bytes_: bool = False
) -> Iterator[Optional[Callable[[int, int], object]]]:
    """A callback for the engine (None when no progress is wanted)."""
    if progress is None or progress is False:
        yield None
        return
    if callable(progress):
        yield progress
        return
    if progress is not True:
        raise TypeError("progress is True, False or a callable(done, total)")
    try:
        from tqdm.auto import tqdm
    except ImportError as e:  # pragma: no cover - tqdm is a declared dependency
        raise ImportError(
            "progress=True needs tqdm (Debian: apt-get install python3-tqdm)"
        ) from e
    options = dict(unit="B", unit_scale=True, unit_divisor=1024) if bytes_ else dict(unit=unit)
    bar = tqdm(desc=description, total=None, leave=False, **options)

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
