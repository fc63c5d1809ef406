"""Many sessions against one app server, measured (issue 13). Run by hand; prints figures.

    python bench/bench_load.py [--sessions 1,10,30] [--reruns 12] [--think 1.0] [--mc heavy]
                               [--url http://127.0.0.1:8501 [--pid PID]] [--browsers 2]
                               [--servers 2]

Starts the app (``streamlit run app.py``, its own planner folder and port) unless ``--url`` names
a running server, and stops it at the end. Each session speaks Streamlit's own protocol over its
websocket (``/_stcore/stream``), as the browser's frontend does, without a browser: the first
``BackMsg`` is a ``rerun_script`` (query string, page script hash, context), every widget change
is a ``rerun_script`` carrying the widget states, and a script run ends with the
``script_finished`` ``ForwardMsg``.

Per round of N sessions, opened at once: each session opens the app (Overview), goes to Plan, sets
an opening stock of the recycle pool of its own (so no two sessions share a scenario, and the model
caches, keyed on the scenario's text, never answer for another session), then moves the win-rate
slider to a new value ``--reruns`` times, waiting ``--think`` seconds (±50%) between moves. A rerun
is timed from the send to ``script_finished``. Session 0 also opens the Overview after each of its
moves, until the others are done: a new scenario there runs the 2,000-draw Monte Carlo
(``ui.state.monte_carlo_of``); its time is printed apart, and the other sessions' reruns are split
by whether they overlapped one. ``--mc heavy`` gives session 0 a monthly target and a fixed recycle
volume first, so that its Monte Carlo solves every draw's months (Gauss-Newton per draw).

An error is a failed or closed connection, a run that did not finish within ``--timeout``, a
run that did not finish successfully, or an exception or ``st.error`` box in the page. Every
figure is printed beside ``os.getloadavg()`` (the machine is shared); the server's peak RSS is
VmHWM of ``/proc/<pid>/status``.

``--servers K`` starts K server processes sharing one scenario store (``PLANNER_STORE``: the
environment's, else a DuckDB file of the run) and sends session i to server i mod K, as a proxy
with session affinity would (README, Deployment): Streamlit runs a server's scripts as threads of
one process, so one server uses at most about one core. The CPU figure is the servers' together.

``--browsers K`` adds K headless Chromiums (Playwright, Debian's /usr/bin/chromium) to the
largest round, moving the same slider with the keyboard: their reruns are timed from the
websocket frames the browser itself sends and receives, beside the protocol sessions' figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
HEAVY = [("plan.target.kind", ["Monthly"]), ("plan.recycle.mode", "Fixed volume")]
WIN_RATE = "plan.stage.opportunity.conversion"  # Opportunities -> Won, a slider in percent
OWN = "plan.recycle.opening"  # a number input: the recycle pool's opening stock
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FINISHED = ForwardMsg.ScriptFinishedStatus.Name
WIDGET_STATE = {  # element type -> the WidgetState field Chromium sends for it (1.67)
    "slider": "double_array_value",
    "number_input": "double_value",
    "selectbox": "string_value",
    "radio": "string_value",
    "button_group": "string_array_value",
    "text_input": "string_value",
}


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


# ----- one session over the protocol --------------------------------------------------------------
@dataclass
class Run:
    """One script run: what started it, when, how long, and what went wrong."""

    session: int
    kind: str  # open | page | rerun | mc (Overview of session 0) | heavy (its Plan reruns)
    start: float
    seconds: float
    nbytes: int
    errors: list[str] = field(default_factory=list)


class Session:
    """A browser tab's side of the protocol: widget states kept as the frontend keeps them."""

    def __init__(self, index: int, ws_url: str, timeout: float) -> None:
        self.index = index
        self.ws_url = ws_url
        self.timeout = timeout
        self.ws = None
        self.pages: dict[str, str] = {}  # url path ("" is the default page) -> page script hash
        self.page_hash = ""
        self.widgets: dict[str, tuple[str, str, object]] = {}  # key -> (id, state field, value)

    async def open(self) -> Run:
        t0 = time.perf_counter()
        try:
            self.ws = await connect(
                self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout
            )
        except (OSError, TimeoutError) as exc:
            return Run(self.index, "open", t0, time.perf_counter() - t0, 0, [f"connect: {exc}"])
        return await self._run("open", t0)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def goto(self, path: str, kind: str = "page") -> Run:
        self.page_hash = self.pages[path]
        return await self._run(kind, time.perf_counter())

    async def set(self, key: str, value: object, kind: str = "rerun") -> Run:
        wid, state_field, _ = self.widgets[key]
        self.widgets[key] = (wid, state_field, value)
        return await self._run(kind, time.perf_counter())

    def _back_msg(self, kind: str) -> bytes:
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = ""
        rs.page_script_hash = self.page_hash
        rs.context_info.locale = "en-US"
        rs.context_info.timezone = "UTC"
        rs.context_info.url = self.ws_url.replace("ws", "http", 1).split("/_stcore")[0]
        rs.context_info.color_scheme = "light"
        for wid, state_field, value in self.widgets.values():  # as the frontend: every widget
            ws = rs.widget_states.widgets.add()
            ws.id = wid
            if state_field.endswith("_array_value"):
                getattr(ws, state_field).data.extend(value)
            else:
                setattr(ws, state_field, value)
        return msg.SerializeToString()

    async def _run(self, kind: str, t0: float) -> Run:
        """Send a rerun (the first one opens the app) and read until ``script_finished``."""
        run = Run(self.index, kind, t0, 0.0, 0)
        try:
            await self.ws.send(self._back_msg(kind))
            self.widgets = {}
            async with asyncio.timeout(self.timeout):
                while True:
                    data = await self.ws.recv()
                    run.nbytes += len(data)
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    if self._read(msg, run):
                        break
        except TimeoutError:
            run.errors.append(f"no script_finished within {self.timeout:.0f} s")
        except Exception as exc:  # a closed connection, a protocol error: the run failed
            run.errors.append(f"{type(exc).__name__}: {exc}")
        run.seconds = time.perf_counter() - t0
        return run

    def _read(self, msg: ForwardMsg, run: Run) -> bool:
        """Note what a message says (pages, widgets, errors); True at the run's end."""
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                run.errors.append(f"script_finished {FINISHED(msg.script_finished)}")
            return True
        if kind == "new_session" and not self.page_hash:
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            etype = element.WhichOneof("type")
            if etype == "exception":
                run.errors.append(f"exception: {element.exception.message[:200]}")
            elif etype == "alert" and element.alert.format == element.alert.ERROR:
                run.errors.append(f"st.error: {element.alert.body[:200]}")
            elif etype in WIDGET_STATE:
                self._note_widget(getattr(element, etype), etype)
        return False

    def _note_widget(self, w, etype: str) -> None:
        """The value the frontend would send back for a widget just drawn (its state field as
        the browser fills it: a slider's values, a selectbox's or radio's option text, ...)."""
        state_field = WIDGET_STATE[etype]
        if etype == "slider":
            value = list(w.value if w.set_value else w.default)
        elif etype == "number_input":
            value = w.value if w.HasField("value") else w.default
            if w.data_type == w.INT:
                state_field, value = "int_value", int(value)
        elif etype == "button_group":
            value = list(w.raw_values)
        elif etype == "text_input":
            value = w.value if w.HasField("value") else w.default
        else:
            value = w.raw_value
        self.widgets[w.id.rsplit("-", 1)[-1]] = (w.id, state_field, value)  # "$$ID-<hash>-<key>"


