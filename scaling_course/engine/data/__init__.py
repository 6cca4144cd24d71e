"""Data that ships with the course: ``corpus`` (6 MB of Python standard-library source, character tokens,
numpy only) and ``tasks`` (multitask sparse parity, teacher-student regression and next-character text, in torch)."""
