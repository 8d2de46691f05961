"""JupyterLab against a real Jupyter server, in a git clone of this checkout with the notebook filter `make setup`
configures: "Run All" and save keep every output on disk while `git status` stays clean; an analyst's own notebook
and a Lab duplicate keep their outputs and kernelspec; a freshly opened section notebook is not dirty (a real
browser); the copies `evalnb notebook` writes open and run.

The server is `jupyter lab` from this environment with an empty user config dir, pointed at this tree's server
config (evalnb/etc/jupyter_server_config.d/evalnb.json, the file a wheel installs under etc/jupyter). Each notebook
goes through what the frontend does: GET the model, start a session on the evalnb kernel, run every code cell over
the kernel websocket, merge outputs, counts, timings, trust, the kernel's language_info and kernelspec into the
model, then PUT it back.
"""

from __future__ import annotations

import copy
import json
import os
import platform
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

from evalnb.sections.jupyter import committed_section, with_kernel_version
from tests.helpers import ROOT, clone_checkout, evalnb, git

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
TREE_CONFIG = ROOT / "evalnb" / "etc"          # holds jupyter_server_config.d/evalnb.json
EDITED = "notebooks/01_basic_info.ipynb"
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")
TIMEOUT = 60        # seconds, for any one wait: server start, one cell, one request
PAGE_TIMEOUT = 240   # seconds for Lab's page to load its bundles and start a kernel: minutes on a loaded CI machine


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
    """`jupyter lab` serving a git clone of this checkout (nbstripout filter set up as `make setup` does), on the
    test store, with no user config of its own and this tree's server config."""
    enabled = json.loads((TREE_CONFIG / "jupyter_server_config.d" / "evalnb.json").read_text(encoding="utf-8"))
    assert enabled["ServerApp"]["jpserver_extensions"] == {"evalnb.sections.jupyter": True}
    root = clone_checkout(tmp_path / "project", venv=Path(sys.prefix))
    assert git("status", "--porcelain", cwd=root) == ""
    env = {**os.environ, "EVALNB_ROOT": str(root), "EVALNB_DB": project["db"], "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_PATH": str(TREE_CONFIG)}
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
    content_cells = [c for c in code if c["source"].split("(", 1)[0] in ("s.show", "s.show_forms", "memo.show", "summary.show")]
    charted = [c for c in content_cells if any("image/png" in o.get("data", {}) for o in c["outputs"])]
    assert content_cells and all("<" in shown(c) or c in charted for c in content_cells), path
    assert all(c["execution_count"] for c in code), path


