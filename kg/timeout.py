"""Running work that native code cannot interrupt (an Oxigraph query) under a time limit:
in a forked child process, killed when the time is up."""

from __future__ import annotations

import multiprocessing
import os
import select
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any


class TimedOut(Exception):
    pass


class ChildFailed(Exception):
    """The child raised: carries the exception when it could be sent back."""

    def __init__(self, error: BaseException | None, text: str):
        super().__init__(text)
        self.error = error


def _child(conn, func: Callable, args: tuple) -> None:
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


def call_with_timeout(func: Callable[..., Any], args: tuple, seconds: float) -> Any:
    """func(*args) in a child process; TimedOut after seconds (the child is killed),
    ChildFailed when it raised. func, args and the result must be picklable."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, func, args), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise TimedOut(f"took longer than {seconds:g} s and was stopped")
        status, payload = parent.recv()
    except EOFError as err:
        raise ChildFailed(None, "the worker process ended without an answer") from err
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "error":
        error, text = payload
        raise ChildFailed(error, text)
    return payload


def stream_with_timeout(func: Callable[..., None], args: tuple, seconds: float,
                        chunk: int = 65536) -> Iterator[bytes]:
    """The bytes func(*args, out) writes to out (a binary file) in a forked child, as they
    come. TimedOut (the child is killed) when it has not finished within seconds of the
    start; the child's own errors are for func to write."""
    context = multiprocessing.get_context("fork")
    read_end, write_end = os.pipe()
    process = context.Process(target=_stream_child, args=(write_end, func, args), daemon=True)
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
        if process.exitcode != 0:
            raise ChildFailed(None, f"the worker process failed while writing (exit code {process.exitcode})")
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)


def _stream_child(write_end: int, func: Callable, args: tuple) -> None:
    with os.fdopen(write_end, "wb") as out:
        func(*args, out)
