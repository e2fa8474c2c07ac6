"""Writes that stop halfway, for the fault tests: a full disk, a process killed mid-letter.

``watch_letters`` hooks ``open`` (whatever way a letter is written, its file is
opened for writing) and stops the n-th .docx written into a folder: after half
of its bytes, or once it is complete. The killed-process tests import it in
their child process too.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class Stopping:
    """A file being written: with ``half``, half of the first write lands and then ``stop`` is called;
    otherwise ``stop`` is called once the file is complete and closed."""

    def __init__(self, handle, half: bool, stop):
        self._handle, self._half, self._stop = handle, half, stop

    def write(self, data):
        if self._half:
            self._handle.write(bytes(data)[: len(data) // 2])
            self._handle.flush()
            self._handle.close()
            self._stop()
        return self._handle.write(data)

    def close(self):
        self._handle.close()
        self._stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()
        else:
            self._handle.close()

    def __getattr__(self, name):
        return getattr(self._handle, name)


def watch_letters(folder: Path, number: int, half: bool, stop):
    """Stop the ``number``-th .docx written into ``folder``; returns the undo."""
    folder, real_open, seen = Path(folder).resolve(), io.open, []

    def open_(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if (
            isinstance(file, (str, os.PathLike))
            and "w" in mode
            and str(file).endswith(".docx")
            and Path(os.path.abspath(file)).parent == folder
        ):
            seen.append(file)
            if len(seen) == number:
                return Stopping(handle, half, stop)
        return handle

    builtins.open = io.open = open_

    def undo():
        builtins.open = io.open = real_open

    return undo
