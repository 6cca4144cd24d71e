"""Every command README.md shows is run by a test, as written.

Which commands: :func:`readme_commands` reads them from README.md mechanically:

* every line of every ```bash (or sh, shell, console) block, without its trailing ``# comment``
  (or a console's ``$`` prompt);
* every inline code span in the prose that is a shell command: its first word (after any
  ``NAME=value`` settings) is a program in :data:`PROGRAMS` or a ``.venv/bin/`` path, and at least
  one argument follows (so ```make``` or ```scaling-course``` alone, naming a program, is not a command);
* an inline span of options only (```--profile full```) continues the command span before it in the
  same sentence: an option already there takes the new value, a new one is appended.

:data:`COMMANDS` says how each command is run. ``test_the_table_covers_the_readme`` fails when README
shows a command the table does not know how to run, and when the table names one README no longer shows.

How a command is run (the ``way`` of its :class:`How`):

``run``
    to completion; it must exit 0 and its output say what README promises (``says``), plus any
    further check (``then``).
``server``
    JupyterLab or Voilà: started as written, it must print its address and answer HTTP there (the
    page it tells you to open); then Ctrl-C, and it must stop cleanly: no traceback, every process of
    it gone, the port closed. A command that names its port (``--port 8899``) must serve on that
    port when the port was free; when something else already holds it, the server moves to the
    next free port, as it would for a learner, and the test follows it.
``interrupt``
    a long command (minutes to hours): run as written until its output shows that its real work has
    begun (``until``: a first result, a progress bar, a benchmark's header), then Ctrl-C; it must
    exit with no traceback and every process of it gone. Which commands are cut short, and where, is
    in the table.
``ci``
    ``make test``: running the whole suite from inside the suite would recurse. CI runs it as
    written: ``.ci/run`` ends with this command, and ``make -n test`` shows that it runs pytest.

Ctrl-C is what a terminal sends: SIGINT to the command's whole process group. A command that needs
a program this machine lacks (``conda``) is skipped, and the skip says why.

Where: everything runs in ``course``, a copy of the working tree (what a fresh clone holds, plus
uncommitted edits) in a temporary folder, so ``workspace/``, regenerated lessons, shipped results and
notebook outputs never land in the checkout. Its ``.venv`` is the environment running these tests
(its entries linked, with a ``make`` setup stamp of its own, so ``make`` sees it set up and never
reinstalls into the shared environment). That environment has this package installed editable from
the checkout, so every command runs with ``PYTHONPATH`` set to the copy: the copy's package is the
one that runs and writes, never the checkout's. Runs are cached in the module's own
``SCALING_COURSE_CACHE``. ``BROWSER=true`` lets a server "open a browser" without one opening.

Commands README shows in a shell with the environment active (bare ``scaling-course``,
``papermill``, ``nbgrader``, ``jupyter``) run with ``.venv/bin`` first on ``PATH`` (``active``);
the rest (``make ...``, ``.venv/bin/...``, ``source ...``) run with the environment off ``PATH``,
which proves they do not need it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from scaling_course.engine.runs import RunConfig

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SHIPPED = Path("scaling_course") / "syllabus" / "reference_runs"

#: Programs whose inline code spans in the README are commands (see the module docstring).
PROGRAMS = ("make", "scaling-course", "papermill", "nbgrader", "jupyter", "voila", "pip", "pip3", "conda",
            "source", "python", "python3", "pytest", "git", "bash", "sh", "cd", "apt-get", "sudo")

RUN, SERVER, INTERRUPT, CI = "run", "server", "interrupt", "ci"

#: How a command that was interrupted may end: its own "interrupted" status, or killed by the signal.
INTERRUPTED = (130, -signal.SIGINT)
#: How a server may end after Ctrl-C: ``scaling-course lab`` and ``demo`` return 0 when JupyterLab or
#: Voilà stops; make (and a bare server) end by the signal.
STOPPED = (0,) + INTERRUPTED


# ---------------------------------------------------------------------------------------------------
# Reading the commands out of README.md

def _is_command(span: str) -> bool:
    words = span.split()
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):
        words = words[1:]
    return len(words) >= 2 and (words[0] in PROGRAMS or words[0].startswith(".venv/bin/"))


def _with_options(command: str, options: str) -> str:
    """``command`` with ``options`` (e.g. ``--profile full``): an option it has takes the new value,
    a new one is appended."""
    words = command.split()
    groups: list[list[str]] = []
    for word in options.split():
        if word.startswith("-") or not groups:
            groups.append([word])
        else:
            groups[-1].append(word)
    for option, *value in groups:
        if option in words and value:
            at = words.index(option)
            words[at + 1:at + 1 + len(value)] = value
        elif option not in words:
            words += [option, *value]
    return " ".join(words)


def readme_commands(text: str) -> list[str]:
    """The commands ``text`` (a README) shows, in order, each once (rules in the module docstring)."""
    commands = []
    for block in re.findall(r"^```(?:bash|sh|shell|console)\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            line = re.sub(r"(^|\s)#.*", "", line).strip().removeprefix("$ ")
            if line:
                commands.append(" ".join(line.split()))
    prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    for paragraph in re.split(r"\n\s*\n", prose):
        last = None                    # the command an options-only span continues
        for piece in re.split(r"(`[^`]+`)", paragraph):
            if len(piece) > 1 and piece.startswith("`") and piece.endswith("`"):
                span = " ".join(piece.strip("`").split())
                if _is_command(span):
                    last = span
                    commands.append(span)
                elif span.startswith("--") and last:
                    last = _with_options(last, span)
                    commands.append(last)
            elif re.search(r"[.!?](\s|$)|\n\s*[*-]\s|\|", piece):
                last = None            # a new sentence, list item or table cell
    return list(dict.fromkeys(commands))


# ---------------------------------------------------------------------------------------------------
# Running a command in a shell, as a terminal does

def _group_members(pgid: int) -> list[str]:
    """The command lines of the live (not zombie) processes in process group ``pgid``."""
    proc = Path("/proc")
    if not proc.is_dir():                              # no /proc: ask the kernel about the group itself
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [f"process group {pgid}"]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            state, _, group = stat[stat.rindex(")") + 2:].split()[:3]
            if int(group) == pgid and state != "Z":
                members.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, ValueError):
            continue                                   # it ended while we looked
    return members


class Shell:
    """One command running under ``bash -c`` in a process group of its own, its output collected."""

    def __init__(self, command: str, cwd: Path, env: dict):
        self.command = command
        self.port: int | None = None                # a server's, once it has said where it listens
        self.process = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for chunk in iter(lambda: self.process.stdout.read1(65536), b""):
            self._chunks.append(chunk)

    @property
    def output(self) -> str:
        """Everything printed so far; progress bars' carriage returns read as line ends."""
        text = b"".join(self._chunks).decode(errors="replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        """Wait until the output matches ``pattern`` (a multiline regular expression)."""
        deadline = time.monotonic() + timeout
        while True:
            ended = self.process.poll() is not None
            if ended:
                self._reader.join(5)
            match = re.search(pattern, self.output, re.M)
            if match:
                return match
            if ended:
                pytest.fail(f"{self.command!r} ended (exit {self.process.returncode}) before printing "
                            f"/{pattern}/:\n{self.tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"{self.command!r} did not print /{pattern}/ within {timeout:.0f} s:\n{self.tail()}")
            time.sleep(0.2)

    def finish(self, timeout: float) -> int:
        """Wait for the command to end; its exit status (negative: the signal that ended it)."""
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{self.command!r} did not end within {timeout:.0f} s:\n{self.tail()}")
        self._reader.join(5)
        return status

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C: SIGINT to the whole process group; wait for the command to end."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.finish(timeout)

    def leftovers(self, timeout: float = 30) -> list[str]:
        """The processes of the command still running after ``timeout`` seconds (a server it started
        may finish shutting down after the command itself has returned)."""
        deadline = time.monotonic() + timeout
        while (members := _group_members(self.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        return members

    def stop(self) -> None:
        """End whatever is left of the command: Ctrl-C first, so a server shuts its kernels down
        (they run in sessions of their own), then SIGKILL."""
        for sig, grace in ((signal.SIGINT, 15), (signal.SIGKILL, 0)):
            if not _group_members(self.process.pid):
                break
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            self.leftovers(grace)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


# ---------------------------------------------------------------------------------------------------
# The table

@dataclass(frozen=True)
class How:
    """How the test runs one README command (see the module docstring for the ways)."""

    way: str
    #: Regular expressions (multiline) its output must match.
    says: tuple[str, ...] = ()
    #: interrupt: the output that shows its real work has begun.
    until: str = ""
    #: Run with the environment active (.venv/bin first on PATH), as the README's bare commands assume.
    active: bool = False
    #: The folder of the course copy to run in.
    cwd: str = "."
    #: Prepares the copy before the run; returns environment variables to set (None: unset).
    prepare: Callable[[Path], dict] | None = None
    #: Further checks, given the course copy and the Shell: after the run; for a server, while it serves.
    then: Callable[[Path, Shell], None] | None = None
    #: Words the README leaves to the reader, appended to the command (see the entry's comment).
    append: str = ""
    #: A program the command needs; without it on PATH the test is skipped (and says so).
    needs: str = ""
    #: Seconds the whole run (run) or the wait for ``until`` or the server (interrupt, server) may take.
    timeout: float = 120


def _opens_the_welcome_lesson(course: Path, shell: Shell) -> None:
    """``make lab`` copied every lesson into workspace/ and opened the welcome lesson there."""
    lessons = sorted(p.name for p in (course / "lessons").iterdir() if p.is_dir())
    assert lessons and all((course / "workspace" / a / f"{a}.ipynb").is_file() for a in lessons)
    assert re.search(r"^Starting JupyterLab: .* workspace/00-welcome/00-welcome\.ipynb", shell.output, re.M)


def _serves_at_ci(course: Path, shell: Shell) -> None:
    """The server (whose kernels inherit its environment) runs with SCALING_COURSE_PROFILE=ci."""
    if not Path("/proc").is_dir():
        return                                      # no way to read another process's environment
    runtime = Path(os.environ["JUPYTER_RUNTIME_DIR"])
    servers = [json.loads(p.read_text()) for p in runtime.glob("jpserver-*.json")]
    (pid,) = [s["pid"] for s in servers if s.get("port") == shell.port and Path(f"/proc/{s['pid']}").is_dir()]
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    profile = next((v.decode() for v in environ if v.startswith(b"SCALING_COURSE_PROFILE=")), "no profile")
    assert profile == "SCALING_COURSE_PROFILE=ci", f"the server runs with {profile}"


def _with_a_finished_notebook(course: Path) -> dict:
    """in.ipynb: a notebook whose exercises are done, as README asks (the solution of lesson 01)."""
    folder = course / "papermill"
    folder.mkdir(exist_ok=True)
    shutil.copy(course / "solutions" / "01-polynomials" / "01-polynomials.ipynb", folder / "in.ipynb")
    return {}


def _ran_at_ci(course: Path, shell: Shell) -> None:
    executed = json.loads((course / "papermill" / "out.ipynb").read_text())
    assert executed["metadata"]["papermill"]["parameters"] == {"profile": "ci"}
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors


def _alembic_in_the_environment(course: Path, shell: Shell) -> None:
    found = shell.output.strip().splitlines()[-1]
    assert Path(found).resolve() == (course / ".venv" / "bin" / "alembic").resolve(), found


def _lessons_regenerated_without_a_gradebook(course: Path, shell: Shell) -> None:
    lessons = sorted(p.name for p in (course / "solutions").iterdir() if p.is_dir())
    for assignment in lessons:
        assert f"generated lessons/{assignment}/{assignment}.ipynb" in shell.output
    assert not (course / "gradebook.db").exists()


def _wrote_into_the_copy(course: Path, shell: Shell) -> None:
    """Shipped results are written into the copy's package, never the checkout's."""
    written = re.findall(r"^wrote (\S+)$", shell.output, re.M)
    assert written and all(Path(p).parent == course / SHIPPED for p in written), written


def _kept_every_shipped_run(course: Path, shell: Shell) -> None:
    """``--keep-shipped`` with nothing new trains nothing: each file holds the checkout's runs."""
    _wrote_into_the_copy(course, shell)
    written = re.findall(r"^wrote (\S+)$", shell.output, re.M)
    for path in map(Path, written):
        fresh = json.loads(path.read_text())["runs"]
        shipped = json.loads((ROOT / SHIPPED / path.name).read_text())["runs"]
        # as configs, not dicts: a file written by an older version lacks the fields added since (their defaults)
        assert [RunConfig.from_dict(r["config"]) for r in fresh] == [RunConfig.from_dict(r["config"]) for r in shipped], \
            path.name


def _in_a_fresh_environment(course: Path) -> dict:
    """A new virtual environment stands in for the conda one (conda is optional): pip there installs
    the copy, and nothing points Python at the copy but that install."""
    venv = course.parent / "pip-env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    return {"PATH": str(venv / "bin") + os.pathsep + _path_without_the_environment(), "PYTHONPATH": None}


def _installed_from_the_copy(course: Path, shell: Shell) -> None:
    python = course.parent / "pip-env" / "bin" / "python"
    spec = "import importlib.util as u; print(u.find_spec('scaling_course').origin)"
    where = subprocess.run([str(python), "-c", spec], cwd=course.parent, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert Path(where).is_relative_to(course), where


def _in_a_temporary_conda_envs_dir(course: Path) -> dict:
    return {"CONDA_ENVS_PATH": str(course.parent / "conda-envs")}


def _conda_env_created(course: Path, shell: Shell) -> None:
    assert list((course.parent / "conda-envs").glob("*/bin/python")), shell.tail()


#: How long a server may take to send the whole page it offers (the dashboard is ready in seconds).
PAGE_SECONDS = 60
CONNECT_SECONDS = 10        # how long a server that printed its address may still refuse connections

#: A sweep's progress bar once some training is done (its count of work done is no longer zero).
TRAINING = r"^params:\s+\d+%\|[^|]*\| [1-9]"


#: Each README command and how it is run; the comments say where a run stops short, and why.
COMMANDS: dict[str, How] = {
    # The learner's lab: copies the lessons into workspace/ and opens the welcome lesson.
    "make lab": How(SERVER, then=_opens_the_welcome_lesson),
    "make test": How(CI),
    # Its port is fixed: when another server holds 8899, JupyterLab moves on (the test follows it).
    ".venv/bin/scaling-course lab --no-browser --port 8899": How(SERVER),
    # The instructor's lab, in the course root (README adds --allow-root for root, harmless otherwise).
    "jupyter lab --allow-root": How(SERVER, active=True),
    "SCALING_COURSE_PROFILE=ci make lab": How(SERVER, then=_serves_at_ci),
    "papermill in.ipynb out.ipynb -p profile ci": How(RUN, active=True, cwd="papermill",
                                                      prepare=_with_a_finished_notebook, then=_ran_at_ci),
    # Every solution at ci is run to completion by tests/test_notebooks.py; here the command itself runs as
    # written until it reports its first lesson run (in 5-10 s), then Ctrl-C.
    "scaling-course run-notebooks --profile ci": How(INTERRUPT, active=True, until=r"^\s+ok\s+00-welcome\s"),
    # README: nbgrader calls alembic from PATH; activating the environment must put it there.
    "source .venv/bin/activate": How(RUN, append=" && command -v alembic", then=_alembic_in_the_environment),
    "make lessons": How(RUN, then=_lessons_regenerated_without_a_gradebook),
    # README's point is that it "exits 0 even when validation fails": given an untouched lesson (which
    # fails validation), it must exit 0 and say so. README names no notebook; the test adds one.
    "nbgrader validate": How(RUN, active=True, append=" lessons/01-polynomials/01-polynomials.ipynb",
                             says=(r"VALIDATION FAILED",)),
    # The dashboard: the test reads the whole page, which runs the demo notebook (see _fetch).
    "make demo": How(SERVER),
    ".venv/bin/scaling-course demo --no-browser --port 8866": How(SERVER),
    "scaling-course --help": How(RUN, active=True, says=tuple(
        rf"^\s+{name}\s" for name in ("lab", "demo", "check-env", "run-notebooks", "build-lessons", "sweep",
                                      "references", "bench"))),
    "scaling-course lab": How(SERVER, active=True),
    "scaling-course demo": How(SERVER, active=True),
    "scaling-course check-env": How(RUN, active=True, says=(r"Everything the course needs is installed",)),
    "scaling-course build-lessons": How(RUN, active=True, then=_lessons_regenerated_without_a_gradebook),
    "scaling-course sweep params --profile ci": How(
        RUN, active=True, says=(r"^sweep 'params' at .*\bci\b.*: \d+ runs$", r"final_val_loss")),
    # Regenerating all five sweeps at ci takes about a minute: stopped once the first file is written
    # (params, from the runs the sweep above cached).
    "scaling-course references --profile ci": How(INTERRUPT, active=True, until=r"^wrote \S+params-ci\.json$",
                                                  then=_wrote_into_the_copy),
    # The benchmarks take many minutes: stopped at the first benchmark's header.
    "scaling-course bench": How(INTERRUPT, active=True, until=r"^=== bench \w+ ===$"),
    # About 45 minutes: stopped once the first sweep's progress bar shows training under way.
    "scaling-course references --profile laptop": How(INTERRUPT, active=True, until=TRAINING),
    # About three and a half hours: likewise.
    "scaling-course references --profile full": How(INTERRUPT, active=True, until=TRAINING),
    # Trains only the runs a sweep gained; nothing has, so it rewrites the files in seconds.
    "scaling-course references --profile full --keep-shipped": How(RUN, active=True, then=_kept_every_shipped_run),
    # Needs conda; where there is one, the environment is created in a temporary envs folder.
    "conda env create -f environment.yml": How(RUN, needs="conda", prepare=_in_a_temporary_conda_envs_dir,
                                               then=_conda_env_created, timeout=3600),
    "pip install -e . --no-deps": How(RUN, prepare=_in_a_fresh_environment, then=_installed_from_the_copy,
                                      says=(r"Successfully installed scaling-course",)),
    ".venv/bin/python -m pytest tests/test_checks.py -q": How(RUN, says=(r"^\d+ passed",)),
    # All benchmarks: stopped at the first benchmark's header.
    "make bench": How(INTERRUPT, until=r"^=== bench \w+ ===$"),
    # Minutes (every lesson): stopped after its first measurement, the baseline.
    ".venv/bin/python -m bench autograde": How(INTERRUPT, until=r"^baseline: .* s$"),
    # Minutes (two lessons at ci and laptop): stopped after its first measurement, the baseline.
    "BENCH_LESSONS=03,04 .venv/bin/python -m bench notebooks": How(INTERRUPT, until=r"^baseline: .* s$"),
}


# ---------------------------------------------------------------------------------------------------
# The course copy and the environment commands run in

def _path_without_the_environment() -> str:
    """PATH without the environment running the tests (conftest puts its bin/ first)."""
    ours = {os.path.realpath(os.path.dirname(sys.executable)), os.path.realpath(Path(sys.prefix) / "bin")}
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and os.path.realpath(p) not in ours)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the working tree whose .venv is the environment running these tests."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("the README's commands use .venv: run the tests with a virtual environment's python "
                    "(make test does)")
    copy = tmp_path_factory.mktemp("readme") / "course"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():                        # a tracked file deleted in the working tree is not copied
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    venv = copy / ".venv"
    venv.mkdir()
    for entry in Path(sys.prefix).iterdir():
        if entry.name != ".installed":
            (venv / entry.name).symlink_to(entry)
    (venv / ".installed").touch()                   # newer than the copied pyproject.toml: set up
    # make must never set up again here: it would write into the shared environment through the links.
    assert subprocess.run(["make", "-q", "setup"], cwd=copy).returncode == 0, "make would reinstall .venv"
    return copy


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("run-cache")


