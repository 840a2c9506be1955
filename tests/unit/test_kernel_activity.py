"""The lesson app's kernel activity watcher (netwise/app/admission.py) against jupyter_server's rules.

The watcher reads only the message types (and a status message's state) of what a kernel
publishes, instead of deserializing every message: last activity and execution state must
still follow jupyter_server's rules, and a message not signed with the kernel's key counts
for nothing. Real jupyter_client sessions sign the messages; the kernel is a stand-in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jupyter_client.session import Session

from netwise.app.admission import AdmittingKernelManager

KEY = b"kernel-key"


class Stream:
    def on_recv(self, callback: Any) -> None:
        self.deliver = callback


class Kernel:
    def __init__(self) -> None:
        self.session = Session(key=KEY)
        self.execution_state = "starting"
        self.stream = Stream()

    def connect_iopub(self) -> Stream:
        return self.stream


class Manager(AdmittingKernelManager):
    """What the watcher uses of jupyter_server's MappingKernelManager."""

    untracked_message_types = ("comm_info_request", "comm_info_reply", "kernel_info_request", "kernel_info_reply")

    def __init__(self) -> None:
        self._kernels = {"k": Kernel()}

    def track_message_type(self, message_type: Any) -> bool:
        return message_type not in self.untracked_message_types


def publish(kernel: Kernel, msg_type: str, content: dict[str, Any], parent_type: str | None, key: bytes = KEY) -> None:
    sender = Session(key=key)
    parent = sender.msg_header(parent_type) if parent_type else {}
    message = sender.msg(msg_type, content=content, parent=parent)
    kernel.stream.deliver([b"kernel.iopub", *sender.serialize(message)])


def test_status_and_activity_follow_jupyter_servers_rules() -> None:
    manager = Manager()
    manager.start_watching_activity("k")
    kernel = manager._kernels["k"]
    started: datetime = kernel.last_activity  # type: ignore[attr-defined]

    # A status in reply to an untracked request while starting: normalized to idle.
    publish(kernel, "status", {"execution_state": "busy"}, "kernel_info_request")
    assert kernel.execution_state == "idle"
    # A status of a tracked request is taken as it is, and counts as activity.
    publish(kernel, "status", {"execution_state": "busy"}, "execute_request")
    assert kernel.execution_state == "busy"
    assert kernel.last_activity > started  # type: ignore[attr-defined]
    assert manager.last_kernel_activity == kernel.last_activity  # type: ignore[attr-defined]
    publish(kernel, "status", {"execution_state": "idle"}, "execute_request")
    assert kernel.execution_state == "idle"


def test_a_message_not_signed_with_the_kernels_key_counts_for_nothing() -> None:
    manager = Manager()
    manager.start_watching_activity("k")
    kernel = manager._kernels["k"]
    before = kernel.last_activity  # type: ignore[attr-defined]
    publish(kernel, "status", {"execution_state": "busy"}, "execute_request", key=b"someone-else")
    kernel.stream.deliver([b"kernel.iopub", b"<IDS|MSG>", b"short"])  # malformed: ignored too
    assert kernel.execution_state == "starting"
    assert kernel.last_activity == before  # type: ignore[attr-defined]