async def session_work(s: Session, n: int, args, runs: list[Run], rng: random.Random,
                       others_done: asyncio.Event | None = None) -> None:  # fmt: skip
    """Open, go to Plan, set a recycle-pool opening stock of its own, then move the win rate
    ``args.reruns`` times. The Monte Carlo session (``others_done`` given) opens the Overview
    after each move, and goes on until the other sessions are done; with ``--mc heavy`` it first
    sets a monthly target and a fixed recycle volume, whose Monte Carlo solves every draw's
    months."""
    first = await s.open()
    runs.append(first)
    if first.errors:
        return
    runs.append(await s.goto("plan"))
    if WIN_RATE not in s.widgets or OWN not in s.widgets:
        runs[-1].errors.append(f"Plan page: no {WIN_RATE} or {OWN} in {sorted(s.widgets)}")
        return
    base_rate = float(s.widgets[WIN_RATE][2][0])  # type: ignore[index]
    own = float(s.widgets[OWN][2])  # type: ignore[arg-type]
    runs.append(await s.set(OWN, round(own + 100 * n + s.index + 1)))
    mc = others_done is not None
    kind = "rerun"
    if mc and args.mc == "heavy":
        kind = "heavy"  # its own Plan reruns solve the volume-mode monthly target: apart
        for key, value in HEAVY:
            runs.append(await s.set(key, value, kind))
    i = 0
    while i < args.reruns or (mc and not others_done.is_set()):
        await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))
        step = (i // 2 + 1) * (1 if i % 2 == 0 else -1)  # base ±0.5, ±1, ... : always new
        runs.append(await s.set(WIN_RATE, [max(0.5, base_rate + 0.5 * step)], kind))
        if mc:  # the Overview of a new scenario: its Monte Carlo, then back to Plan
            runs.append(await s.goto("", kind="mc"))
            runs.append(await s.goto("plan"))
        i += 1


async def others_then(works, done: asyncio.Event) -> None:
    await asyncio.gather(*works)
    done.set()


# ----- the server --------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def app_server(port: int, extra: list[str] | None = None, store: str | None = None):
    """``streamlit run app.py`` with a planner folder of its own (and ``store`` as its
    ``PLANNER_STORE`` when given: several servers share one scenario store); yields (url, pid)."""
    home = Path(tempfile.mkdtemp(prefix="bench_load_"))
    options = {"server.headless": "true", "server.port": port, "server.address": "127.0.0.1",
               "server.fileWatcherType": "none", "browser.gatherUsageStats": "false"}  # fmt: skip
    options |= dict(x.split("=", 1) for x in extra or [])  # e.g. runner.postScriptGC=true
    argv = [sys.executable, "-m", "streamlit", "run", "app.py"]
    argv += [x for k, v in options.items() for x in (f"--{k}", str(v))]
    log_path, env = home / "streamlit.log", os.environ | {"PLANNER_HOME": str(home / "planner")}
    if store:
        env["PLANNER_STORE"] = store
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # up to a minute
            if proc.poll() is not None:
                break
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health") as r:
                if r.read().strip() == b"ok":
                    yield url, proc.pid
                    return
            time.sleep(0.3)
        sys.exit("streamlit did not start:\n" + log_path.read_text())
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        proc.kill()
        logged = log_path.read_text(errors="replace").splitlines()
        bad = [x for x in logged if "Traceback" in x or "ERROR" in x or "Exception" in x]
        print(f"server log: {len(logged)} lines, {len(bad)} with Traceback/ERROR/Exception")
        for x in bad[:5]:
            print(f"    {x[:200]}")
        shutil.rmtree(home, ignore_errors=True)


def _commit() -> str:
    """The checked-out commit, and "+changes" when the working tree differs from it."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "app.py", "pages", "ui",
                            "model", "db", ".streamlit"]).returncode  # fmt: skip
    return head.stdout.strip() + (" +changes" if dirty else "")


def proc_status(pid: int | None) -> dict[str, int]:
    """VmHWM and VmRSS (kB) of the server, from /proc/<pid>/status."""
    if pid is None:
        return {}
    out = {}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmHWM", "VmRSS")):
                out[line.split(":")[0]] = int(line.split()[1])
    return out


def cpu_seconds(pids: list[int | None]) -> float:
    """User + system CPU time of the server processes so far."""
    if None in pids:
        return float("nan")
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


# ----- real browsers, for comparison -------------------------------------------------------------
async def browser_work(pw, url: str, index: int, args, rng, out: dict, ready: list, go):
    """A headless Chromium on Plan moving the win-rate slider; reruns timed from its own
    websocket frames (rerun_script sent -> script_finished received)."""
    browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        page = await (
            await browser.new_context(viewport={"width": 1400, "height": 1000})
        ).new_page()
        sent: list[float] = []
        received = [0]  # bytes since the last rerun_script
        times, states, errors = out.setdefault("times", []), out.setdefault("states", []), []
        out.setdefault("errors", errors)

        def on_ws(ws) -> None:
            def on_sent(payload) -> None:
                if isinstance(payload, bytes):
                    msg = BackMsg()
                    msg.ParseFromString(payload)
                    if msg.WhichOneof("type") == "rerun_script":
                        sent.append(time.perf_counter())
                        states.append(len(msg.rerun_script.widget_states.widgets))
                        received[0] = 0

            def on_received(payload) -> None:
                if isinstance(payload, bytes):
                    received[0] += len(payload)
                    msg = ForwardMsg()
                    msg.ParseFromString(payload)
                    if msg.WhichOneof("type") == "script_finished" and sent:
                        out.setdefault("all", []).append(time.perf_counter() - sent[-1])
                        out.setdefault("bytes", []).append(received[0])

            ws.on("framesent", on_sent)
            ws.on("framereceived", on_received)

        page.on("websocket", on_ws)
        await page.goto(f"{url}/plan")
        slider = page.locator("[data-testid='stSlider']").filter(has_text="Conversion").nth(2)
        thumb = slider.get_by_role("slider")
        await thumb.wait_for(timeout=60_000)
        await asyncio.sleep(2)
        ready.append(index)
        await go.wait()  # the protocol sessions start with the browsers, not before
        for _ in range(args.reruns):
            await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))
            before = len(out.get("all", []))
            await thumb.focus()
            await thumb.press("ArrowRight" if index % 2 == 0 else "ArrowLeft")
            deadline = time.perf_counter() + 60
            while len(out.get("all", [])) == before and time.perf_counter() < deadline:
                await asyncio.sleep(0.01)
            if len(out.get("all", [])) == before:
                errors.append("no script_finished within 60 s")
            else:
                times.append(out["all"][-1])
                out.setdefault("window", []).append(time.perf_counter())
        if await page.locator("[data-testid='stException']").count():
            errors.append("exception shown")
    except Exception as exc:
        out.setdefault("errors", []).append(f"{type(exc).__name__}: {exc}")
    finally:
        await browser.close()


# ----- a round and its figures -------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def line(label: str, secs: list[float], errors: int | None = None) -> str:
    if not secs:
        return f"  {label:<44} -"
    ms = [x * 1000 for x in secs]
    err = "" if errors is None else f"  errors {errors}"
    return (
        f"  {label:<44} p50 {pct(ms, 0.5):6.0f} ms  p90 {pct(ms, 0.9):6.0f} ms  "
        f"max {max(ms):6.0f} ms  n {len(ms):4d}{err}  [{load()}]"
    )


def overlaps(run: Run, windows: list[tuple[float, float]]) -> bool:
    end = run.start + run.seconds
    return any(run.start < b and a < end for a, b in windows)


async def one_round(
    args, ws_urls: list[str], http_url: str, pids: list[int | None], n: int, browsers: int
):
    """N sessions; with several servers session i speaks to server i mod K, as a proxy with
    session affinity spreads them (each session stays on its server)."""
    rng = random.Random(n)
    sessions = [Session(i, ws_urls[i % len(ws_urls)], args.timeout) for i in range(n)]
    runs: list[Run] = []
    browser_out: dict = {}
    pw_cm, tasks, ready, go = None, [], [], asyncio.Event()
    if browsers:  # Chromiums open Plan first; then everybody starts
        from playwright.async_api import async_playwright

        pw_cm = async_playwright()
        pw = await pw_cm.__aenter__()
        tasks = [asyncio.create_task(browser_work(pw, http_url, i, args, rng, browser_out,
                                                  ready, go)) for i in range(browsers)]  # fmt: skip
        while len(ready) < browsers and not all(t.done() for t in tasks):
            await asyncio.sleep(0.1)
    go.set()
    cpu0, client0, t0 = cpu_seconds(pids), time.process_time(), time.perf_counter()
    others_done = asyncio.Event()
    others = [session_work(s, n, args, runs, rng) for s in sessions[1:]]
    tasks += [session_work(sessions[0], n, args, runs, rng, others_done),
              others_then(others, others_done)]  # fmt: skip
    try:
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
        if pw_cm is not None:
            await pw_cm.__aexit__(None, None, None)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(pids) - cpu0

    by = lambda kind: [r for r in runs if r.kind == kind]  # noqa: E731
    mc_windows = [(r.start, r.start + r.seconds) for r in by("mc")]
    reruns = by("rerun")
    others = [r for r in reruns if r.session != 0]
    errors = [r for r in runs if r.errors]
    kbytes = statistics.median([r.nbytes for r in reruns]) / 1024 if reruns else 0
    print(f"\nN = {n} sessions{f' + {browsers} Chromium' if browsers else ''}, "
          f"think {args.think:g} s ±50%, {args.reruns} slider moves each  [{load()}]")  # fmt: skip
    print(line("open the app (first script run)", [r.seconds for r in by("open")]))
    print(line("page switch (Overview -> Plan)", [r.seconds for r in by("page")]))
    print(line("rerun: Plan, a widget changed", [r.seconds for r in reruns], len(errors)))
    if n > 1:
        during = [r.seconds for r in others if overlaps(r, mc_windows)]
        print(line("  other sessions, during a Monte Carlo", during))
        print(line("  other sessions, no Monte Carlo running", [
            r.seconds for r in others if not overlaps(r, mc_windows)]))  # fmt: skip
    print(line(f"Monte Carlo ({args.mc}): session 0's Overview", [r.seconds for r in by("mc")]))
    if by("heavy"):
        print(line("  session 0's Plan reruns (monthly, volume)", [
            r.seconds for r in by("heavy")]))  # fmt: skip
    if browsers:
        b_err = browser_out.get("errors", [])
        print(line("Chromium: rerun after ArrowRight on slider", browser_out.get("times", []),
                   len(b_err)))  # fmt: skip
        if browser_out.get("window"):  # the protocol sessions' reruns while the browsers ran
            ends = browser_out["window"]
            a, b = min(ends) - max(browser_out["times"]), max(ends)
            print(line("  protocol sessions' reruns, same time", [
                r.seconds for r in reruns if a <= r.start <= b]))  # fmt: skip
        states = sorted(set(browser_out.get("states", [])))
        b_kbytes = statistics.median(browser_out.get("bytes") or [0]) / 1024
        print(f"    widget states a rerun_script carries: Chromium {states}, protocol sessions "
              f"{len(sessions[-1].widgets)}; received a rerun: Chromium {b_kbytes:.0f} kB, "
              f"protocol sessions {kbytes:.0f} kB")  # fmt: skip
        for e in b_err[:5]:
            print(f"    browser error: {e}")
    status = {k: max(proc_status(p).get(k, 0) for p in pids) for k in ("VmHWM", "VmRSS")}
    servers = f"{len(pids)} servers" if len(pids) > 1 else "server"
    print(f"  {servers}: CPU {cpu:.1f} s over {wall:.1f} s wall ({cpu / wall:.2f} cores), "
          f"{cpu / len(runs) * 1000:.0f} ms a script run ({len(runs)}), "
          f"peak RSS (VmHWM) {status.get('VmHWM', 0) / 1024:.0f} MB, "
          f"RSS now {status.get('VmRSS', 0) / 1024:.0f} MB; "
          f"client CPU {time.process_time() - client0:.1f} s; {kbytes:.0f} kB a rerun  "
          f"[{load()}]")  # fmt: skip
    for r in errors[:8]:
        print(f"    error (session {r.session}, {r.kind}): {'; '.join(r.errors)}")


async def main_async(args) -> None:
    sizes = [int(x) for x in args.sessions.split(",")]
    with contextlib.ExitStack() as stack:
        if args.url:
            servers = [(args.url.rstrip("/"), args.pid)]
        else:
            store = None
            if args.servers > 1:  # they share one scenario store, as several servers must
                store = os.environ.get("PLANNER_STORE") or str(
                    Path(stack.enter_context(tempfile.TemporaryDirectory())) / "scenarios.duckdb"
                )
            port = args.port or _free_port()
            servers = [
                stack.enter_context(app_server(port + i if args.port else _free_port(),
                                               args.option, store))
                for i in range(args.servers)
            ]  # fmt: skip
        http_url, pids = servers[0][0], [pid for _, pid in servers]
        ws_urls = [url.replace("http", "ws", 1) + "/_stcore/stream" for url, _ in servers]
        print(
            f"server {', '.join(url for url, _ in servers)} (pid "
            f"{', '.join(str(p or '?') for p in pids)}), options {args.option or '-'}, "
            f"{os.cpu_count()} cores, commit {_commit()}  [{load()}]"
        )
        for ws_url in ws_urls:  # the first run of each server imports the model and pages
            warm = Session(0, ws_url, args.timeout)
            first = await warm.open()
            await warm.close()
            print(line("first script run of the server (imports)", [first.seconds],
                       len(first.errors)))  # fmt: skip
        for n in sizes:
            await one_round(args, ws_urls, http_url, pids, n,
                            args.browsers if n == max(sizes) else 0)  # fmt: skip
        client_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak = max(proc_status(p).get("VmHWM", 0) for p in pids) / 1024
        print(f"\nserver peak RSS (VmHWM, the largest server): {peak:.0f} MB; "
              f"bench client peak RSS {client_mb:.0f} MB  [{load()}]")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", default="1,10,30", help="comma-separated N (default 1,10,30)")
    ap.add_argument("--reruns", type=int, default=12, help="slider moves per session")
    ap.add_argument("--think", type=float, default=1.0, help="seconds between moves (±50%%)")
    ap.add_argument("--mc", choices=["default", "heavy"], default="default",
                    help="heavy: the Monte Carlo session plans a monthly target with a fixed "
                    "recycle volume (each draw's months solved: 5-10x the default)")  # fmt: skip
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds a run may take")
    ap.add_argument("--url", help="an already running server (http://host:port)")
    ap.add_argument("--pid", type=int, help="with --url: the server's pid, for its memory")
    ap.add_argument("--port", type=int, help="port of the server this script starts")
    ap.add_argument("--option", action="append", metavar="KEY=VALUE",
                    help="a streamlit option of that server: runner.postScriptGC=true")  # fmt: skip
    ap.add_argument("--servers", type=int, default=1,
                    help="K server processes sharing one scenario store; session i speaks to "
                    "server i mod K, as behind a proxy with session affinity")  # fmt: skip
    ap.add_argument("--browsers", type=int, default=0,
                    help="headless Chromiums alongside the largest round (2-3)")  # fmt: skip
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
