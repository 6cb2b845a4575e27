"""The channel carries JSON and plain tensors only, within caps; anything else is refused."""

from __future__ import annotations

import json
import pickle
import socket
import struct
import threading

import pytest
import torch

from autograder import channel


def roundtrip(data: bytes, *, raw: bool = False) -> tuple[dict, dict]:
    """`receive` of the frame `data`; with `raw`, `receive_raw` and then `tensors_of` (the plan's way)."""
    a, b = socket.socketpair()
    writer = threading.Thread(target=lambda: (a.sendall(data), a.close()))
    writer.start()
    try:
        if raw:
            header, blob = channel.receive_raw(b)
            return header, channel.tensors_of(blob)
        header, tensors, _ = channel.receive(b)
    finally:
        writer.join()
        b.close()
    return header, tensors


@pytest.mark.parametrize("raw", [False, True])
def test_tensors_and_facts_round_trip_exactly(raw: bool) -> None:
    sent = {"x": torch.tensor([[1.5], [float("nan")]], dtype=torch.float64), "i": torch.arange(3),
            "scalar": torch.tensor(2.0)}
    header, tensors = roundtrip(channel.encode({"facts": {"kind": "tensor"}}, sent), raw=raw)
    assert header["facts"] == {"kind": "tensor"}
    for name, value in sent.items():
        assert tensors[name].dtype == value.dtype and tensors[name].shape == value.shape
        assert torch.equal(tensors[name].nan_to_num(), value.nan_to_num())
        assert type(tensors[name]) is torch.Tensor


def test_a_pickle_is_not_a_frame() -> None:
    payload = pickle.dumps({"score": 100})
    with pytest.raises(channel.ChannelError):
        roundtrip(struct.pack(">I", len(payload)) + payload)


def test_a_header_over_the_cap_is_refused_before_it_is_read() -> None:
    with pytest.raises(channel.ChannelError, match="cap"):
        roundtrip(struct.pack(">I", channel.MAX_HEADER + 1))


def test_a_blob_over_the_cap_is_refused() -> None:
    head = json.dumps({"blob": channel.MAX_BLOB + 1}).encode()
    with pytest.raises(channel.ChannelError, match="cap"):
        roundtrip(struct.pack(">I", len(head)) + head)


@pytest.mark.parametrize("raw", [False, True])
def test_garbage_where_safetensors_should_be_is_refused(raw: bool) -> None:
    """Refused as the frame is read, also when its tensors are made only later (receive_raw)."""
    head = json.dumps({"blob": 16}).encode()
    with pytest.raises(channel.ChannelError, match="safetensors"):
        roundtrip(struct.pack(">I", len(head)) + head + b"\x00" * 16, raw=raw)


def test_a_silent_peer_runs_into_the_deadline() -> None:
    import time

    a, b = socket.socketpair()
    with pytest.raises(TimeoutError):
        channel.receive(b, deadline=time.monotonic() + 0.2)
    a.close()
    b.close()
