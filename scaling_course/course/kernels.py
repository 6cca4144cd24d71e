"""A Jupyter kernel manager for running notebooks headless that never waits on a missed wake-up.

Headless runs (``scaling-course run-notebooks``, the tests, ``nbgrader autograde``) execute the
lessons with nbclient, which waits for each cell's reply by polling the kernel's sockets once,
for as long as the cell's timeout. Now and then (seen twice in about 25 runs of lesson 05 at
``ci``, once at its slider cell) that single poll misses the wake-up for a reply that has already
arrived: the kernel sits idle, and the run stalls until the timeout expires, then carries on as
if nothing happened. A new poll always sees a waiting message (pyzmq checks the socket before it
waits), so :class:`SlicedPollChannel` waits in slices of ``POLL_SLICE`` seconds: a missed
wake-up costs at most one slice, and a real timeout still expires when it should.

Use it by class name wherever nbclient's ``kernel_manager_class`` can be set (and, in a server such as
Voilà, :data:`SERVER_KERNEL_MANAGER` as its kernels' manager)::

    NotebookClient(nb, kernel_manager_class="scaling_course.course.kernels.PatientKernelManager")
    papermill.execute_notebook(..., kernel_manager_class="scaling_course.course.kernels.PatientKernelManager")
    c.Execute.kernel_manager_class = "scaling_course.course.kernels.PatientKernelManager"   # nbgrader_config.py
"""

from __future__ import annotations

__all__ = []

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import DottedObjectName, Type

POLL_SLICE = 1.0            # seconds: the longest a missed wake-up can delay a message

#: What to pass as ``kernel_manager_class`` (nbclient, papermill, nbgrader's ``Execute``).
KERNEL_MANAGER = "scaling_course.course.kernels.PatientKernelManager"
#: The same for the kernels a server starts and runs a notebook in (Voilà, for the workshop dashboard).
SERVER_KERNEL_MANAGER = "scaling_course.course.kernels.PatientServerKernelManager"


class SlicedPollChannel(AsyncZMQSocketChannel):
    """A kernel channel whose ``get_msg(timeout)`` polls in slices of at most ``POLL_SLICE``
    seconds until a message comes or ``timeout`` (None: no limit) has passed."""

    async def get_msg(self, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await super().get_msg(timeout=min(POLL_SLICE, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise


class PatientKernelClient(AsyncKernelClient):
    """An asynchronous kernel client that reads replies and outputs through :class:`SlicedPollChannel`."""

    shell_channel_class = Type(SlicedPollChannel)
    iopub_channel_class = Type(SlicedPollChannel)


class PatientKernelManager(AsyncKernelManager):
    """An asynchronous kernel manager whose clients are :class:`PatientKernelClient`."""

    client_class = DottedObjectName("scaling_course.course.kernels.PatientKernelClient")
    client_factory = Type(PatientKernelClient, klass=AsyncKernelClient)


class PatientServerKernelManager(ServerKernelManager):
    """A server's kernel manager (it restarts a kernel that dies) whose clients are
    :class:`PatientKernelClient`: Voilà runs the dashboard's cells through such a client, and
    without it a missed wake-up at the slider cell left the page loading forever (about one load
    in five)."""

    client_class = DottedObjectName("scaling_course.course.kernels.PatientKernelClient")
    client_factory = Type(PatientKernelClient, klass=AsyncKernelClient)
