"""One module per lesson, named like its notebook (welcome, polynomials, tiny_models, scaling_parameters,
scaling_data, scaling_compute, fitting_laws): its analysis, plots and explorers, on the shared ``plots`` and ``explorer``."""
