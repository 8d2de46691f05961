"""The kernel a report's sections run on, and the papermill engine that runs them there.

A :class:`KernelSession` starts one kernel and one client for all sections of a report and closes
both on exit, so a long-lived batch worker holds no kernels, threads, sockets or zmq contexts between
reports. The kernel gets the store's URL through its environment (never as a notebook parameter, so
a password cannot reach an executed notebook), keeps no IPython history and writes its IPython and
matplotlib state under a temporary folder and ``outputs/.cache``.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_event_loop, run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.translators import PythonTranslator, papermill_translators

from evalnb.paths import CACHE_DIR, outputs_dir

KERNEL_NAME = "evalnb"
ENGINE_NAME = "evalnb-session"
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
# What every section imports, imported while the kernel starts (overlapping the main process's own work)
WARM_IMPORTS = "import evalnb.sections.blocks, evalnb.review.context, evalnb.text.html, evalnb.sections.charts"
START_TIMEOUT = 120
# How long a cell's last output may trail its reply. nbclient waits 4 s, and papermill fails the cell past it
# ("Timeout waiting for IOPub output"): on a loaded machine (a batch's kernels side by side, a CI runner) a starved
# kernel sends its output late, not never. A kernel that died is still noticed at once (nbclient polls it).
IOPUB_TIMEOUT = 120


class ReadablePythonTranslator(PythonTranslator):
    """Injected parameters keep Chinese as written (papermill's default escapes it as \\uXXXX)."""

    @classmethod
    def translate_str(cls, val: str) -> str:
        return json.dumps(val, ensure_ascii=False)


papermill_translators.register("python", ReadablePythonTranslator)


def ensure_kernel() -> str:
    """The kernel the notebooks run on: this Python, installed as kernelspec ``evalnb`` under sys.prefix."""
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if Path(spec.argv[0]).exists():
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="Python (evalnb)", prefix=sys.prefix)
    return KERNEL_NAME


class KernelSession:
    """One kernel and one client, started on first use and closed by :meth:`close` (or ``with``)."""

    def __init__(self, kernel_name: str, cwd: Path, env: dict[str, str] | None = None):
        self.kernel_name, self.cwd, self.env = kernel_name, cwd, env or {}
        self.km: AsyncKernelManager | None = None
        self.kc = None
        self._scratch: str | None = None

    def __enter__(self) -> KernelSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def launch(self) -> None:
        """Start the kernel process and return at once: it starts (and imports what the sections need) while
        the caller reads the store; :meth:`start` then waits for it."""
        if self.km is None:
            run_sync(self._launch)()

    def start(self) -> None:
        self.launch()
        if self.kc is None:
            run_sync(self._connect)()

    @property
    def alive(self) -> bool:
        return self.km is not None and run_sync(self.km.is_alive)()

    async def _launch(self) -> None:
        self._scratch = tempfile.mkdtemp(prefix="evalnb-kernel-")
        mpl_cache = outputs_dir() / CACHE_DIR / "matplotlib"
        mpl_cache.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "IPYTHONDIR": self._scratch, "MPLCONFIGDIR": str(mpl_cache), **self.env}
        # The connection file too stays in the scratch folder, not in the user's Jupyter runtime folder. The
        # channels are Unix sockets there (POSIX), not TCP ports: kernels started side by side (batch workers,
        # dask) cannot race for a port another process took meanwhile ("Address already in use").
        ipc = {"transport": "ipc", "ip": os.path.join(self._scratch, "k")} if os.name == "posix" else {}
        self.km = AsyncKernelManager(kernel_name=self.kernel_name,
                                     connection_file=os.path.join(self._scratch, "kernel.json"), **ipc)
        await self.km.start_kernel(cwd=str(self.cwd), env=env,
                                   extra_arguments=[*KERNEL_ARGUMENTS, f"--IPKernelApp.exec_lines={WARM_IMPORTS}"])

    async def _connect(self) -> None:
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=START_TIMEOUT)

    def close(self) -> None:
        """Stop the client's channels, shut the kernel down (which also ends its zmq context)."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                if self.km.has_kernel:
                    run_sync(self.km.shutdown_kernel)(now=True)
            except BaseException:              # noqa: BLE001  interrupted mid-loop (SIGTERM): kill it outright
                process = getattr(getattr(self.km, "provisioner", None), "process", None)
                if process is not None and process.poll() is None:
                    process.kill()
            self.km = None
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


@contextmanager
def _signals_kept():
    """nbclient hooks SIGINT/SIGTERM on its event loop; give the process its own handlers back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        loop = ensure_event_loop()
        for sig, handler in saved.items():
            try:
                loop.remove_signal_handler(sig)
                signal.signal(sig, handler)
            except (RuntimeError, ValueError):       # not the main thread: nothing was hooked
                pass


class SessionEngine(NBClientEngine):
    """papermill's nbclient engine, run on a :class:`KernelSession`'s kernel and client."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, session: KernelSession | None = None,
                                 **kwargs):
        assert session is not None, "the evalnb engine runs on a KernelSession"
        session.start()
        client = PapermillNotebookClient(nb_man, km=session.km, kernel_name=kernel_name, log_output=log_output,
                                         stdout_file=stdout_file, stderr_file=stderr_file,
                                         startup_timeout=start_timeout, timeout=execution_timeout,
                                         iopub_timeout=IOPUB_TIMEOUT)
        client.kc = session.kc
        try:
            with _signals_kept():
                return client.execute()
        finally:
            atexit.unregister(client._cleanup_kernel)     # nbclient registers every client for exit


papermill_engines.register(ENGINE_NAME, SessionEngine)