def _environment(course: Path, cache: Path, how: How) -> dict:
    env = dict(os.environ, PATH=_path_without_the_environment(), PYTHONPATH=str(course),
               SCALING_COURSE_CACHE=str(cache), BROWSER="true")
    for name in ("VIRTUAL_ENV", "SCALING_COURSE_PROFILE", "PYTHONHOME"):
        env.pop(name, None)
    if how.active:
        env["VIRTUAL_ENV"] = str(course / ".venv")
        env["PATH"] = str(course / ".venv" / "bin") + os.pathsep + env["PATH"]
    for name, value in (how.prepare(course) if how.prepare else {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _shipped_files(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / SHIPPED).glob("*"))}


@pytest.fixture
def checkout_untouched():
    """No command writes into the checkout: its shipped results stay as they are, and no workspace/
    or gradebook appears."""
    shipped = _shipped_files(ROOT)
    made = {name: (ROOT / name).exists() for name in ("workspace", "gradebook.db")}
    yield
    assert _shipped_files(ROOT) == shipped, "a README command rewrote the checkout's shipped results"
    for name, existed in made.items():
        assert existed or not (ROOT / name).exists(), f"a README command made {name} in the checkout"


# ---------------------------------------------------------------------------------------------------
# The tests

def test_the_table_covers_the_readme():
    shown = readme_commands(README.read_text())
    unknown = [c for c in shown if c not in COMMANDS]
    gone = [c for c in COMMANDS if c not in shown]
    assert not unknown, f"README shows commands no test runs; say how in COMMANDS: {unknown}"
    assert not gone, f"COMMANDS names commands README no longer shows: {gone}"


