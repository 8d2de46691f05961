"""Render many department-years: in parallel processes, or on a dask.distributed cluster.

One failing report does not stop the others; each job returns a :class:`JobResult`, failures with the
section, cell and error that ReportError names.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from functools import partial
from multiprocessing.queues import SimpleQueue
from pathlib import Path

from evalnb import settings
from evalnb.console import explain, mask_secrets
from evalnb.deliver.formats import REGISTRY, register
from evalnb.deliver.publish import find_current, publish
from evalnb.errors import BatchError, LockedError
from evalnb.paths import REPORT_FILE, default_db_url, project_root, report_dir
from evalnb.report import warm
from evalnb.report.fingerprint import department_years

CONNECT_TIMEOUT = "20s"


@dataclass(frozen=True)
class Job:
    department: str
    year: int
    rules: str | None = None
    db: str | None = None
    force: bool = False
    root: str | None = None        # the project root on the worker (notebooks/, outputs/)
    formats: tuple[str, ...] = ()  # also write these beside the HTML: pdf, docx, xlsx (evalnb.deliver.formats)
    projects: bool = False         # also every project's 项目支出绩效自评表 (one notebook run per department-year)


class Status(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"            # another run is writing that department-year


@dataclass(frozen=True)
class JobResult:
    department: str
    year: int
    status: Status
    score: float | None
    grade: str | None
    seconds: float
    report: str | None
    reused: int = 0
    error: str | None = None
    steps: tuple[str, ...] = ()    # the formats written ("[PDF] <file>") when no parent heard them as they were
                                   # (a dask worker's come with its result)

    @classmethod
    def ok(cls, job: Job, seconds: float, report: str, score: float | None, grade: str | None,
           reused: int) -> JobResult:
        return cls(job.department, job.year, Status.OK, score, grade, seconds, report, reused)

    @classmethod
    def failed(cls, job: Job, error: str, seconds: float = 0.0) -> JobResult:
        return cls(job.department, job.year, Status.FAILED, None, None, seconds, None, error=error)

    @classmethod
    def skipped(cls, job: Job, error: str, seconds: float) -> JobResult:
        return cls(job.department, job.year, Status.SKIPPED, None, None, seconds, None, error=error)

    def to_dict(self) -> dict:
        return asdict(self)


def run_job(job: Job) -> JobResult:
    """Render one report; never raises (top level, so workers can pickle it): any failure of this
    department-year becomes a failed row with a Chinese reason, and the batch goes on. In a pool worker each
    format's step ("[PDF] <file>") is told to the parent as it is written (:func:`_tell`); elsewhere (a dask
    worker) the steps come back with the result."""
    global _busy
    if job.root:
        os.environ[settings.ROOT.name] = job.root
    started = time.perf_counter()
    steps: list[str] = []
    _busy = True
    try:
        done = publish(job.department, job.year, job.db, job.rules, formats=job.formats, force=job.force,
                       progress=_tell if _told is not None else steps.append, render=lambda: _render_warm(job))
        if job.projects:
            _projects_warm(job)
        return replace(JobResult.ok(job, time.perf_counter() - started, str(done.html), done.score, done.grade,
                                    done.reused), steps=tuple(steps))
    except KeyboardInterrupt:        # SIGTERM (or the parent's death) in a pool worker: the kernel is shut down
        if _in_worker:
            try:
                warm.close_all()
            finally:
                os._exit(130)
        raise
    except LockedError as exc:
        return JobResult.skipped(job, str(exc), time.perf_counter() - started)
    except Exception as exc:      # noqa: BLE001  one department-year's failure is a row, not the batch's end
        explained = explain(exc)
        reason = explained[0] if explained else f"内部错误：{type(exc).__name__}: {exc}"
        return JobResult.failed(job, mask_secrets(reason), time.perf_counter() - started)
    finally:
        _busy = False


def print_job(job: Job) -> JobResult:
    """The PDF of a job's report, rendered by a worker just before: a batch's printer process writes it (its PDF
    engine loaded once) while the workers' kernels render the next reports. The report is current, so nothing is
    rendered again (were its data re-imported meanwhile, it would be, as any stale report is)."""
    return run_job(replace(job, formats=(PDF,), force=False))


def _render_warm(job: Job):
    """Render on this worker's warm kernel; if the kernel died, on a new one, once."""
    from evalnb.report.render import render_report  # lazy: batch with nothing to do imports no Jupyter or SQLAlchemy

    for attempt in (1, 2):
        session = warm.session_for(job.db)
        try:
            return render_report(job.department, job.year, job.db, job.rules, force=job.force, lock_wait=0,
                                 session=session)
        except Exception:
            if session.km is None or session.alive:
                raise                   # the report's own failure: not the kernel's
            warm.discard(session)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _projects_warm(job: Job) -> None:
    """The project forms on this worker's warm kernel (the notebook runs only if its inputs changed)."""
    from evalnb.deliver.projects import publish_projects  # lazy: batch with nothing to do imports no Jupyter

    publish_projects(job.department, job.year, job.db, None, formats=job.formats, force=job.force,
                     session=warm.session_for(job.db), lock_wait=0)


