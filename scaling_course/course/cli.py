"""The ``scaling-course`` command.

    scaling-course lab              open the course in JupyterLab at the welcome lesson
    scaling-course demo             the workshop dashboard (Voilà): the course's story without code
    scaling-course check-env        is this machine ready for the course?
    scaling-course run-notebooks    execute the solution notebooks headless at a profile
    scaling-course build-lessons    regenerate lessons/ from solutions/ with nbgrader
    scaling-course sweep NAME       train a standard sweep of the syllabus (cached), e.g. params
    scaling-course references       regenerate the shipped results of the standard sweeps
    scaling-course bench            run the speed benchmarks in bench/
"""

from __future__ import annotations

__all__ = ["main"]

import argparse
import asyncio
import os
import subprocess
import sys

from scaling_course.engine.sweep import run_sweep
from scaling_course.syllabus.profiles import PROFILES, as_profile
from scaling_course.syllabus.shipped import REFERENCE_PROFILES, regenerate_reference
from scaling_course.syllabus.sweeps import STANDARD_SWEEPS, standard_sweep
from scaling_course.syllabus.tables import print_sweep, write_csv
from scaling_course.validation import check_list_of, check_positive_int
from scaling_course.version import __version__

from . import notebooks
from .benchmarks import run_benchmarks
from .environment import check_environment
from .learner_lab import learner_environment
from .release import student_release


def _lab(args) -> int:
    root = notebooks.course_root()
    copied = notebooks.prepare_workspace(root)
    if copied:
        print(f"Copied {len(copied)} lesson(s) into workspace/: your work lives there, lessons/ stays pristine.")
    welcome = notebooks.notebook_path(notebooks.WELCOME, notebooks.WORKSPACE, root)
    cmd = notebooks.lab_command(root, welcome, args.jupyter_args)
    print("Starting JupyterLab:", " ".join(cmd[1:]))
    try:
        return subprocess.call(cmd, env=learner_environment(notebooks.with_scripts_on_path(os.environ)), cwd=root)
    except KeyboardInterrupt:
        return 0


def _demo(args) -> int:
    root = notebooks.course_root()
    cmd = notebooks.demo_command(args.jupyter_args)
    print("Starting the dashboard:", " ".join(cmd[1:]))
    try:
        return subprocess.call(cmd, env=notebooks.with_scripts_on_path(os.environ), cwd=root)
    except KeyboardInterrupt:
        return 0


def _check_env(args) -> int:
    report = check_environment()
    print(report)
    return 0 if report.ok else 1


def _run_notebooks(args) -> int:
    root = notebooks.course_root()
    chosen = args.assignments or notebooks.assignments(root)
    failures = 0
    for assignment in chosen:
        path = notebooks.notebook_path(assignment, args.kind, root)
        output = os.path.join(args.output, f"{assignment}.ipynb") if args.output else None
        run = notebooks.run_notebook(path, profile=args.profile, output=output)
        status = "ok" if run.ok else "FAILED"
        print(f"{status:>6}  {assignment}  {run.seconds:6.1f} s  (profile {args.profile})", flush=True)
        if not run.ok:
            failures += 1
            print(run.error)
    return 1 if failures else 0


def _build_lessons(args) -> int:
    notebooks.build_lessons(only=args.assignments or None, quiet=False)
    return 0


def _sweep(args) -> int:
    """Train a standard sweep (or read it from the cache) with a progress bar, print one line per
    run, optionally save a CSV."""
    profile = as_profile(args.profile)
    configs = standard_sweep(args.name, profile)
    print(f"sweep {args.name!r} at {profile}: {len(configs)} runs", flush=True)
    records = run_sweep(configs, workers=args.workers, description=args.name)
    print_sweep(records)
    if args.csv:
        write_csv(records, args.csv)
        print(f"wrote {args.csv}")
    return 0


def _references(args) -> int:
    """Train the standard sweeps at a profile and write them as the shipped results."""
    # without names, every sweep that ships at this profile (lesson 08's menu ships at laptop only)
    for name in args.names or [n for n, s in STANDARD_SWEEPS.items() if args.profile in s.shipped_at]:
        path = regenerate_reference(name, args.profile, keep_shipped=args.keep_shipped, workers=args.workers)
        print(f"wrote {path}")
    return 0


def _bench(args) -> int:
    return run_benchmarks(args.names or None)          # no names: every benchmark