def test_how_commands_are_read():
    text = ("Run:\n\n```bash\nmake lab     # open it\n.venv/bin/python -m x  # one `ci` run\n```\n\n"
            "With `make` and `git` on the machine, `SCALING_COURSE_PROFILE=ci make lab` or "
            "`scaling-course references --profile laptop` (long) or `--profile full` (longer; add "
            "`--keep-shipped` to keep runs). Re-running `autograde` needs `--force`. "
            "`from scaling_course import check` in a notebook; `pip install -e . --no-deps`.\n")
    assert readme_commands(text) == [
        "make lab", ".venv/bin/python -m x", "SCALING_COURSE_PROFILE=ci make lab",
        "scaling-course references --profile laptop", "scaling-course references --profile full",
        "scaling-course references --profile full --keep-shipped", "pip install -e . --no-deps"]


@pytest.mark.slow
@pytest.mark.parametrize("command", list(COMMANDS))
def test_readme_command(command, course, cache, checkout_untouched):
    how = COMMANDS[command]
    if how.needs and shutil.which(how.needs) is None:
        pytest.skip(f"{how.needs} is not installed on this machine, so {command!r} cannot run here")
    if how.way == CI:
        _check_ci_runs(command, course)
        return
    env = _environment(course, cache, how)
    asked = re.search(r"--port[= ](\d+)", command)
    asked_port_free = asked is not None and _port_free(int(asked[1]))
    shell = Shell(command + how.append, course / how.cwd, env)
    try:
        if how.way == RUN:
            status = shell.finish(how.timeout)
            assert status == 0, f"{command!r} exited {status}:\n{shell.tail()}"
        elif how.way == SERVER:
            _check_server(course, shell, how, int(asked[1]) if asked_port_free else None)
        elif how.way == INTERRUPT:
            shell.wait_for(how.until, how.timeout)
            _check_clean_stop(shell, shell.interrupt(), INTERRUPTED)
        else:
            pytest.fail(f"unknown way {how.way!r}")
    finally:
        shell.stop()                                # whatever failed, leave nothing running
    for pattern in how.says:
        assert re.search(pattern, shell.output, re.M), f"{command!r} did not print /{pattern}/:\n{shell.tail()}"
    if how.then and how.way != SERVER:
        how.then(course, shell)


