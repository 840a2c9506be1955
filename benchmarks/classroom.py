"""A classroom on one `netwise serve`, without browsers: the Jupyter protocol spoken directly.

N students arrive within 10 s. Each requests a lesson page, opens its kernel websocket
with the page's cookie (a kernel answers the browser its page was given to only), asks for
the widget states (as the page's widget manager does), answers every activity with the same
custom comm messages the page sends, and waits for each feedback update. "The class is full"
is an error here: the server's --max-students is kept above the number of students.

    python benchmarks/classroom.py --students 40 [--lesson scams-red-flags --lang en --pool 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.servers import free_port, wait_http  # noqa: E402


def msg(msg_type: str, content: dict[str, Any], session: str, metadata: dict[str, Any] | None = None) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "student", "session": session,
              "date": "", "version": "5.3"}  # fmt: skip
    return json.dumps({"channel": "shell", "header": header, "parent_header": {}, "metadata": metadata or {},
                       "content": content, "buffers": []})  # fmt: skip


class Student:
    def __init__(self, base: str, path: str, think: float = 0.0) -> None:
        self.base, self.path, self.think = base, path, think
        self.session = uuid.uuid4().hex
        self.first_state: float | None = None
        self.latencies: list[float] = []
        self.states: dict[str, dict[str, Any]] = {}
        self.reader: asyncio.Future[None] | None = None
        self.updates: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()

    async def run(self) -> None:
        start = time.perf_counter()
        response = await AsyncHTTPClient().fetch(self.base + self.path, request_timeout=120)
        page = response.body.decode()
        kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]
        cookies = "; ".join(c.split(";")[0] for c in response.headers.get_list("Set-Cookie"))
        ws_url = f"{self.base.replace('http', 'ws')}/api/kernels/{kernel}/channels?session_id={self.session}"
        ws = await websocket_connect(_request(ws_url, cookies))
        reader = self.reader = asyncio.ensure_future(self._read(ws))
        control = uuid.uuid4().hex
        ws.write_message(msg("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                           "data": {}}, self.session,
                             {"version": "1.0.0"}))  # ipywidgets' control protocol  # fmt: skip
        ws.write_message(msg("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, self.session))
        await asyncio.wait_for(self._wait_states(), 60)
        self.first_state = time.perf_counter() - start
        for model_id, state in list(self.states.items()):
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)  # reading before answering
            spec = state.get("spec", {})
            await self._answer(ws, model_id, spec)
        reader.cancel()
        ws.close()

    async def _wait_states(self) -> None:
        while not self.states:
            if self.reader is not None and self.reader.done():
                self.reader.result()  # re-raise what stopped the reader
                raise RuntimeError("the kernel websocket closed")
            await asyncio.sleep(0.01)

    async def _read(self, ws: Any) -> None:
        while True:
            raw = await ws.read_message()
            if raw is None:
                return
            data = _decode(raw)
            if os.environ.get("CLASSROOM_DEBUG"):
                print(data["header"]["msg_type"], str(data["content"])[-400:])
            if data["header"]["msg_type"] != "comm_msg":
                continue
            content = data["content"]["data"]
            if content.get("method") == "update_states":
                for model_id, entry in content["states"].items():
                    if entry["state"].get("spec", {}).get("type") in ("choice", "verdict", "red_flags", "branching"):
                        self.states[model_id] = entry["state"]
            elif content.get("method") == "update" and "state" in content.get("state", {}):
                await self.updates.put((data["content"]["comm_id"], content["state"]["state"]))

    async def _send(self, ws: Any, model_id: str, action: dict[str, Any]) -> dict[str, Any]:
        sent = time.perf_counter()
        ws.write_message(msg("comm_msg", {"comm_id": model_id, "data": {"method": "custom", "content": action}},
                             self.session))  # fmt: skip
        while True:
            comm, state = await asyncio.wait_for(self.updates.get(), 30)
            if comm == model_id:
                self.latencies.append(time.perf_counter() - sent)
                return state

    async def _answer(self, ws: Any, model_id: str, spec: dict[str, Any]) -> None:
        kind = spec["type"]
        if kind == "choice":
            await self._send(ws, model_id, {"action": "select", "ids": [spec["options"][0]["id"]]})
            await self._send(ws, model_id, {"action": "check"})
        elif kind == "verdict":
            for item in spec["items"]:
                await self._send(
                    ws, model_id, {"action": "judge", "item": item["id"], "verdict": spec["choices"][0]["value"]}
                )
        elif kind == "red_flags":
            part = _first_part(spec["artifact"])
            await self._send(ws, model_id, {"action": "toggle", "ids": [part]})
            await self._send(ws, model_id, {"action": "check"})
        elif kind == "branching":
            state = self.states[model_id]
            for _ in range(20):
                if not state.get("choices"):
                    break
                state = await self._send(ws, model_id, {"action": "choose", "index": state["choices"][0]["index"]})


def _decode(raw: str | bytes) -> dict[str, Any]:
    """A JSON frame, or jupyter_server's legacy binary frame (offsets, JSON message, buffers)."""
    if isinstance(raw, str):
        return dict(json.loads(raw))
    count = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(count)]
    return dict(json.loads(raw[offsets[0] : offsets[1]].decode("utf-8")))


def _request(url: str, cookies: str) -> Any:
    return HTTPRequest(url, headers={"Cookie": cookies} if cookies else {}, connect_timeout=60, request_timeout=120)


