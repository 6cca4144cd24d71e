"""The ``scaling-course`` command.

    scaling-course lab              open the course in JupyterLab at the welcome lesson
    scaling-course check-env        is this machine ready for the course?
    scaling-course run-notebooks    execute the solution notebooks headless at a profile
    scaling-course build-lessons    regenerate lessons/ from solutions/ with nbgrader
    scaling-course sweep NAME       train a standard sweep of the syllabus (cached), e.g. params
    scaling-course bench            run the speed benchmarks in bench/
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from . import __version__, course
from .profiles import PROFILES


def _lab(args) -> int:
    root = course.course_root()
    copied = course.prepare_workspace(root)
    if copied:
        print(f"Copied {len(copied)} lesson(s) into workspace/: your work lives there, lessons/ stays pristine.")
    welcome = course.notebook_path(course.WELCOME, course.WORKSPACE, root)
    cmd = course.lab_command(root, welcome, args.jupyter_args)
    print("Starting JupyterLab:", " ".join(cmd[1:]))
    try:
        return subprocess.call(cmd, env=course.with_scripts_on_path(os.environ), cwd=root)
    except KeyboardInterrupt:
        return 0


def _check_env(args) -> int:
    from .environment import check_environment
    report = check_environment()
    print(report)
    return 0 if report.ok else 1


def _run_notebooks(args) -> int:
    root = course.course_root()
    chosen = args.assignments or course.assignments(root)
    failures = 0
    for assignment in chosen:
        path = course.notebook_path(assignment, args.kind, root)
        output = os.path.join(args.output, f"{assignment}.ipynb") if args.output else None
        run = course.run_notebook(path, profile=args.profile, output=output)
        status = "ok" if run.ok else "FAILED"
        print(f"{status:>6}  {assignment}  {run.seconds:6.1f} s  (profile {args.profile})", flush=True)
        if not run.ok:
            failures += 1
            print(run.error)
    return 1 if failures else 0


def _build_lessons(args) -> int:
    course.build_lessons(only=args.assignments or None, quiet=False)
    return 0


def _sweep(args) -> int:
    from .syllabus import sweep_command
    return sweep_command(args.name, args.profile, workers=args.workers, csv_path=args.csv)


def _bench(args) -> int:
    from .benchmarks import run_benchmarks
    return run_benchmarks(args.names)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scaling-course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"scaling-course {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    lab = sub.add_parser("lab", help="open the course in JupyterLab at the welcome lesson")
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER,
                     help="extra arguments for jupyter lab, e.g. --no-browser --port 8899")
    lab.set_defaults(run=_lab)

    env = sub.add_parser("check-env", help="check that everything the course needs is installed")
    env.set_defaults(run=_check_env)

    run = sub.add_parser("run-notebooks", help="execute notebooks headless and report time and errors")
    run.add_argument("assignments", nargs="*", help="lesson folders, e.g. 01-polynomials (default: all)")
    run.add_argument("--profile", default="ci", choices=sorted(PROFILES), help="run size (default: ci)")
    run.add_argument("--kind", default=course.SOLUTIONS, choices=[course.SOLUTIONS, course.WORKSPACE],
                     help="which copies to run (default: solutions)")
    run.add_argument("--output", help="folder for the executed notebooks")
    run.set_defaults(run=_run_notebooks)

    build = sub.add_parser("build-lessons", help="regenerate lessons/ from solutions/ with nbgrader")
    build.add_argument("assignments", nargs="*", help="lesson folders (default: all)")
    build.set_defaults(run=_build_lessons)

    sweep = sub.add_parser("sweep", help="train a standard sweep of the syllabus (cached) with progress output")
    sweep.add_argument("name", help="params, params-text, data or compute")
    sweep.add_argument("--profile", default=None, choices=sorted(PROFILES),
                       help="run size (default: $SCALING_COURSE_PROFILE, else laptop)")
    sweep.add_argument("--workers", type=int, default=2, help="worker processes (default: 2)")
    sweep.add_argument("--csv", help="also save one row per run to this CSV file")
    sweep.set_defaults(run=_sweep)

    bench = sub.add_parser("bench", help="run the speed benchmarks in bench/ (from a clone of the repository)")
    bench.add_argument("names", nargs="*", help="benchmarks, e.g. train (default: all)")
    bench.set_defaults(run=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, ValueError, RuntimeError) as error:
        print(f"scaling-course {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
