"""JupyterLab's "Run All" and save on every section notebook, against a real Jupyter server.

The server is `jupyter lab` from this environment, started without the hook on its command line and
with an empty user config dir: the evalnb pre-save hook must come from the installed
etc/jupyter/jupyter_server_config.d/evalnb.json (which enables the server extension evalnb.sections.jupyter).
Each notebook goes through what the frontend does: GET the model, start a session on the evalnb
kernel, run every code cell over the kernel websocket, merge outputs, counts, timings, trust, the
kernel's language_info and kernelspec into the model, then PUT it back. Only edited sources may
reach the disk.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
import psutil
import pytest
import websocket

from evalnb.sections.jupyter import strip_notebook, strip_section_notebook
from tests.helpers import ROOT

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
INSTALLED_CONFIG = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "evalnb.json"
EDITED = "notebooks/01_basic_info.ipynb"
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")
TIMEOUT = 60        # seconds, for any one wait: server start, one cell, one request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `jupyter lab` subprocess and a minimal REST client for it."""

    def __init__(self, root: Path, env: dict[str, str], log: Path):
        self.port, self.token, self.log = free_port(), secrets.token_hex(16), log
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                    f"--port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True", "--ServerApp.log_level=DEBUG"]
        with log.open("wb") as out:
            self.proc = subprocess.Popen(self.cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.kernel_procs: list[psutil.Process] = []

    def api(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            text = response.read()
        return json.loads(text) if text else None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"jupyter lab exited:\n{self.log_tail()}"
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError(f"jupyter lab did not answer in {TIMEOUT} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def remember_kernels(self) -> None:
        self.kernel_procs += [p for p in psutil.Process(self.proc.pid).children(recursive=True) if p not in self.kernel_procs]

    def shutdown(self) -> int:
        """Shut the server down through its API (it shuts its kernels down first); its exit code."""
        if self.proc.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
            except (urllib.error.URLError, ConnectionError):
                pass
            try:
                self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=TIMEOUT)
        return self.proc.returncode


@pytest.fixture
def lab(project, tmp_path):
    """`jupyter lab` serving a temp copy of the notebooks, on the test store, with no user config of its own."""
    assert INSTALLED_CONFIG.is_file(), f"install {INSTALLED_CONFIG} (from evalnb/etc/jupyter_server_config.d/evalnb.json)"
    enabled = json.loads(INSTALLED_CONFIG.read_text(encoding="utf-8"))["ServerApp"]["jpserver_extensions"]
    assert enabled == {"evalnb.sections.jupyter": True}
    root = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    env = {**os.environ, "EVALNB_ROOT": str(root), "EVALNB_DB": project["db"], "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    env.pop("JUPYTER_CONFIG_PATH", None)
    server = Server(root, env, tmp_path / "server.log")
    try:
        server.wait_ready()
        yield server, root
    finally:
        server.shutdown()
        for p in server.kernel_procs:
            if p.is_running():
                p.kill()


def kernel_request(ws: websocket.WebSocket, session: str, msg_type: str, content: dict,
                   wait_idle: bool = True) -> tuple[dict, list[dict]]:
    """Send a shell request; its reply and the iopub messages it caused (all of them: up to the kernel's idle)."""
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": msg_type, "session": session, "username": "analyst", "version": "5.3",
              "date": datetime.now(UTC).isoformat()}
    ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}))
    reply, iopub, idle = None, [], not wait_idle
    deadline = time.monotonic() + TIMEOUT
    while reply is None or not idle:
        assert time.monotonic() < deadline, f"no answer to {msg_type} in {TIMEOUT} s"
        raw = ws.recv()
        if not isinstance(raw, str):
            continue                 # binary frames carry buffers (widgets); the notebooks send none
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["channel"] == "shell":
            reply = msg
        elif msg["channel"] == "iopub":
            iopub.append(msg)
            idle = idle or (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle")
    return reply, iopub


def run_all(server: Server, path: str, edit: tuple[str, str] | None = None) -> dict:
    """Open, (edit,) "Run All" like the JupyterLab frontend; the notebook model to save, full of outputs."""
    nb = server.api("GET", f"/api/contents/{quote(path)}?type=notebook&content=1")["content"]
    if edit:
        params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        assert params["source"].count(edit[0]) == 1
        params["source"] = params["source"].replace(*edit)
    session = server.api("POST", "/api/sessions", {"path": path, "name": Path(path).name, "type": "notebook",
                                                   "kernel": {"name": "evalnb"}})
    kernel = session["kernel"]
    server.remember_kernels()
    spec = server.api("GET", "/api/kernelspecs")["kernelspecs"][kernel["name"]]["spec"]
    client_session = uuid.uuid4().hex
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server.port}/api/kernels/{kernel['id']}/channels?session_id={client_session}",
        header=[f"Authorization: token {server.token}"], timeout=TIMEOUT)
    try:
        info, _ = kernel_request(ws, client_session, "kernel_info_request", {}, wait_idle=False)
        nb["metadata"]["language_info"] = info["content"]["language_info"]      # what opening the notebook does
        nb["metadata"]["kernelspec"] = {"name": kernel["name"], "display_name": spec["display_name"],
                                        "language": spec["language"]}
        nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                                   "version_minor": 0}}
        for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
            started = datetime.now(UTC).isoformat()
            reply, iopub = kernel_request(ws, client_session, "execute_request", {
                "code": cell["source"], "silent": False, "store_history": True, "user_expressions": {},
                "allow_stdin": False, "stop_on_error": True})
            outputs = [nbformat.v4.output_from_msg(m) for m in iopub if m["msg_type"] in OUTPUT_TYPES]
            assert reply["content"]["status"] == "ok", (path, cell["source"], outputs)
            cell["outputs"] = outputs
            cell["execution_count"] = reply["content"]["execution_count"]
            cell["metadata"]["trusted"] = True
            cell["metadata"]["execution"] = {"iopub.status.busy": started, "shell.execute_reply": datetime.now(UTC).isoformat()}
        last = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
        last["metadata"].update(collapsed=True, scrolled=True, jupyter={"outputs_hidden": True})   # outputs collapsed
    finally:
        ws.close()
    server.api("DELETE", f"/api/sessions/{session['id']}")          # closing the tab shuts the kernel down
    return nb