def _check_ci_runs(command: str, course: Path) -> None:
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    steps = [line for line in lines if line and not line.startswith("#")]
    assert steps[-1] == command, f".ci/run should end with {command!r}, so CI runs it as written"
    dry = subprocess.run(["make", "-n", *command.split()[1:]], cwd=course, capture_output=True, text=True)
    assert dry.returncode == 0 and "-m pytest" in dry.stdout, dry.stdout + dry.stderr


def _check_server(course: Path, shell: Shell, how: How, asked_port: int | None) -> None:
    """Wait for the server's address, fetch the page it offers, Ctrl-C it and check it stopped."""
    address = shell.wait_for(r"(http://(?:localhost|127\.0\.0\.1):(\d+)/\S*)", how.timeout)
    url, port = address[1], int(address[2])
    shell.port = port
    if asked_port is not None:
        assert port == asked_port, f"asked for port {asked_port}, which was free, but it serves on {port}"
    try:
        _fetch(url.replace("//localhost:", "//127.0.0.1:"), PAGE_SECONDS)
    except urllib.error.URLError as error:
        pytest.fail(f"{shell.command!r} printed {url} but it does not answer ({error}); its output:\n{shell.tail()}")
    if how.then:
        how.then(course, shell)
    _check_clean_stop(shell, shell.interrupt(), STOPPED)
    assert not _answers(port), f"port {port} still answers after Ctrl-C"


