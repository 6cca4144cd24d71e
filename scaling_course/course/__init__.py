"""The course around the lessons: notebooks on disk and headless runs, a kernel client that never stalls,
nbgrader authoring, the environment check, the benchmarks' launcher and the ``scaling-course`` command."""