def _student_release(args) -> int:
    written = student_release(args.folder)
    wheel = next(path.name for path in written if path.suffix == ".whl")
    print(f"wrote {len(written)} files to {args.folder}: the lessons, {wheel} and a README; no solutions, no tests")
    return 0


def _workers(text: str) -> int:
    """--workers: a whole number >= 1, by the package's own rule (argparse prints the message)."""
    try:
        return check_positive_int(int(text), "--workers")
    except ValueError as error:                 # int("two") and check_positive_int(0) alike
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}") from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scaling-course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"scaling-course {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    lab = sub.add_parser("lab", help="open the course in JupyterLab at the welcome lesson; other options "
                                     "go to jupyter lab, e.g. scaling-course lab --no-browser --port 8899")
    lab.set_defaults(run=_lab, jupyter_args=[])

    demo = sub.add_parser("demo", help="the workshop dashboard in Voilà (no code, shipped results, opens in "
                                       "seconds); other options go to voila, e.g. scaling-course demo --no-browser "
                                       "--port 8866")
    demo.set_defaults(run=_demo, jupyter_args=[])

    env = sub.add_parser("check-env", help="check that everything the course needs is installed")
    env.set_defaults(run=_check_env)

    run = sub.add_parser("run-notebooks", help="execute notebooks headless and report time and errors")
    run.add_argument("assignments", nargs="*", help="lesson folders, e.g. 01-polynomials (default: all)")
    run.add_argument("--profile", default="ci", choices=sorted(PROFILES), help="run size (default: ci)")
    run.add_argument("--kind", default=notebooks.SOLUTIONS, choices=[notebooks.SOLUTIONS, notebooks.WORKSPACE],
                     help="which copies to run (default: solutions)")
    run.add_argument("--output", help="folder for the executed notebooks")
    run.set_defaults(run=_run_notebooks)

    build = sub.add_parser("build-lessons", help="regenerate lessons/ from solutions/ with nbgrader")
    build.add_argument("assignments", nargs="*", help="lesson folders (default: all)")
    build.set_defaults(run=_build_lessons)

    sweep = sub.add_parser("sweep", help="train a standard sweep of the syllabus (cached) with progress output")
    sweep.add_argument("name", help=", ".join(STANDARD_SWEEPS))
    sweep.add_argument("--profile", default=None, choices=sorted(PROFILES),
                       help="run size (default: $SCALING_COURSE_PROFILE, else laptop)")
    sweep.add_argument("--workers", type=_workers, default=2, help="worker processes (default: 2)")
    sweep.add_argument("--csv", help="also save one row per run to this CSV file")
    sweep.set_defaults(run=_sweep)

    references = sub.add_parser("references", help="regenerate the shipped results of the standard sweeps "
                                                   "(about 45 minutes at laptop, three and a half hours at full)")
    references.add_argument("names", nargs="*", help=f"sweeps (default: all of {', '.join(STANDARD_SWEEPS)})")
    references.add_argument("--profile", default="laptop", choices=REFERENCE_PROFILES)
    references.add_argument("--workers", type=_workers, default=2, help="worker processes (default: 2)")
    references.add_argument("--keep-shipped", action="store_true",
                            help="train only the runs the shipped file lacks (after a design gained runs)")
    references.set_defaults(run=_references)

    bench = sub.add_parser("bench", help="run the speed benchmarks in bench/ (from a clone of the repository)")
    bench.add_argument("names", nargs="*", help="benchmarks, e.g. train (default: all)")
    bench.set_defaults(run=_bench)

    release = sub.add_parser("student-release", help="write what students receive in a class: the lessons, a wheel "
                                                     "of the package and a README (no solutions, no tests)")
    release.add_argument("folder", help="a folder that does not exist yet")
    release.set_defaults(run=_student_release)
    return parser


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line as a namespace; ``lab`` and ``demo`` hand the options they do not know to the
    server they start (jupyter lab, voila)."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    servers = ("lab", "demo")
    if unknown and args.command not in servers:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.jupyter_args = [a for a in unknown if a != "--"] if args.command in servers else []
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return its exit status."""
    if argv is not None:
        argv = check_list_of(argv, "argv", str, "list of command-line words")
    args = parse(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, TypeError, ValueError, RuntimeError) as error:
        print(f"scaling-course {args.command}: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, asyncio.CancelledError):   # Ctrl-C (mid-notebook, a cancelled cell): no traceback
        print(f"scaling-course {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
