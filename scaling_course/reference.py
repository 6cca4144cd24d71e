"""Published figures the course quotes, each with its source: one place for all of them.

Every number here comes from the paper, model card or the authors' own code named beside it.
Where a paper reports a FLOP count we keep it; ``6 N D`` (Kaplan et al. 2020, C ≈ 6ND) is
computed, never stored, so the two can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Tokens per parameter of a compute-optimal model, read off Hoffmann et al. (2022) Table 3,
#: where D/N runs from 20.0 to 21.6, and off Chinchilla itself: 1.4T tokens / 70B parameters = 20.
#: The paper never states it as a rule.
CHINCHILLA_TOKENS_PER_PARAMETER = 20.0

#: Kaplan et al. (2020), arXiv:2001.08361, section 2.1: training compute C ≈ 6 N D FLOPs
#: (2N per token forward, about twice that backward).
FLOPS_PER_PARAMETER_TOKEN = 6.0


@dataclass(frozen=True)
class FamousModel:
    """A published language model: size, training data and (if reported) training compute."""

    name: str
    n_params: float                    # total parameters N
    n_tokens: float                    # training tokens D
    reported_flops: float | None       # training FLOPs as published, None where not reported
    year: int
    source: str                        # where N, D (and the FLOPs) were published

    @property
    def tokens_per_parameter(self) -> float:
        return self.n_tokens / self.n_params


FAMOUS_MODELS: tuple[FamousModel, ...] = (
    FamousModel("GPT-3", 175e9, 300e9, 3.14e23, 2020,
                "Brown et al. 2020, arXiv:2005.14165, Table 2.1 and Table D.1"),
    FamousModel("Gopher", 280e9, 300e9, 6.31e23, 2021,
                "Rae et al. 2021, arXiv:2112.11446 (FLOPs include rematerialisation); "
                "Hoffmann et al. 2022 quote 5.76e23"),
    FamousModel("Chinchilla", 70e9, 1.4e12, 5.76e23, 2022,
                "Hoffmann et al. 2022, arXiv:2203.15556, Tables 1 and 3 (same budget as Gopher)"),
    FamousModel("PaLM", 540e9, 780e9, 2.527e24, 2022,
                "Chowdhery et al. 2022, arXiv:2204.02311, compute table"),
    FamousModel("LLaMA-65B", 65.2e9, 1.4e12, None, 2023,
                "Touvron et al. 2023, arXiv:2302.13971, Table 2; LLaMA model card"),
    FamousModel("Llama 2 70B", 70e9, 2.0e12, None, 2023,
                "Touvron et al. 2023, arXiv:2307.09288; Llama 2 model card (2 trillion tokens)"),
    FamousModel("Llama 3 8B", 8e9, 15e12, None, 2024,
                "Meta Llama 3 model card ('over 15T tokens'; 15T used here)"),
    FamousModel("Llama 3 70B", 70e9, 15e12, None, 2024,
                "Meta Llama 3 model card ('over 15T tokens'; 15T used here)"),
    FamousModel("Llama 3.1 405B", 405e9, 15.6e12, 3.8e25, 2024,
                "Llama 3 Herd of Models, arXiv:2407.21783, section 3"),
)


def famous_models() -> list[FamousModel]:
    """The famous-models table (a fresh list, safe to modify).

    >>> [m.name for m in famous_models()][:3]
    ['GPT-3', 'Gopher', 'Chinchilla']
    """
    return list(FAMOUS_MODELS)


def famous_model(name: str) -> FamousModel:
    """Look up one famous model by name (case-insensitive)."""
    for model in FAMOUS_MODELS:
        if model.name.lower() == str(name).lower():
            return model
    known = ", ".join(m.name for m in FAMOUS_MODELS)
    raise ValueError(f"unknown model {name!r}; known models: {known}")


def format_famous_models(models=None) -> str:
    """The famous-models table as aligned text, with 6ND beside the reported FLOPs."""
    models = famous_models() if models is None else list(models)
    header = f"{'model':<15} {'params N':>9} {'tokens D':>9} {'D/N':>7} {'6ND':>9} {'reported':>9}  source"
    lines = [header, "-" * len(header)]
    for m in models:
        six_nd = FLOPS_PER_PARAMETER_TOKEN * m.n_params * m.n_tokens
        reported = f"{m.reported_flops:9.2e}" if m.reported_flops else f"{'-':>9}"
        lines.append(f"{m.name:<15} {m.n_params:9.3g} {m.n_tokens:9.3g} {m.tokens_per_parameter:7.1f} "
                     f"{six_nd:9.2e} {reported}  {m.source}")
    return "\n".join(lines)
