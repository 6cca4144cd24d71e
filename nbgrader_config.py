"""nbgrader configuration for the course. Run nbgrader commands from the repository root.

    solutions/NN-slug/NN-slug.ipynb   the instructor master notebooks (nbgrader "source")
    lessons/NN-slug/NN-slug.ipynb     the student notebooks (nbgrader "release"), committed

The folder name is the assignment id. ``make lessons`` (or ``scaling-course build-lessons``)
regenerates every lesson from its solution. Everything nbgrader writes while grading stays in
the repository and out of git (see .gitignore): ``gradebook.db``, ``submitted/``,
``autograded/``, ``feedback/`` and the exchange under ``.nbgrader/exchange``.
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.course_id = "scaling-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(COURSE_ROOT, "gradebook.db")

# Keep the exchange inside the repository instead of nbgrader's system-wide default
# (/usr/local/share/nbgrader/exchange), so release/collect never touch the machine.
c.Exchange.root = os.path.join(COURSE_ROOT, ".nbgrader", "exchange")

# Graded cells never train (they check counts, fits and predictions on fixed data), and
# under nbgrader the notebooks run at the small "grading" profile, so no cell needs long.
c.Execute.timeout = 120
# A kernel can take longer than nbgrader's default 60 s to start on a busy shared server.
c.Execute.startup_timeout = 180
# Wait for each cell's reply in one-second polls: a single long poll can miss the wake-up for a
# reply that has arrived and stall a cell until its timeout (see scaling_course/course/kernels.py).
c.Execute.kernel_manager_class = "scaling_course.course.kernels.PatientKernelManager"

# An exercise not written yet says so in words when it runs (Run All on an untouched lesson stops there).
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("not written yet: replace this line with your code, '
              'then run the self-check below")',
}

# A student who deleted a test cell is graded by it all the same: autograde puts every missing grade cell back
# (after the cell that preceded it) with a note that it was missing.
c.OverwriteCells.add_missing_cells = True

# Only the notebooks are part of an assignment; ignore checkpoints and caches.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".scaling_course_cache"]