def unchanged_result(job: Job) -> JobResult | None:
    """The result of a job whose report is current (evalnb.report.fingerprint): nothing to run, no worker needed."""
    if job.force or job.projects:       # the project forms' cache is checked by a worker
        return None
    started = time.perf_counter()
    found = find_current(job.department, job.year, job.db, job.rules, job.formats)
    if found is None or found.missing:
        return None           # a worker renders it (its sections are cached) or writes the formats it lacks
    return JobResult.ok(job, time.perf_counter() - started, str(found.folder / found.summary["html"]),
                        found.summary["score"], found.summary["grade"], found.summary["sections"])


def largest_first(jobs: list[Job]) -> list[Job]:
    """The jobs in the order that ends a batch soonest: the largest reports first, so the last to finish (and the
    last PDFs, printed after them) are short ones instead of workers idling while one long report ends. A
    report's size is that of its last rendering (``report.html``); a department-year never rendered counts as
    large (it is not known to be small); ties keep their order."""
    def size(job: Job) -> float:
        html = report_dir(job.department, job.year) / REPORT_FILE
        return html.stat().st_size if html.exists() else float("inf")

    return sorted(jobs, key=size, reverse=True)


def _worker_init(told: SimpleQueue | None = None) -> None:
    """A pool worker ends with its parent (Linux), and SIGTERM unwinds it so its kernel is shut down; it tells
    the parent its steps on ``told``."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)      # PR_SET_PDEATHSIG
        if os.getppid() == 1:              # the parent died before the line above
            os._exit(1)
    global _in_worker, _told
    _in_worker, _told = True, told
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle; it stops the workers


_busy = False          # in a pool worker: whether a job is running (SIGTERM then unwinds it)
_in_worker = False     # set by the pool's initializer
_told: SimpleQueue | None = None       # likewise: where a pool worker tells the parent its steps


def _tell(step: str) -> None:
    assert _told is not None
    _told.put(step)


def _raise_interrupt(signum: int, frame: object) -> None:
    if not _busy:
        try:
            warm.close_all()     # idle: only the warm kernel to shut down
        finally:
            os._exit(0)
    raise KeyboardInterrupt


def jobs_from_store(db: str | None = None, years: Iterable[int] = (), departments: Iterable[str] = (),
                    rules: str | None = None, force: bool = False) -> list[Job]:
    """Every stored department-year that passes the filters; a ``params/<dept>_<year>.yaml`` beside it
    supplies its rulebook unless ``rules`` is given for all."""
    from evalnb.paramfiles import stored_params  # lazy: batch with nothing to do imports no Jupyter or SQLAlchemy

    years, departments = set(years), set(departments)
    db = db or default_db_url()
    stored = department_years(db)
    if stored is None:
        from evalnb.store import sql as store  # lazy: batch with nothing to do imports no Jupyter or SQLAlchemy

        stored = store.department_years(store.open_store(db))
    return [Job(d, y, rules or stored_params(d, y).get("rules"), db, force, str(project_root()))
            for d, y in stored if (not years or y in years) and (not departments or d in departments)]


def jobs_from_params(paths: Iterable[Path], db: str | None = None, force: bool = False) -> list[Job]:
    from evalnb.paramfiles import read_params  # lazy: batch with nothing to do imports no Jupyter or SQLAlchemy

    db = db or default_db_url()
    return [Job(p["department"], p["year"], p["rules"], db, force, str(project_root()))
            for p in map(read_params, paths)]


def _local(jobs: list[Job], workers: int, on_step: Callable[[str], None] | None = None) -> Iterator[JobResult]:
    """The jobs on ``workers`` forked processes, each keeping a warm kernel. A report's PDF is printed once it is
    rendered (:func:`print_job`) by a printer process of its own while the workers' kernels render the next
    reports, or by a worker left without a render (the batch's last reports): :func:`_hand_out`."""
    import evalnb.report.render  # noqa: F401  imported once here, shared by the forked workers

    fork = multiprocessing.get_context("fork")
    told = fork.SimpleQueue() if on_step else None
    if any(PDF in job.formats for job in jobs):
        from evalnb.deliver.pdf import preload  # lazy: the PDF engine only for a batch that prints

        preload()                 # likewise the PDF engine's library; each process keeps its engine for all PDFs
    printers = -(-workers // PRINTS_PER)
    renders, printer = (ProcessPoolExecutor(max_workers=n, mp_context=fork, initializer=_worker_init,
                                            initargs=(told,)) for n in (workers, printers))
    stage = {renders.submit(run_job, replace(job, formats=tuple(k for k in job.formats
                                                         if k != PDF or not _printed_apart(job)))):
             (job, None, renders) for job in jobs}       # a future: its job, the render's result, its pool
    unprinted: list[tuple[Job, JobResult]] = []          # rendered, its PDF not yet given to a process
    try:
        while stage:
            done, _ = wait(stage, timeout=None if told is None else STEP_POLL, return_when=FIRST_COMPLETED)
            _relay(told, on_step)
            for future in done:
                job, rendered, _ = stage.pop(future)
                result = _outcome(future, job)
                if rendered is None and _printed_apart(job) and result.status == Status.OK:
                    unprinted.append((job, result))
                elif rendered is not None and result.status == Status.OK:
                    yield replace(rendered, seconds=rendered.seconds + result.seconds)
                else:
                    yield result
            yield from _hand_out(unprinted, stage, ((printer, printers), (renders, workers)))
    except BaseException:
        for pool in (renders, printer):
            _stop(pool)
        raise
    for pool in (renders, printer):
        pool.shutdown(wait=True)
    _relay(told, on_step)


PDF = "pdf"
PROCESS_DIED = "生成该报告的工作进程意外退出（内存不足或被终止）"
PRINTS_PER = 4         # workers one printer process keeps up with (a PDF costs about a sixth of a report's render)
STEP_POLL = 0.2        # seconds between looks at the workers' steps while waiting for results


def _printed_apart(job: Job) -> bool:
    """Whether a printer prints the job's PDF: not with ``--projects``, whose forms' PDFs come from the forms'
    notebook run on the worker's kernel (that job's worker writes all its PDFs)."""
    return PDF in job.formats and not job.projects


def _hand_out(unprinted: list[tuple[Job, JobResult]], stage: dict,
              pools: tuple[tuple[ProcessPoolExecutor, int], ...]) -> Iterator[JobResult]:
    """Each rendered report's PDF, in the order they were rendered, to a process that is free now: a printer
    (its engine warm), else a worker with no render left. The rest wait for the next process to finish: a PDF
    queued on a busy printer could not move to a worker that frees up first (the batch's last reports). A pool
    whose process died takes none; when no pool can take them, the PDFs' rows fail (yielded)."""
    busy = Counter(id(pool) for *_, pool in stage.values())
    for pool, size in pools:
        while unprinted and busy[id(pool)] < size:
            job, rendered = unprinted[0]
            try:
                stage[pool.submit(print_job, job)] = (job, rendered, pool)
            except BrokenProcessPool:
                break                   # its process died: the next pool takes the PDF, if any can
            unprinted.pop(0)
            busy[id(pool)] += 1
    if not stage:                       # nothing running that could free a process: every pool is broken
        yield from (JobResult.failed(job, PROCESS_DIED) for job, _ in unprinted)
        unprinted.clear()


def _outcome(future: Future, job: Job) -> JobResult:
    try:
        return future.result()
    except BrokenProcessPool:
        return JobResult.failed(job, PROCESS_DIED)


def _relay(told: SimpleQueue | None, on_step: Callable[[str], None] | None) -> None:
    """The steps the workers told since the last look, to ``on_step``."""
    while told is not None and on_step is not None and not told.empty():
        on_step(told.get())


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers (each shuts its kernel down on SIGTERM)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=30)


def _run_labelled(labels: dict[str, str], job: Job) -> JobResult:
    """:func:`run_job` on a dask worker, which imports no CLI: the console's words for the formats (its steps say
    ``[Excel 自评表] …`` as a local batch's do) come with the job."""
    for kind, label in labels.items():
        if kind in REGISTRY and not REGISTRY[kind].label:
            register(replace(REGISTRY[kind], label=label))
    return run_job(job)


def _dask(jobs: list[Job], workers: int, scheduler: str,
          on_step: Callable[[str], None] | None = None) -> Iterator[JobResult]:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster or scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise BatchError(f"无法连接 dask 调度器 {scheduler}：{exc}；请检查地址和端口，调度器是否已启动") from exc
    labels = {kind: fmt.label for kind, fmt in REGISTRY.items() if fmt.label}
    futures = client.map(partial(_run_labelled, labels), jobs, pure=False)
    by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
    try:
        for future in dask_completed(futures):
            try:
                result = future.result()
            except Exception as exc:      # noqa: BLE001  a lost worker fails its job, not the batch
                job = by_key[future.key]
                yield JobResult.failed(job, f"dask 工作进程出错：{type(exc).__name__}: {exc}")
                continue
            for step in result.steps if on_step else ():
                on_step(step)
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(jobs: list[Job], workers: int | None = None, scheduler: str | None = None,
              on_result: Callable[[JobResult], None] | None = None,
              on_step: Callable[[str], None] | None = None) -> list[JobResult]:
    """Run the jobs; results are reported as they finish and returned in job order. ``on_step`` hears each
    format a worker writes ("[PDF] <file>": from a dask cluster's workers when the job's result comes back)."""
    counts = Counter((j.department, j.year) for j in jobs)
    twice = [f"{d} {y}" for (d, y), n in counts.items() if n > 1]
    if twice:
        raise BatchError(f"同一部门年度被要求生成两次（每个部门年度只生成一份）：{'、'.join(twice)}")
    workers = workers or os.cpu_count() or 1
    current = [r for r in map(unchanged_result, jobs) if r is not None]
    left = largest_first([j for j in jobs if (j.department, j.year) not in {(r.department, r.year) for r in current}])
    results = (_dask(left, workers, scheduler, on_step) if scheduler else _local(left, workers, on_step)) if left else iter(())
    done: dict[tuple[str, int], JobResult] = {}
    for result in itertools.chain(current, results):      # as each finishes (a tuple would wait for all)
        done[(result.department, result.year)] = result
        if on_result:
            on_result(result)
    return [done[(j.department, j.year)] for j in jobs]
