"""Writing output files the way users expect ``-o PATH`` to behave.

* A regular file (new, or reached through symlinks) is written atomically: a temporary file in
  the same folder, then a rename, so a failure never leaves a half-written file behind. The
  symlink stays a symlink; its target gets the content.
* A new file gets the mode the umask allows (as a shell redirection would); an overwritten file
  keeps its mode.
* A terminal, a pipe, a FIFO or another character device (``/dev/stdout``, ``/dev/null``) is
  opened and written in place: renaming a regular file over it would replace the device.
* A folder, a block device or a socket is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from pathlib import Path

from .errors import DeriveError

# /dev/stdout, /dev/fd/N and /proc/self/fd/N lead to one of these: a descriptor the process
# already holds, which may be a pipe, a terminal or a file that a shell opened for appending.
_DESCRIPTOR = re.compile(r"/proc/(?:self|thread-self|\d+)(?:/task/\d+)?/fd/\d+")
_LINK_LIMIT = 40  # as the kernel's own limit on symlinks followed while resolving one path
# Bytes as given (no newline translation on Windows), and not inherited by child processes.
_FLAGS = getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def write_output(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text is encoded as UTF-8, newlines untouched) to ``path``.

    Raises :class:`DeriveError` for a path that cannot hold output (a folder, a block device,
    a socket), and ``OSError`` naming ``path`` when writing fails; a regular file is then left
    as it was.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if _through_descriptor(path):
            # A shell's `>>` must not be truncated, and `>` has already emptied the file.
            _write_in_place(path, payload, os.O_APPEND)
            return
        try:
            existing: os.stat_result | None = os.stat(path)  # follows symlinks
        except FileNotFoundError:
            existing = None  # a new file, or a symlink whose target does not exist yet
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            if stat.S_ISCHR(existing.st_mode) or stat.S_ISFIFO(existing.st_mode):
                _write_in_place(path, payload, 0)
                return
            raise DeriveError(f"cannot write {path}: it is {_kind(existing.st_mode)}")
        if existing is not None and not os.access(path, os.W_OK):
            # Renaming over a read-only file would succeed; a redirection would not.
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        _replace(Path(os.path.realpath(path)), payload, existing)
    except OSError as exc:
        # Name the path the user gave, never the temporary file or the link's target.
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


# The name callers used when every write was a rename.
write_atomic = write_output


def _kind(mode: int) -> str:
    """``a folder``, ``a block device``, ``a socket``: why a path cannot take output."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _through_descriptor(path: str | Path) -> bool:
    """Whether resolving ``path`` passes through ``/proc/…/fd/N`` (``/dev/stdout``, ``/dev/fd/1``)."""
    current = os.path.abspath(path)
    for _ in range(_LINK_LIMIT):
        # Resolve the folders first: /dev/fd is itself a link to /proc/self/fd.
        current = os.path.join(os.path.realpath(os.path.dirname(current)), os.path.basename(current))
        if _DESCRIPTOR.fullmatch(current):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return False


def _write_in_place(path: str | Path, payload: bytes, flags: int) -> None:
    """Open an existing file for writing, without creating or truncating it, and write."""
    handle = os.open(path, os.O_WRONLY | _FLAGS | flags)
    try:
        _write_all(handle, payload)
    finally:
        os.close(handle)


def _write_all(handle: int, payload: bytes) -> None:
    """``os.write`` until everything is written: pipes and terminals may take part of it."""
    view = memoryview(payload)
    while view:
        view = view[os.write(handle, view) :]


def _replace(target: Path, payload: bytes, existing: os.stat_result | None) -> None:
    """Write a temporary file next to ``target``, then rename it over ``target``."""
    handle, temporary = _temporary(target)
    try:
        if existing is not None:
            if hasattr(os, "fchown") and (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
                # Only root may give a file away; the content matters more than the owner.
                with contextlib.suppress(PermissionError):
                    os.fchown(handle, existing.st_uid, existing.st_gid)
            # After the owner: changing it clears set-user-ID bits. By name, as Windows has
            # no fchmod before Python 3.13.
            os.chmod(temporary, stat.S_IMODE(existing.st_mode))
        _write_all(handle, payload)
        os.fsync(handle)
    except BaseException:
        os.close(handle)
        temporary.unlink(missing_ok=True)
        raise
    os.close(handle)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary(target: Path) -> tuple[int, Path]:
    """A new hidden file beside ``target``, created with mode 0666 so the umask decides."""
    for _ in range(100):
        # os.urandom, not secrets, whose import (hmac, base64, hashlib) costs more than all of this module
        temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))
