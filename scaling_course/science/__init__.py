"""The science: scaling-law fits, the published laws and constants with their sources, a loss simulator.
numpy and scipy only: it never imports torch, the engine, or anything about the course's lessons."""