def _fetch(url: str, timeout: float) -> None:
    """GET ``url`` and read the whole page within ``timeout`` seconds in all. Voilà runs the dashboard
    while it sends the page (README: ready seconds after it opens), and keeps a stalled page open
    with heartbeats, so only a deadline for the whole page catches a cell that never finishes."""
    deadline = time.monotonic() + timeout
    page = b""
    refused_until = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            response = urllib.request.urlopen(url, timeout=min(timeout, 30))
            break
        except urllib.error.URLError as error:
            # a server may print its address a moment before every socket it binds accepts connections
            if not isinstance(error.reason, ConnectionRefusedError) or time.monotonic() > refused_until:
                raise
            time.sleep(0.5)
    with response:
        assert response.status == 200, f"{url} answered {response.status}"
        while chunk := response.read1(65536):
            page += chunk
            if time.monotonic() > deadline:
                text = " ".join(re.sub(r"<script>.*?</script>|<[^>]+>", " ", page[-5000:].decode(errors="replace"),
                                       flags=re.S).split())
                pytest.fail(f"{url} did not finish sending its page within {timeout:.0f} s; it stopped after "
                            f"{len(page)} bytes, at: ...{text[-300:]}")


def _tracebacks(output: str) -> list[str]:
    """The tracebacks in ``output`` the command itself printed. A Jupyter kernel starts in the
    command's process group, so the same Ctrl-C reaches it; one caught still importing prints its own
    KeyboardInterrupt traceback, which is the kernel's, not the command's, and is left out: it names
    ipykernel_launcher, or, caught earlier still, only the interpreter's own start-up (site)."""
    block = r"Traceback \(most recent call last\):\n(?:[ \t].*\n|\n)*.*"
    cause = (r"\n\s*(?:During handling of the above exception, another exception occurred:"
             r"|The above exception was the direct cause of the following exception:)\s*\n")
    chains = [m[0] for m in re.finditer(rf"^{block}(?:{cause}{block})*", output, re.M)]   # one exception each
    return [chain for chain in chains if "ipykernel_launcher" not in chain and not _caught_starting(chain)]


def _caught_starting(chain: str) -> bool:
    """A Python process interrupted while the interpreter was still starting (inside site.py): a child just
    launched (a kernel), since the command's own interpreter started long before the Ctrl-C."""
    frames = re.findall(r'^\s*File "([^"]+)"', chain, re.M)
    return bool(frames) and "<frozen site>" in frames and chain.rstrip().endswith("KeyboardInterrupt")


def _check_clean_stop(shell: Shell, status: int, allowed: tuple[int, ...]) -> None:
    left = shell.leftovers()
    assert not left, f"{shell.command!r} left processes running after Ctrl-C: {left}"
    printed = _tracebacks(shell.output)
    if printed:
        pytest.fail(f"{shell.command!r} printed a traceback on Ctrl-C:\n" + "\n".join(printed))
    assert status in allowed, f"{shell.command!r} exited {status} on Ctrl-C:\n{shell.tail()}"