def outputs(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(len(c.get("outputs", [])) for c in nb["cells"])


def put(server: Server, path: str, nb: dict) -> None:
    server.api("PUT", f"/api/contents/{quote(path)}", {"type": "notebook", "format": "json", "content": nb})


def test_run_all_and_save_keeps_outputs_on_disk_and_out_of_git(lab):
    server, root = lab
    log = server.log.read_text(encoding="utf-8")
    assert "evalnb.sections.jupyter | extension was successfully loaded" in log
    started = time.monotonic()
    executed = {}
    for path in NOTEBOOKS:
        nb = run_all(server, path, edit=("year = 2024", "year = 2023") if path == EDITED else None)
        assert_rendered(path, nb)
        executed[path] = copy.deepcopy(nb)
        put(server, path, nb)
    run_seconds = time.monotonic() - started

    assert "2023年" in "".join(shown(c) for c in executed[EDITED]["cells"] if c["cell_type"] == "code")
    for path in NOTEBOOKS:                        # what the analyst ran stays on disk, after a reload too
        assert outputs(root / path) > 0, path
        reloaded = server.api("GET", f"/api/contents/{quote(path)}?type=notebook&content=1")["content"]
        assert any(c.get("outputs") for c in reloaded["cells"]), path
    # git sees only what the analyst typed: the edited parameter, nothing else of any notebook
    assert git("status", "--porcelain", cwd=root).splitlines() == [f" M {EDITED}"], git("diff", cwd=root)[-3000:]
    diff = [line for line in git("diff", "--unified=0", cwd=root).splitlines() if line[:1] in "+-"
            and not line.startswith(("+++", "---"))]
    assert diff == ['-    "year = 2024\\n",', '+    "year = 2023\\n",'], diff
    git("checkout", "--", EDITED, cwd=root)
    put(server, NOTEBOOKS[1], executed[NOTEBOOKS[1]])     # saved again: still clean
    assert git("status", "--porcelain", cwd=root) == "" and outputs(root / NOTEBOOKS[1]) > 0

    assert server.api("GET", "/api/sessions") == [] and server.api("GET", "/api/kernels") == []
    assert server.shutdown() == 0
    _, alive = psutil.wait_procs(server.kernel_procs, timeout=TIMEOUT)
    assert server.kernel_procs and not alive
    print(f"{len(NOTEBOOKS)} notebooks run and saved through jupyter lab in {run_seconds:.1f} s")


def test_own_notebooks_and_lab_duplicates_keep_outputs_and_kernelspec(lab):
    server, root = lab
    # A Lab "Duplicate" (File → Duplicate: POST copy_from) of a section, run and saved
    copied = server.api("POST", "/api/contents/notebooks", {"copy_from": EDITED})["path"]
    assert copied == "notebooks/01_basic_info-Copy1.ipynb"
    put(server, copied, run_all(server, copied))
    # The analyst's own notebook beside the sections, on another kernel
    own = "notebooks/我的分析.ipynb"
    nb = run_all(server, NOTEBOOKS[2])
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    put(server, own, nb)
    for path, kernel in ((copied, "evalnb"), (own, "python3")):
        on_disk = json.loads((root / path).read_text(encoding="utf-8"))
        assert outputs(root / path) > 0 and on_disk["metadata"]["kernelspec"]["name"] == kernel, path
        assert on_disk["metadata"]["language_info"].get("version"), path
        assert any(c.get("execution_count") for c in on_disk["cells"]), path
    # the duplicate is the analyst's and ignored by git; the own notebook is theirs to add or not
    assert git("-c", "core.quotePath=false", "status", "--porcelain", cwd=root).splitlines() == [f"?? {own}"]


def test_a_freshly_opened_section_notebook_is_not_dirty(lab, browser):
    server, root = lab
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT * 1000)      # goto, selectors and locators alike
    try:
        for path in (EDITED, "notebooks/review/memo.ipynb"):
            page.goto(f"{server.url}/lab/tree/{path}?reset&token={server.token}")
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=PAGE_TIMEOUT * 1000)
            page.wait_for_timeout(2000)            # the kernel's language_info has reached the model
            tab = page.locator(".lm-TabBar-tab.jp-mod-current", has_text=Path(path).name)
            assert tab.count() == 1 and "jp-mod-dirty" not in (tab.get_attribute("class") or ""), path
            assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0, path
        # The zh-CN language pack (the lab-zh extra, in the dev lock): Settings → Language → 中文 gives Chinese menus
        assert "zh_CN" in server.api("GET", "/lab/api/translations/")["data"], "pip install 'evalnb[lab-zh]'"
        server.api("PUT", "/lab/api/settings/@jupyterlab/translation-extension:plugin", {"raw": '{"locale": "zh_CN"}'})
        page.goto(f"{server.url}/lab/tree/{EDITED}?token={server.token}")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=PAGE_TIMEOUT * 1000)
        menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()
        assert menus[:3] == ["文件", "编辑", "查看"], menus
        assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0
    finally:
        page.close()
    assert git("status", "--porcelain", cwd=root) == ""


