"""Headless notebook runs poll the kernel in short slices (scaling_course.course.kernels)."""

import asyncio
import pathlib
import time
from queue import Empty

import pytest

from scaling_course.course import kernels, notebooks
from scaling_course.course.kernels import PatientKernelClient, PatientKernelManager, SlicedPollChannel

ROOT = pathlib.Path(__file__).resolve().parent.parent


class MissedWakeUpSocket:
    """Holds a reply from the start, but its first poll waits out its whole timeout without
    seeing it, as a missed wake-up does; later polls see it at once."""

    def __init__(self):
        self.polls = []

    async def poll(self, timeout_ms):
        self.polls.append(timeout_ms)
        if len(self.polls) == 1:
            await asyncio.sleep(timeout_ms / 1000)
            return 0
        return 1


def channel_on(socket) -> SlicedPollChannel:
    channel = SlicedPollChannel.__new__(SlicedPollChannel)     # no real zmq socket or session
    channel.socket = socket

    async def recv():
        return {"msg_type": "execute_reply"}
    channel._recv = recv
    return channel


def test_a_missed_wake_up_costs_one_slice_not_the_whole_timeout(monkeypatch):
    monkeypatch.setattr(kernels, "POLL_SLICE", 0.05)
    socket = MissedWakeUpSocket()
    started = time.monotonic()
    message = asyncio.run(channel_on(socket).get_msg(timeout=30))
    assert message == {"msg_type": "execute_reply"}
    assert time.monotonic() - started < 1.0
    assert socket.polls == [50, 50]


def test_the_timeout_still_expires_when_nothing_comes(monkeypatch):
    monkeypatch.setattr(kernels, "POLL_SLICE", 0.05)

    class SilentSocket:
        async def poll(self, timeout_ms):
            await asyncio.sleep(timeout_ms / 1000)
            return 0

    started = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel_on(SilentSocket()).get_msg(timeout=0.2))
    assert 0.2 <= time.monotonic() - started < 1.0


def test_the_manager_hands_out_sliced_channels():
    manager = PatientKernelManager(kernel_name="python3")
    client = manager.client()
    assert isinstance(client, PatientKernelClient)
    assert client.shell_channel_class is SlicedPollChannel and client.iopub_channel_class is SlicedPollChannel


def test_run_notebook_and_nbgrader_use_it(tmp_path, monkeypatch):
    import nbformat
    from traitlets.config.loader import PyFileConfigLoader

    made = []
    original = PatientKernelManager.client
    monkeypatch.setattr(PatientKernelManager, "client", lambda self, **kw: made.append(self) or original(self, **kw))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    nbformat.write(nb, tmp_path / "tiny.ipynb")
    assert notebooks.run_notebook(tmp_path / "tiny.ipynb").ok and made

    loader = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT))
    loader.load_config()
    assert loader.config.Execute.kernel_manager_class == kernels.KERNEL_MANAGER
