"""Read and parse one document in a child process with a time and a memory budget.

Why a child process: a pattern or a library that runs away on a hostile file cannot be
stopped from inside the process (a regular expression holds the interpreter until it ends,
and a MemoryError may come in any library, or the kernel may kill the whole worker). A
forked child starts at once with the parser already loaded, gets an address-space limit
(RLIMIT_AS) and a CPU limit of its own, and is killed when its time is up; the worker then
refuses the document with a message and goes on, with its heartbeat and database connection
untouched (the child never uses the database: the vocabulary is read before the fork).
"""

import os
import pickle
import resource
import select
import signal
import time
import warnings

from django.conf import settings

from profiles.importing.readers import UnreadableDocument


def seconds_allowed():
    return settings.IMPORT_DOCUMENT_SECONDS


def memory_allowed():
    """Bytes of address space the child may take on top of what it starts with."""
    return settings.IMPORT_DOCUMENT_MEMORY_MB * 1024 * 1024


def _address_space():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(function, args, write_fd, seconds, memory):
    try:
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            outcome = ("ok", function(*args))
        except UnreadableDocument as error:
            outcome = ("refused", str(error))
        except MemoryError:
            outcome = ("memory", "")
        except Exception as error:  # reported to the parent, which logs and refuses it
            outcome = ("error", f"{type(error).__name__}: {error}")
        try:
            payload = pickle.dumps(outcome)
        except MemoryError:
            payload = pickle.dumps(("memory", ""))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)


def run(function, *args):
    """function(*args) in a child within the budget; UnreadableDocument if it is refused.

    Errors the function did not foresee come back as RuntimeError with their description.
    """
    seconds, memory = seconds_allowed(), memory_allowed()
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork in a process with threads (the worker's heartbeat):
        # the child only runs the parser and never takes a lock those threads hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(function, args, write_fd, seconds, memory)
    os.close(write_fd)
    deadline = time.monotonic() + seconds
    chunks, timed_out = [], False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                timed_out = True
                break
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    out_of_cpu = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL)
    if timed_out or out_of_cpu:
        raise UnreadableDocument(
            f"the document took longer than {seconds} seconds to read, so it was stopped "
            "(it may be damaged, or built to stall the importer)"
        )
    if not chunks:
        raise UnreadableDocument(_too_large(memory))
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value
    if kind == "refused":
        raise UnreadableDocument(value)
    if kind == "memory":
        raise UnreadableDocument(_too_large(memory))
    raise RuntimeError(value)


def _too_large(memory):
    return (
        f"the document needs more than {memory // 1024 // 1024} MB of memory to read, "
        "so it was stopped (it may be damaged, or built to exhaust the importer)"
    )
