"""Self-checks for each lesson's exercises, registered with :func:`scaling_course.checks.register`.

One module per lesson; the module name is the first part of a check's name
(``check("polynomials.design_matrix", ...)`` lives in ``polynomials.py``). New lesson modules
are found automatically.
"""

import pkgutil

#: Lesson modules in this package.
LESSONS = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")))
