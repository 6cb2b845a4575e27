"""The narrow channel between the grader and the sandbox.

A frame is: 4-byte big-endian length of a UTF-8 JSON header, the header, then `header["blob"]`
bytes of safetensors data (0 when no tensors). Nothing else crosses: no pickle, no code.
Both lengths are capped, so a hostile peer can neither exhaust memory nor smuggle objects:
whatever the grader decodes is a dict of JSON values and a dict of plain tensors.
File descriptors ride on the first byte of a frame (SCM_RIGHTS) when one side hands the other a
fresh socket for a new submission or check.
"""

from __future__ import annotations

import io
import json
import socket
import struct
import time
from collections.abc import Callable
from typing import Any

import torch
from safetensors import SafetensorError, TensorSpec, deserialize, serialize
from safetensors.torch import load as _load_tensors

from autograder.untrusted import keep_builtins

keep_builtins(globals())

MAX_HEADER = 1 << 20  # 1 MiB of JSON
MAX_BLOB = 64 << 20  # 64 MiB of tensors
_LEN = struct.Struct(">I")


class ChannelError(Exception):
    """The peer broke the protocol, closed the socket, or exceeded a cap."""


def encode(header: dict[str, Any], tensors: dict[str, torch.Tensor] | None = None) -> bytes:
    plain = {k: t.detach().clone(memory_format=torch.contiguous_format) for k, t in (tensors or {}).items()}
    blob = _safetensors(plain) if plain else b""
    header = {**header, "blob": len(blob)}
    head = json.dumps(header, ensure_ascii=True, allow_nan=True).encode()
    return _LEN.pack(len(head)) + head + blob


def _safetensors(plain: dict[str, torch.Tensor]) -> bytes:
    """safetensors' own serializer, given each fresh contiguous clone's memory directly: the same bytes as
    `safetensors.torch.save`, whose per-tensor numpy views cost ten times as much on a frame of small tensors."""
    try:
        return serialize({name: TensorSpec(dtype=str(t.dtype).removeprefix("torch."), shape=list(t.shape),
                                           data_ptr=t.data_ptr(), data_len=t.numel() * t.element_size())
                          for name, t in plain.items()})
    except SafetensorError as exc:  # a dtype safetensors has no name for (complex32, quantized)
        raise ValueError(str(exc)) from None


def send(sock: socket.socket, header: dict[str, Any] | bytes, tensors: dict[str, torch.Tensor] | None = None,
         fds: list[int] | None = None) -> None:
    """Send one frame; `header` may be a whole frame already made by `encode` (sent as it is)."""
    data = header if isinstance(header, bytes) else encode(header, tensors)
    if fds:
        sent = socket.send_fds(sock, [data[:1]], fds)
        data = data[sent:]
    sock.sendall(data)


def _read_exact(sock: socket.socket, n: int, deadline: float | None = None) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        _arm(sock, deadline)
        try:
            chunk = sock.recv(min(n - len(chunks), 1 << 20))
        except TimeoutError:
            raise
        except OSError as exc:
            raise ChannelError(f"the channel broke: {exc}") from None
        if not chunk:
            raise ChannelError("the other side closed the channel")
        chunks += chunk
    return bytes(chunks)


def _arm(sock: socket.socket, deadline: float | None) -> None:
    """Whole-frame deadline: a peer that trickles bytes cannot stretch its time."""
    if deadline is None:
        sock.settimeout(None)
        return
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    sock.settimeout(left)


def receive(sock: socket.socket, *, max_fds: int = 0, deadline: float | None = None, digest: Any = None
            ) -> tuple[dict[str, Any], dict[str, torch.Tensor], list[int]]:
    """Read one frame. Raises ChannelError for anything malformed or over a cap, TimeoutError late.
    `digest` (a hashlib object) is fed the frame's bytes as they come."""
    header, blob, fds = _receive(sock, max_fds, deadline, digest)
    return header, tensors_of(blob), fds


def receive_raw(sock: socket.socket, *, deadline: float | None = None, digest: Any = None
                ) -> tuple[dict[str, Any], bytes]:
    """`receive`, the tensors checked but left as their safetensors bytes (`tensors_of` makes them): a reader
    that may never look at them (a remembered verdict, autograder/trusted/planned.py) does not pay for them."""
    header, blob, _ = _receive(sock, 0, deadline, digest)
    if blob:
        try:
            deserialize(blob)  # the same check `receive` makes; only making the tensors waits
        except Exception as exc:  # safetensors raises its own error types for bad bytes
            raise ChannelError(f"tensor blob is not valid safetensors: {exc}") from None
    return header, blob


def _receive(sock: socket.socket, max_fds: int, deadline: float | None, digest: Any
             ) -> tuple[dict[str, Any], bytes, list[int]]:
    fds: list[int] = []
    first = b""
    if max_fds:
        _arm(sock, deadline)
        try:
            first, fds, _flags, _addr = socket.recv_fds(sock, 1, max_fds)
        except TimeoutError:
            raise
        except OSError as exc:
            raise ChannelError(f"the channel broke: {exc}") from None
        if not first:
            raise ChannelError("the other side closed the channel")

    def read(n: int) -> bytes:
        data = _read_exact(sock, n, deadline)
        if digest is not None:
            digest.update(data)
        return data

    if digest is not None:
        digest.update(first)
    header, blob = _parse(read, first)
    return header, blob, fds


def decode(data: bytes) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    """Parse one whole frame held in memory (the in-kernel path), with the same caps and checks."""
    stream = io.BytesIO(data)

    def read(n: int) -> bytes:
        chunk = stream.read(n)
        if len(chunk) != n:
            raise ChannelError("the frame ended early")
        return chunk

    header, blob = _parse(read)
    return header, tensors_of(blob)


def _parse(read: Callable[[int], bytes], first: bytes = b"") -> tuple[dict[str, Any], bytes]:
    (head_len,) = _LEN.unpack(first + read(_LEN.size - len(first)))
    if head_len > MAX_HEADER:
        raise ChannelError(f"header of {head_len} bytes exceeds the {MAX_HEADER}-byte cap")
    try:
        header = json.loads(read(head_len))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ChannelError(f"header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise ChannelError("header is not a JSON object")
    blob_len = header.get("blob", 0)
    if not isinstance(blob_len, int) or not 0 <= blob_len <= MAX_BLOB:
        raise ChannelError(f"tensor blob of {blob_len!r} bytes is not allowed (cap {MAX_BLOB})")
    return header, read(blob_len) if blob_len else b""


def tensors_of(blob: bytes) -> dict[str, torch.Tensor]:
    """A frame's tensors from its safetensors bytes (capped as it was read); ChannelError if they are not valid."""
    if not blob:
        return {}
    try:
        return _load_tensors(blob)
    except Exception as exc:  # safetensors raises its own error types for bad bytes
        raise ChannelError(f"tensor blob is not valid safetensors: {exc}") from None
