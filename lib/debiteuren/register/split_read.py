"""Reading a large register file in two processes.

Parsing a sheet holds the GIL (python-calamine), so threads do not overlap:
on a register with hundreds of thousands of rows a second process reads and
types every sheet but Facturen while this one does Facturen, the largest.
Only typed frames cross the pipe (pickling raw cells, with their date objects,
would cost more than it saves). The result is what ``type_ahead`` gives on the
plain path, so ``build_register`` reports the same problems in the same order.

The second process is forked, so it starts at once with everything imported.
Spawning one (Windows, macOS) re-imports the caller's main module, which breaks
a script without an ``if __name__ == "__main__"`` guard, and its start-up eats
most of the gain: there the plain path runs (``read_typed`` itself also works
with spawn; a test holds it to that).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from pathlib import Path

from . import file_backend, zip_integrity
from .problems import WorkbookUnreadable
from .schema import SHEETS
from .sheet_typing import type_ahead

# Below this the plain path takes well under a second: a second process is not worth it.
SPLIT_MIN_BYTES = 2 * 2**20
# Read by this process; the other process reads every other sheet.
OWN_SHEETS = ("Facturen",)
OTHER_SHEETS = tuple(name for name in SHEETS if name not in OWN_SHEETS)


def worth_splitting(path: Path) -> bool:
    """Whether ``read_typed`` should use a second process for this file on this machine."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon  # a daemon may not start a process
        # Forking while other threads run (a Jupyter kernel) may copy a lock one of them holds,
        # and the child would hang on it: only a single-threaded caller (the command line) splits.
        and threading.active_count() == 1
        and path.is_file()
        and path.stat().st_size >= SPLIT_MIN_BYTES
    )


def read_typed(path: Path, start_method: str = "fork") -> dict:
    """Every register sheet, typed ahead where ``type_ahead`` types it, read in two processes.

    Anything going wrong in the other process (it failed, died or could not
    start) makes this one read those sheets itself, so errors are the plain
    path's errors. The other process never outlives this call.
    """
    path = Path(path)
    file_backend.check_path(path)
    workbook = file_backend.open_workbook(path)
    try:
        context = multiprocessing.get_context(start_method)
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_read_other_sheets, args=(str(path), sender, receiver, os.getpid()), daemon=True
        )
        try:
            process.start()
        except Exception:  # no process to spare, or we are a daemon, which may not have one: read everything here
            process = None
        finally:
            sender.close()  # ours; the child keeps its own, so recv sees EOF if the child dies
        try:
            own = type_ahead(file_backend.read_sheets(workbook, OWN_SHEETS))
            other = _receive(receiver) if process is not None else None
        except WorkbookUnreadable:
            own = None  # a broken sheet: the plain path may meet another one first
        finally:
            receiver.close()
            if process is not None:
                if process.is_alive():
                    process.kill()
                process.join()
                process.close()
        if own is None or other is None:
            # The other process checks every member's CRC before it reads; without its word, check here.
            zip_integrity.verify_members(path)
        if own is None:
            return type_ahead(file_backend.read_sheets(workbook, SHEETS))  # raises what the plain path raises
        if other is None:
            other = type_ahead(file_backend.read_sheets(workbook, OTHER_SHEETS))
        else:
            other, verified = other
            zip_integrity.accept_verified(verified)
    finally:
        workbook.close()
    tables = {**own, **other}
    return {name: tables[name] for name in SHEETS}


def _receive(receiver):
    try:
        status, value = receiver.recv()
    except Exception:  # it died (EOFError) or sent something unreadable: read here instead
        return None
    return value if status == "ok" else None


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends, even when it is killed (Linux; elsewhere the pipe tells)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(0)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _read_other_sheets(path: str, sender, receiver, parent: int) -> None:
    """In the other process: read and type ``OTHER_SHEETS`` and send them back.

    It never outlives the review: it dies with its parent, and it closes its copy of the
    pipe's reading end, so a send to a parent that is gone fails instead of waiting forever.
    (A forked copy of the register lock is closed at the fork; see ``write.file_safety``.)
    """
    receiver.close()
    _die_with(parent)
    try:
        # read_tables checks every member's CRC first (while this process's parent parses Facturen).
        version = zip_integrity.identity(Path(path))
        tables = type_ahead(file_backend.read_tables(Path(path), OTHER_SHEETS))
        message = ("ok", (tables, version))
    except BaseException as error:  # the parent reads the sheets itself and meets the error there
        message = ("failed", repr(error))
    try:
        try:
            sender.send(message)
        except Exception:  # e.g. unpicklable: the parent sees a failure and reads itself
            sender.send(("failed", "not sendable"))
    except OSError:
        pass  # the parent stopped listening: it no longer needs the sheets
    finally:
        sender.close()
