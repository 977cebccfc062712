"""Running work that native code cannot interrupt (an Oxigraph query) under a time limit
and a memory limit: in a forked child process, killed when the time is up, stopped by the
kernel when it asks for more memory than its limit, and killed when its parent dies (so
that a stopped server leaves no query running)."""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import multiprocessing
import os
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any


class TimedOut(Exception):
    pass


class OutOfMemory(Exception):
    pass


class ChildFailed(Exception):
    """The child raised: carries the exception when it could be sent back."""

    def __init__(self, error: BaseException | None, text: str):
        super().__init__(text)
        self.error = error


def _fresh_context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kg.serve"])
    return context


def start_fresh_workers() -> None:
    """Start the fork server of call_with_timeout(fresh=True) now (it takes a second or two
    to import kg), so that the first update does not wait for it."""
    from multiprocessing import forkserver

    _fresh_context()
    forkserver.ensure_running()


def _bound_child(parent: int | None, memory: int | None) -> None:
    """In the child: die with the parent (a fork server's child: with the fork server,
    which ends with the process that started it), and hold at most memory bytes more."""
    with contextlib.suppress(OSError, AttributeError):  # Linux only
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent:  # the parent died before prctl
        os._exit(1)
    for stop in (signal.SIGTERM, signal.SIGINT):  # not the parent's handlers: they wait for native code
        signal.signal(stop, signal.SIG_DFL)
    if memory is not None:
        # RLIMIT_DATA counts the heap and private mappings actually made writable, not the
        # address space that thread arenas reserve (RLIMIT_AS stops a normal query).
        limit = _data_size() + memory
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # Rust's "memory allocation failed" lines are not the server's log
        faulthandler.disable()  # nor a dump of Python's stack when the allocation fails


def _data_size() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn, func: Callable, args: tuple, parent: int | None, memory: int | None) -> None:
    _bound_child(parent, memory)
    try:
        conn.send(("ok", func(*args)))
    except BaseException as err:  # everything goes back to the parent, which decides
        text = f"{type(err).__name__}: {err}"
        try:
            conn.send(("error", (err, text)))
        except Exception:
            conn.send(("error", (None, text + "\n" + traceback.format_exc(limit=3))))
    finally:
        conn.close()


def call_with_timeout(func: Callable[..., Any], args: tuple, seconds: float, memory: int | None = None,
                      fresh: bool = False) -> Any:
    """func(*args) in a child process; TimedOut after seconds (the child is killed),
    OutOfMemory when it needed more than memory bytes, ChildFailed when it raised. func,
    args and the result must be picklable. fresh: forked from a clean process (a fork
    server that never opened a store) rather than from this one, for work that writes a
    store: RocksDB's background threads do not survive a fork, and a forked child's flush
    waits for them forever once its parent has written a store."""
    context = _fresh_context() if fresh else multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, func, args, None if fresh else os.getpid(), memory),
                              daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise TimedOut(f"took longer than {seconds:g} s and was stopped")
        status, payload = parent.recv()
    except EOFError as err:
        process.join(5)
        if memory is not None and process.exitcode == -signal.SIGABRT:  # Rust aborts when an allocation fails
            raise OutOfMemory(_memory_message(memory)) from err
        raise ChildFailed(None, "the worker process ended without an answer") from err
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "error":
        error, text = payload
        if memory is not None and isinstance(error, MemoryError):
            raise OutOfMemory(_memory_message(memory))
        raise ChildFailed(error, text)
    return payload


def _memory_message(memory: int) -> str:
    return f"needed more than {memory / 2**20:,.0f} MB of memory and was stopped"


def stream_with_timeout(func: Callable[..., None], args: tuple, seconds: float, chunk: int = 65536,
                        memory: int | None = None) -> Iterator[bytes]:
    """The bytes func(*args, out) writes to out (a binary file) in a forked child, as they
    come. TimedOut (the child is killed) when it has not finished within seconds of the
    start; the child's own errors are for func to write."""
    context = multiprocessing.get_context("fork")
    read_end, write_end = os.pipe()
    process = context.Process(target=_stream_child, args=(write_end, func, args, os.getpid(), memory), daemon=True)
    process.start()
    os.close(write_end)
    deadline = time.monotonic() + seconds
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([pipe], [], [], left)[0]:
                    raise TimedOut(f"took longer than {seconds:g} s and was stopped")
                data = pipe.read(chunk)
                if not data:
                    break
                yield data
        process.join(5)
        if memory is not None and process.exitcode == -signal.SIGABRT:
            raise OutOfMemory(_memory_message(memory))
        if process.exitcode != 0:
            raise ChildFailed(None, f"the worker process failed while writing (exit code {process.exitcode})")
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)


def _stream_child(write_end: int, func: Callable, args: tuple, parent: int, memory: int | None) -> None:
    _bound_child(parent, memory)
    with os.fdopen(write_end, "wb") as out:
        func(*args, out)