def shown(cell: dict) -> str:
    return "".join(o["data"].get("text/html", "") for o in cell["outputs"] if "data" in o)


def assert_rendered(path: str, nb: dict) -> None:
    """The run is real: every show() cell displayed HTML or a chart (image/png), no cell failed."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(o["output_type"] != "error" for c in code for o in c["outputs"]), path
    content_cells = [c for c in code if c["source"].split("(", 1)[0] in ("s.show", "memo.show", "summary.show")]
    charted = [c for c in content_cells if any("image/png" in o.get("data", {}) for o in c["outputs"])]
    assert content_cells and all("<" in shown(c) or c in charted for c in content_cells), path
    assert all(c["execution_count"] for c in code), path


def test_run_all_and_save_in_jupyterlab_leaves_the_notebooks_as_committed(lab):
    server, root = lab
    assert not any("pre_save_hook" in arg or "jpserver_extensions" in arg for arg in server.cmd)
    log = server.log.read_text(encoding="utf-8")
    assert str(INSTALLED_CONFIG) in log and "evalnb.sections.jupyter | extension was successfully loaded" in log
    committed = {path: (ROOT / path).read_bytes() for path in NOTEBOOKS}
    started = time.monotonic()
    executed = {}
    for path in NOTEBOOKS:
        nb = run_all(server, path, edit=("year = 2024", "year = 2023") if path == EDITED else None)
        assert_rendered(path, nb)
        executed[path] = copy.deepcopy(nb)
        server.api("PUT", f"/api/contents/{quote(path)}", {"type": "notebook", "format": "json", "content": nb})
    run_seconds = time.monotonic() - started

    assert "2023年" in "".join(shown(c) for c in executed[EDITED]["cells"] if c["cell_type"] == "code")
    for path in NOTEBOOKS:
        on_disk = (root / path).read_bytes()
        if path == EDITED:
            expected = committed[path].replace(b'"year = 2024\\n",', b'"year = 2023\\n",')
            assert expected != committed[path]
            assert on_disk == expected, path
        else:
            assert on_disk == committed[path], path
    for path in (root / "notebooks").rglob("*.ipynb"):          # checkpoints included
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert not any(c.get("outputs") or c.get("execution_count") for c in nb["cells"]), path

    # Outside the project's notebooks/ the hook leaves notebooks alone: the same executed model keeps its outputs.
    server.api("PUT", "/api/contents/scratch.ipynb", {"type": "notebook", "format": "json", "content": executed[NOTEBOOKS[1]]})
    scratch = json.loads((root / "scratch.ipynb").read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in scratch["cells"])
    assert scratch["metadata"]["language_info"].get("version")

    assert f"Running pre-save hook on {EDITED}" in server.log.read_text(encoding="utf-8")
    assert server.api("GET", "/api/sessions") == [] and server.api("GET", "/api/kernels") == []
    assert server.shutdown() == 0
    _, alive = psutil.wait_procs(server.kernel_procs, timeout=TIMEOUT)
    assert server.kernel_procs and not alive
    print(f"{len(NOTEBOOKS)} notebooks run and saved through jupyter lab in {run_seconds:.1f} s")


def test_strip_notebook_removes_outputs_and_run_state():
    committed = json.loads((ROOT / EDITED).read_text(encoding="utf-8"))
    nb = copy.deepcopy(committed)
    nb["metadata"].update(language_info={"name": "python", "version": "3.11.9", "mimetype": "text/x-python",
                                         "codemirror_mode": {"name": "ipython", "version": 3}},
                          kernelspec={"name": "evalnb", "display_name": "evalnb (old)", "language": "python"},
                          widgets={"application/vnd.jupyter.widget-state+json": {}}, papermill={"duration": 1.0})
    for i, cell in enumerate(nb["cells"]):
        cell["metadata"].update(trusted=True, collapsed=False, scrolled="auto", jupyter={"source_hidden": True},
                                execution={"iopub.status.busy": "2024-01-01T00:00:00Z"}, ExecuteTime={"end_time": "x"})
        if cell["cell_type"] == "code":
            cell["execution_count"] = i
            cell["outputs"] = [{"output_type": "display_data", "data": {"text/html": "<p>x</p>"}, "metadata": {}},
                               {"output_type": "stream", "name": "stderr", "text": "warning"}]
        else:
            cell["attachments"] = {}
    assert strip_notebook(nb) == committed
    assert strip_notebook(copy.deepcopy(committed)) == committed


def test_hook_strips_only_section_notebooks(tmp_path):
    nb = json.loads((ROOT / EDITED).read_text(encoding="utf-8"))
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    (elsewhere / "notebooks").mkdir(parents=True)

    def stripped(root: Path, path: str, kernel: str = "evalnb") -> bool:
        content = copy.deepcopy(nb)
        content["metadata"]["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
        model = {"type": "notebook", "format": "json", "content": content}
        strip_section_notebook(model=model, path=path, contents_manager=type("Manager", (), {"root_dir": str(root)})())
        if model["content"]["cells"][1]["outputs"]:
            return False
        assert model["content"] == json.loads((ROOT / EDITED).read_text(encoding="utf-8"))
        return True

    assert stripped(project, "notebooks/01_basic_info.ipynb")
    assert stripped(project, "/notebooks/summary/overview.ipynb")
    assert stripped(project / "notebooks", "01_basic_info.ipynb")                 # `jupyter lab notebooks/` (README)
    assert not stripped(project, "scratch/01_basic_info.ipynb")                  # not in notebooks/
    assert stripped(project, "notebooks/01_basic_info.ipynb", kernel="python3")  # "Python 3" picked in the kernel dialog
    assert not stripped(elsewhere, "notebooks/01_basic_info.ipynb")              # a notebooks/ without the sections
    assert not stripped(project, "outputs/科学技术局/2024/sections/01_basic_info.ipynb")   # executed sections keep outputs


def test_intro_cells_explain_the_section_and_stay_out_of_the_report():
    from evalnb.report.render import Page, export_html, merge

    for path in NOTEBOOKS:
        nb = nbformat.read(ROOT / path, as_version=4)
        intro = nb.cells[0]
        assert intro.cell_type == "markdown" and intro.id.endswith("-intro"), path
        assert "parameters" in intro.source and "Run All" in intro.source, path
        html = export_html(merge([ROOT / path]), Page("k", "h", [], []))
        assert intro.source.splitlines()[0][:10] not in html, path
