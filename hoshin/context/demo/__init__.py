"""The demo organisation's processes (see :mod:`hoshin.core.demo`), from ``processes.yaml``."""

from __future__ import annotations

from hoshin.context.models import Process
from hoshin.core.demo import Demo, data


def load(demo: Demo) -> None:
    """The processes of the QMS (4.4), each with its owner."""
    processes = data(__name__, "processes.yaml")
    for process in processes:
        demo.processes[process["code"]] = Process.objects.create(
            code=process["code"],
            name=process["name"],
            owner=demo.person(process["owner"]),
            description=process["description"],
        )
    demo.counts["processes"] = len(processes)


def conflicts() -> list[str]:
    return ["processes exist already"] if Process.objects.exists() else []
