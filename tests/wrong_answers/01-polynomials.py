"""Plausible wrong answers for lesson 01, three per exercise and of different kinds, by exercise id.

Each must cost its exercise the points and no other exercise any: the first of each through nbgrader's
autograde (test_nbgrader_roundtrip.py), all of them in one kernel (test_wrong_answers.py).
"""

WRONG_ANSWERS = {
    "design-matrix": [
        """
def design_matrix(x, degree):
    return np.vander(np.asarray(x, float), degree + 1)   # highest power first
""",
        """
def design_matrix(x, degree):
    x = np.asarray(x, dtype=float)
    return np.stack([x**j for j in range(degree)], axis=1)   # stops one power short
""",
        """
def design_matrix(x, degree):
    x = np.asarray(x, dtype=float)
    return np.stack([x**j for j in range(degree + 1)], axis=0)   # one row per power
""",
    ],
    "fit-polynomial": [
        """
def fit_polynomial(x, y, degree):
    return np.polyfit(x, y, degree)   # coefficients highest power first
""",
        """
def fit_polynomial(x, y, degree):
    X = design_matrix(x, degree)
    return list(np.linalg.lstsq(X, y, rcond=None)[0][::-1])   # highest power first, as a list
""",
        """
def fit_polynomial(x, y, degree):
    X = design_matrix(np.log(np.abs(x) + 1), degree)   # fitted against log|x|
    return np.linalg.lstsq(X, np.asarray(y, dtype=float), rcond=None)[0]
""",
    ],
    "errors-by-degree": [
        """
def errors_by_degree(x_train, y_train, x_test, y_test, degrees):
    train, test = [], []
    for d in degrees:
        coef = fit_polynomial(x_test, y_test, d)   # fitted on the test data: it leaks
        train.append(np.mean((predict(coef, x_train) - y_train) ** 2))
        test.append(np.mean((predict(coef, x_test) - y_test) ** 2))
    return np.array(train), np.array(test)
""",
        """
def errors_by_degree(x_train, y_train, x_test, y_test, degrees):
    train_mse, test_mse = [], []
    for degree in range(len(degrees)):   # positions, not the degrees themselves
        coef = fit_polynomial(x_train, y_train, degree)
        train_mse.append(np.mean((predict(coef, x_train) - y_train) ** 2))
        test_mse.append(np.mean((predict(coef, x_test) - y_test) ** 2))
    return np.array(train_mse), np.array(test_mse)
""",
        """
def errors_by_degree(x_train, y_train, x_test, y_test, degrees):
    train_mse, test_mse = [], []
    for degree in degrees:
        coef = fit_polynomial(x_train, y_train, degree)
        train_mse.append(np.sqrt(np.mean((predict(coef, x_train) - y_train) ** 2)))   # RMSE
        test_mse.append(np.sqrt(np.mean((predict(coef, x_test) - y_test) ** 2)))
    return np.array(train_mse), np.array(test_mse)
""",
    ],
    "scale-question": [
        'scale_answer = "a"',
        'scale_answer = "c"',
        'scale_answer = "d"',
    ],
}
