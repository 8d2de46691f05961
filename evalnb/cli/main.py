"""The ``evalnb`` command. Every subcommand has ``--help``; messages are Chinese; failures exit non-zero
with one message (``--debug`` adds the traceback). Exit codes: 0 done, 1 a report or check failed,
2 bad input (workbook, rulebook, params, options) or
not in a project, 3 not in the store, 4 store unreachable or refused,
5 file-system error, 130 interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import traceback

from evalnb.cli.parser import Handler, build_parser
from evalnb.console import explain, log, mask_secrets, setup_logging
from evalnb.paths import require_project


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose, args.quiet, args.log)
    handler: Handler = args.handler
    signal.signal(signal.SIGTERM, _interrupt)     # `kill` unwinds like Ctrl-C: kernels, workers, staging cleaned
    try:
        require_project(creating=args.command == "ingest" and args.init)   # outside a project: say where, write nothing
        _rules_from_params(args)
        return handler(args)
    except BaseException as exc:      # noqa: BLE001  every failure gets one Chinese message
        if isinstance(exc, SystemExit):
            raise
        explained = explain(exc)
        if explained is None or args.debug:
            log.error(mask_secrets("".join(traceback.format_exception(exc))))
        if explained is None:
            log.error("evalnb %s：内部错误（%s），请把上面的信息发给维护人员", args.command, type(exc).__name__)
            return 1
        message, code = explained
        log.error("evalnb %s：%s", args.command, mask_secrets(message))
        return code


def _rules_from_params(args: argparse.Namespace) -> None:
    """A department-year's params file names its rulebook for every command, as for `batch` (``--rules`` wins): a
    report, its mail and its score never disagree on the rules."""
    department, year = getattr(args, "dept", None), getattr(args, "year", None)
    if isinstance(department, str) and isinstance(year, int):
        from evalnb.paramfiles import stored_params  # lazy: keeps `evalnb` quick to start

        args.rules = getattr(args, "rules", None) or stored_params(department, year).get("rules")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
