"""Every file, folder, link and lesson that the README, the guides or a notebook names exists (or is marked planned)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scaling_course.course import notebooks

ROOT = Path(__file__).resolve().parent.parent
# folders the course makes when it runs (setup, the learner's copies, grading), not part of a clone
MADE_WHEN_RUN = (".venv/", "workspace/", "submitted/", "autograded/", "feedback/", ".nbgrader/", "gradebook.db")
PLACEHOLDER = re.compile(r"\$|<|NN-|DIR/|^/")
CODE_PATH = re.compile(r"`([\w./<>$-]+/[\w./<>$-]*|[\w-]+\.(?:md|py|ipynb|toml|yml|cfg|txt|json))`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
LESSON_NAMED = re.compile(r"\b(0\d) · ([a-z][a-z ?]+)")
ARXIV = re.compile(r"\barXiv:\s?([^\s\]),;]+)")


def _documents() -> dict[str, tuple[Path, str]]:
    docs = {"README.md": (ROOT, (ROOT / "README.md").read_text())}
    for path in sorted((ROOT / "docs").glob("*.md")):
        docs[str(path.relative_to(ROOT))] = (path.parent, path.read_text())
    for path in [*sorted((ROOT / "solutions").glob("*/*.ipynb")), ROOT / "demo" / "demo.ipynb"]:
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        docs[str(path.relative_to(ROOT))] = (path.parent, text)     # links from the notebook's folder
    return docs


DOCUMENTS = _documents()
REPO_PATHS = [str(p.relative_to(ROOT)) + ("/" if p.is_dir() else "") for p in ROOT.rglob("*")
              if ".git" not in p.parts and ".venv" not in p.parts]


def _exists(name: str, base: Path) -> bool:
    """A path resolves from the document's folder, the course folder, or as the tail of a path in the package
    (the README's layer table names ``fit/`` for scaling_course/science/fit/)."""
    if (base / name).exists() or (ROOT / name).exists():
        return True
    return any(path == name or path.endswith("/" + name) for path in REPO_PATHS)


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_every_path_and_link_resolves(document):
    base, text = DOCUMENTS[document]
    names = set(CODE_PATH.findall(text)) | {link for link in LINK.findall(text) if "://" not in link}
    missing = [name for name in sorted(names)
               if not PLACEHOLDER.search(name) and not name.startswith(MADE_WHEN_RUN)
               and not _exists(name.split("#")[0], base)]
    assert not missing, f"{document} names what does not exist: {missing}"
    for link in names:
        target, _, anchor = link.partition("#")
        if anchor and target.endswith((".ipynb", ".md")) and (base / target).exists():
            assert anchor in _headings(base / target), f"{document}: no heading {anchor!r} in {target}"


def _headings(path: Path) -> set[str]:
    """The anchors JupyterLab and GitHub give a file's headings: the heading text with spaces as hyphens."""
    if path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                         if c["cell_type"] == "markdown")
    else:
        text = path.read_text()
    return {line.lstrip("#").strip().replace(" ", "-") for line in text.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_a_lesson_named_exists_or_is_marked_planned(document):
    _, text = DOCUMENTS[document]
    present = {a[:2] for a in notebooks.assignments(ROOT)}
    unplanned = [line.strip()[:100] for line in text.splitlines()
                 for number, _ in LESSON_NAMED.findall(line) + re.findall(r"^\| (0\d) \|( )", line)
                 if number not in present and "planned" not in line]
    assert not unplanned, f"{document} names lessons that do not exist yet without saying so: {unplanned}"


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_arxiv_references_are_well_formed_clickable_links(document):
    _, text = DOCUMENTS[document]
    for match in ARXIV.finditer(text):
        identifier = match.group(1).rstrip(").,;]*")
        assert re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", identifier), f"{document}: arXiv {identifier!r}"
        if document.endswith(".ipynb"):
            link = f"[arXiv:{identifier}](https://arxiv.org/abs/{identifier})"
            assert link in text, f"{document}: arXiv:{identifier} should be the link {link}"


@pytest.mark.parametrize("notebook", [d for d in DOCUMENTS if d.endswith(".ipynb")])
def test_every_multiple_choice_exercise_states_its_question_and_has_a_self_check(notebook):
    """A `*_answer = "x"` exercise needs the options a to d in the text above it and a self-check below it."""
    cells = json.loads((ROOT / notebook).read_text())["cells"]
    for index, cell in enumerate(cells):
        answer = re.search(r"^(\w+_answer) = ", "".join(cell["source"]), re.M)
        if not (cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("solution") and answer):
            continue
        above = "\n".join("".join(c["source"]) for c in cells[:index] if c["cell_type"] == "markdown")
        question = above[above.rfind("### Question"):]
        assert "### Question" in above and f"`{answer.group(1)}`" in question, f"{notebook}: no question"
        assert all(f"* **{letter}.**" in question for letter in "abcd"), f"{notebook}: options a to d"
        below = "".join(cells[index + 1]["source"])
        assert below.startswith("check(") and answer.group(1) in below, f"{notebook}: no self-check after the answer"