def _first_part(artifact: Any) -> str:
    found = re.search(r'"part": "([^"]+)"', json.dumps(artifact))
    assert found, "no markable part"
    return found.group(1)


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; PSS splits shared pages between their sharers."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def memory(pid: int) -> dict[str, Any]:
    """Memory of the server, its kernel fork server and its kernels, in MiB.

    Forked kernels share the pages their fork server preloaded: summing RSS counts those
    pages once per kernel, PSS (proportional set size) counts each page once in all.
    """
    out = {"kernels": 0, "rss": 0.0, "pss": 0.0, "kernel_rss": 0.0, "kernel_pss": 0.0}
    fork_servers = [p for p in _children(pid) if b"netwise.kernels.fork" in _cmdline(p)]
    for proc in [pid, *_descendants(pid)]:
        rss, pss = _memory_kib(proc)
        out["rss"] += rss / 1024
        out["pss"] += pss / 1024
        if proc != pid and proc not in fork_servers:
            out["kernels"] += 1
            out["kernel_rss"] += rss / 1024
            out["kernel_pss"] += pss / 1024
    return out


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) of the server process itself and of all its descendants."""
    tick = os.sysconf("SC_CLK_TCK")

    def own(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return own(pid), sum(own(k) for k in _descendants(pid))


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _descendants(pid: int) -> list[int]:
    kids = _children(pid)
    return kids + [g for k in kids for g in _descendants(k)]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def classroom(
    base: str, path: str, students: int, arrival: float, think: float
) -> tuple[list[Student], list[str]]:
    crowd = [Student(base, path, think) for _ in range(students)]
    errors: list[str] = []

    async def arrive(student: Student) -> None:
        await asyncio.sleep(random.uniform(0, arrival))
        try:
            await student.run()
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")

    await asyncio.gather(*(arrive(s) for s in crowd))
    return crowd, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--lesson", default="scams-red-flags")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--curriculum", help="curriculum folder (default: the bundled one)")
    parser.add_argument("--arrival", type=float, default=10.0, help="seconds over which students arrive")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a student reads before each activity (0: answer at once)")  # fmt: skip
    args = parser.parse_args()
    AsyncHTTPClient.configure(None, max_clients=args.students + 5)
    port = free_port()
    netwise = str(Path(sys.executable).parent / "netwise")
    log = tempfile.NamedTemporaryFile(prefix="classroom-", suffix=".log", delete=False)  # noqa: SIM115  (kept to read)
    server = subprocess.Popen(
        [netwise, "serve", "--port", str(port), "--lang", args.lang, "--lessons", args.lesson, "--pool", str(args.pool),
         "--max-students", str(args.students + 10), *(["--curriculum", args.curriculum] if args.curriculum else [])],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/", server)
        time.sleep(3 + args.pool)  # let the pool fill
        idle = memory(server.pid)
        cpu_before = cpu_seconds(server.pid)
        client_before = time.process_time()
        started = time.perf_counter()
        crowd, errors = asyncio.run(
            classroom(base, f"/lesson/{args.lang}/{args.lesson}", args.students, args.arrival, args.think)
        )
        wall = time.perf_counter() - started
        loaded = memory(server.pid)
        cpu_after = cpu_seconds(server.pid)
        client_cpu = time.process_time() - client_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    first = [s.first_state for s in crowd if s.first_state is not None]
    lat = [x for s in crowd for x in s.latencies]
    print(f"classroom: {args.students} students, lesson {args.lang}/{args.lesson}, pool {args.pool}, "
          f"arrivals over {args.arrival:.0f} s, think {args.think:g} s, wall {wall:.1f} s, {len(lat)} answers")  # fmt: skip
    print(f"{'measure':<36}{'p50':>10}{'p95':>10}{'max':>10}")
    print(
        f"{'time to first widget state (s)':<36}{pct(first, 0.5):>10.3f}{pct(first, 0.95):>10.3f}{max(first, default=float('nan')):>10.3f}"
    )
    ms = [x * 1000 for x in lat]
    print(
        f"{'answer to feedback (ms)':<36}{pct(ms, 0.5):>10.1f}{pct(ms, 0.95):>10.1f}{max(ms, default=float('nan')):>10.1f}"
    )
    print(f"{'errors':<36}{len(errors):>10}")
    print(f"{'memory (MiB)':<36}{'RSS sum':>10}{'PSS':>10}")
    for label, m in (("server idle, pool ready", idle), ("server with the class", loaded)):
        print(f"{'  ' + label + ' (' + str(m['kernels']) + ' kernels)':<36}{m['rss']:>10.0f}{m['pss']:>10.0f}")
    per_rss, per_pss = loaded["kernel_rss"] / loaded["kernels"], loaded["kernel_pss"] / loaded["kernels"]
    print(f"{'  per kernel':<36}{per_rss:>10.1f}{per_pss:>10.1f}")
    print(f"{'  per student (all / students)':<36}{loaded['rss'] / args.students:>10.1f}"
          f"{loaded['pss'] / args.students:>10.1f}")  # fmt: skip
    print(f"{'CPU s during the class: server':<36}{cpu_after[0] - cpu_before[0]:>10.1f}")
    print(f"{'CPU s during the class: kernels':<36}{cpu_after[1] - cpu_before[1]:>10.1f}")
    print(f"{'CPU s during the class: load client':<36}{client_cpu:>10.1f}")
    for error in errors[:5]:
        print("error:", error)
    print(f"server log: {log.name}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
