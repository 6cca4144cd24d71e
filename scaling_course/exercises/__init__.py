"""Self-checks for each lesson's exercises, registered with :func:`scaling_course.checks.register`.

One module per lesson; the module name is the first part of a check's name
(``check("polynomials.design_matrix", ...)`` lives in ``polynomials.py``).
"""

#: Lesson modules in this package, in course order.
LESSONS = ("welcome", "polynomials")
