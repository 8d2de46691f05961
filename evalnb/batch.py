"""Render many department-years: in parallel processes, or on a dask.distributed cluster.

One failing report does not stop the others; each job returns a :class:`JobResult`, failures with the
section, cell and error that ReportError names.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from evalnb import data, store
from evalnb.errors import BatchError, EvalnbError
from evalnb.paths import default_db_url, project_root


@dataclass(frozen=True)
class Job:
    department: str
    year: int
    rules: str | None = None
    db: str | None = None
    force: bool = False
    root: str | None = None        # the project root on the worker (notebooks/, outputs/)


@dataclass(frozen=True)
class JobResult:
    department: str
    year: int
    status: str                    # "ok" or "failed"
    score: float | None
    grade: str | None
    seconds: float
    report: str | None
    reused: int = 0
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def run_job(job: Job) -> JobResult:
    """Render one report; never raises for a report's own failure (top level, so workers can pickle it)."""
    if job.root:
        os.environ["EVALNB_ROOT"] = job.root
    from evalnb.report import render_report
    from evalnb.scoring import score

    started = time.perf_counter()
    try:
        result = render_report(job.department, job.year, job.db, job.rules, force=job.force)
        card = score(data.load(job.department, job.year, job.db, with_prior=False), job.rules)
        return JobResult(job.department, job.year, "ok", card.total, card.grade, time.perf_counter() - started,
                         str(result.html), result.reused)
    except EvalnbError as exc:
        return JobResult(job.department, job.year, "failed", None, None, time.perf_counter() - started, None,
                         error=str(exc))


def jobs_from_store(db: str | None = None, years: Iterable[int] = (), departments: Iterable[str] = (),
                    rules: str | None = None, force: bool = False) -> list[Job]:
    """Every stored department-year that passes the filters; a ``params/<dept>_<year>.yaml`` beside it
    supplies its rulebook unless ``rules`` is given for all."""
    from evalnb.params import stored_params

    years, departments = set(years), set(departments)
    db = db or default_db_url()
    return [Job(d, y, rules or stored_params(d, y).get("rules"), db, force, str(project_root()))
            for d, y in store.department_years(store.open_store(db))
            if (not years or y in years) and (not departments or d in departments)]


def jobs_from_params(paths: Iterable[Path], db: str | None = None, force: bool = False) -> list[Job]:
    from evalnb.params import read_params

    db = db or default_db_url()
    return [Job(p["department"], p["year"], p["rules"], db, force, str(project_root()))
            for p in map(read_params, paths)]


def _local(jobs: list[Job], workers: int) -> Iterator[JobResult]:
    import evalnb.report  # noqa: F401  imported once here, shared by the forked workers

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for future in as_completed([pool.submit(run_job, job) for job in jobs]):
            yield future.result()


def _dask(jobs: list[Job], workers: int, scheduler: str) -> Iterator[JobResult]:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster or scheduler)
    try:
        for future in dask_completed(client.map(run_job, jobs, pure=False)):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(jobs: list[Job], workers: int | None = None, scheduler: str | None = None,
              on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Run the jobs; results are reported as they finish and returned in job order."""
    counts = Counter((j.department, j.year) for j in jobs)
    twice = [f"{d} {y}" for (d, y), n in counts.items() if n > 1]
    if twice:
        raise BatchError(f"the same department-year is asked for twice (one report each): {', '.join(twice)}")
    workers = workers or os.cpu_count() or 1
    results = _dask(jobs, workers, scheduler) if scheduler else _local(jobs, workers)
    done: dict[tuple[str, int], JobResult] = {}
    for result in results:
        done[(result.department, result.year)] = result
        if on_result:
            on_result(result)
    return [done[(j.department, j.year)] for j in jobs]