def test_evalnb_notebook_copies_open_and_run(lab, project):
    server, root = lab
    env = {"EVALNB_ROOT": str(root), "EVALNB_DB": project["db"]}
    done = evalnb("notebook", "--dept", "科学技术局", "--year", "2024", "--section", "s1", "--section", "6", env=env)
    assert done.returncode == 0, done.stderr
    folder = root / "work" / "科学技术局" / "2024"
    assert sorted(p.name for p in folder.iterdir()) == ["01_basic_info.ipynb", "06_evaluation_team.ipynb"]
    assert "work/科学技术局/2024/01_basic_info.ipynb" in done.stdout and "jupyter lab work/科学技术局/2024" in done.stdout
    for path in folder.iterdir():
        nb = json.loads(path.read_text(encoding="utf-8"))
        injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
        assert '"科学技术局"' in "".join(injected["source"]) and outputs(path) > 0
        assert not any("evalnb-reset" in c["metadata"].get("tags", []) for c in nb["cells"])
    # opened and run in JupyterLab (a kernel of Lab's, not evalnb's): it finds the store and renders
    nb = run_all(server, "work/科学技术局/2024/01_basic_info.ipynb")
    assert_rendered("copy", nb)
    assert "科学技术局" in "".join(shown(c) for c in nb["cells"] if c["cell_type"] == "code")
    # kept unless --force, and ignored by git
    again = evalnb("notebook", "--dept", "科学技术局", "--year", "2024", "--section", "01_basic_info", env=env)
    assert again.returncode == 0 and "已有副本，未覆盖" in again.stdout
    assert git("status", "--porcelain", cwd=root) == ""


def test_committed_sections_open_with_the_kernels_python_version(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    (project / "notebooks" / "mine.ipynb").write_bytes((ROOT / EDITED).read_bytes())
    committed = json.loads((ROOT / EDITED).read_text(encoding="utf-8"))
    assert "version" not in committed["metadata"]["language_info"]

    def loaded(path: str) -> dict:
        model = {"type": "notebook", "content": copy.deepcopy(committed)}
        return with_kernel_version(model, project / path)["content"]["metadata"]

    assert loaded(EDITED)["language_info"]["version"] == platform.python_version()
    assert loaded("notebooks/review/memo.ipynb")["language_info"]["version"] == platform.python_version()
    for other in ("notebooks/mine.ipynb", "notebooks/01_basic_info-Copy1.ipynb", "work/科学技术局/2024/01_basic_info.ipynb",
                  "scratch/01_basic_info.ipynb"):
        assert loaded(other) == committed["metadata"], other
    assert committed_section(project / EDITED) and not committed_section(project / "notebooks" / "mine.ipynb")
    python3 = copy.deepcopy(committed)
    python3["metadata"]["kernelspec"]["name"] = "python3"
    model = {"type": "notebook", "content": python3}
    assert with_kernel_version(model, project / EDITED)["content"] == python3          # another kernel: as it is


def test_committed_notebooks_are_what_the_git_filter_writes():
    """Each committed notebook passes through the clean filter unchanged: no outputs, the kernel's language_info
    without its version, cell ids kept (else `git status` would show every notebook touched by JupyterLab)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    keys = " ".join(makefile.split("NBSTRIPOUT_KEYS := ", 1)[1].split("\ngit-filters", 1)[0].replace("\\\n", " ").split())
    for path in NOTEBOOKS:
        done = subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", "--extra-keys", keys, "-t", ROOT / path],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout == (ROOT / path).read_text(encoding="utf-8"), path


def test_intro_cells_explain_the_section_and_stay_out_of_the_report():
    from evalnb.report.render import Page, export_html, merge

    for path in NOTEBOOKS:
        nb = nbformat.read(ROOT / path, as_version=4)
        intro = nb.cells[0]
        assert intro.cell_type == "markdown" and intro.id.endswith("-intro"), path
        assert "parameters" in intro.source and "Run All" in intro.source, path
        html = export_html(merge([ROOT / path]), Page("k", "h", [], []))
        assert intro.source.splitlines()[0][:10] not in html, path
