"""Plausible wrong answers for lesson 01, by exercise id (see test_nbgrader_roundtrip.py)."""

WRONG_ANSWERS = {
    "design-matrix": """
def design_matrix(x, degree):
    return np.vander(np.asarray(x, float), degree + 1)   # highest power first
""",
    "fit-polynomial": """
def fit_polynomial(x, y, degree):
    return np.polyfit(x, y, degree)   # coefficients highest power first
""",
    "errors-by-degree": """
def errors_by_degree(x_train, y_train, x_test, y_test, degrees):
    train, test = [], []
    for d in degrees:
        coef = fit_polynomial(x_test, y_test, d)   # fitted on the test data: it leaks
        train.append(np.mean((predict(coef, x_train) - y_train) ** 2))
        test.append(np.mean((predict(coef, x_test) - y_test) ** 2))
    return np.array(train), np.array(test)
""",
    "scale-question": 'scale_answer = "a"',
}
