"""Live runs and shipped runs side by side: what a lesson trains itself, and what it reads.

A lesson trains what the chosen profile can afford and fills in the rest from results that ship
with the course, saying which is which:

* ``grading`` (under nbgrader) trains nothing: it reads the shipped ``ci`` results;
* ``ci`` and ``laptop`` train their own sweep (``laptop`` perhaps only the affordable part),
  and the analysis uses the ``laptop`` sweep, with the live runs in place of the shipped ones
  they reproduce (training is deterministic on one machine);
* ``full`` trains its whole sweep and analyses that.

    >>> from scaling_course.live_runs import gather            # doctest: +SKIP
    >>> runs = gather(lambda p: standard_sweep("data", p), lambda name: reference_results("data", name),
    ...               "laptop")                                  # doctest: +SKIP
    >>> print(runs.describe())                                   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .profiles import Profile, get_profile
from .sweep import run_sweep
from .train import RunConfig, RunRecord

LIVE = "live"
SHIPPED = "shipped"
#: The profile whose sweep a lesson analyses when its own profile is smaller.
SCIENCE_PROFILE = "laptop"


@dataclass
class Gathered:
    """The runs of one sweep: those of this session's profile (``own``: trained live, or the
    shipped ``ci`` runs under nbgrader) and those analysed (``records``, each with its
    ``sources`` entry, "live" or "shipped")."""

    name: str
    profile: str                     # the profile this session runs at
    analysed_profile: str            # whose sweep ``records`` follows ("laptop" or "full")
    own: list[RunRecord] = field(default_factory=list)
    own_source: str = LIVE
    records: list[RunRecord] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    twin_gap: float | None = None    # largest |live − shipped| final loss over runs trained both ways

    @property
    def live(self) -> list[RunRecord]:
        """The runs trained in this session."""
        return self.own if self.own_source == LIVE else []

    @property
    def n_live(self) -> int:
        return sum(s == LIVE for s in self.sources)

    def describe(self) -> str:
        """One paragraph saying what was trained here and what was read from the shipped results."""
        trained = (f"trained {len(self.live)} run(s) live at profile {self.profile!r}" if self.live
                   else f"trained nothing at profile {self.profile!r} (it reads the shipped 'ci' runs)")
        text = (f"{self.name}: {trained}; analysing the {self.analysed_profile!r} sweep of "
                f"{len(self.records)} runs, {self.n_live} live and {len(self.records) - self.n_live} shipped.")
        if self.twin_gap is not None:
            text += (f" The live runs reproduce their shipped twins to within {self.twin_gap:.1e} nats "
                     f"of final loss.")
        return text


def gather(configs_for: Callable[[Profile], list[RunConfig]], shipped: Callable[[str], list[RunRecord]],
           profile: str | Profile | None = None, *, name: str = "sweep",
           affordable: Callable[[RunConfig], bool] | None = None, live_at=("ci", "laptop", "full"),
           workers: int = 2, progress: bool = True) -> Gathered:
    """Train what ``profile`` affords and assemble the runs a lesson analyses.

    ``configs_for(profile)`` lists a sweep's configs at a profile; ``shipped(profile_name)``
    returns its shipped records at ``"ci"`` or ``"laptop"``. At ``laptop``, ``affordable(config)``
    picks the runs trained live (default: all); the rest are read from the shipped results.
    Profiles not in ``live_at`` train nothing, like ``grading``.
    """
    if not callable(configs_for) or not callable(shipped):
        raise TypeError("gather needs two functions: configs_for(profile) and shipped(profile_name)")
    if affordable is not None and not callable(affordable):
        raise TypeError(f"affordable must be a function of a RunConfig, got {type(affordable).__name__}")
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    p = profile if isinstance(profile, Profile) else get_profile(profile)
    if p.name == "full" and "full" not in live_at:
        raise ValueError("the full profile has no shipped results to fall back on: keep 'full' in live_at")
    if p.name == "grading" or p.name not in live_at:
        # nbgrader (or a profile told not to train): the shipped ci runs stand in for the live ones
        records = shipped(SCIENCE_PROFILE)
        return Gathered(name, p.name, SCIENCE_PROFILE, own=shipped("ci"), own_source=SHIPPED,
                        records=records, sources=[SHIPPED] * len(records))
    configs = list(configs_for(p))
    if p.name == SCIENCE_PROFILE and affordable is not None:
        configs = [c for c in configs if affordable(c)]
    live = run_sweep(configs, workers=workers, progress=progress, description=name) if configs else []
    if p.name not in ("ci", SCIENCE_PROFILE):
        return Gathered(name, p.name, p.name, own=live, records=live, sources=[LIVE] * len(live))
    by_config = {r.config: r for r in live}
    records, sources, gaps = [], [], []
    for record in shipped(SCIENCE_PROFILE):
        mine = by_config.get(record.config)
        records.append(mine or record)
        sources.append(LIVE if mine else SHIPPED)
        if mine:
            gaps.append(abs(mine.final_val_loss - record.final_val_loss))
    return Gathered(name, p.name, SCIENCE_PROFILE, own=live, records=records, sources=sources,
                    twin_gap=max(gaps) if gaps else None)


def standard(name: str, profile: str | Profile | None = None, **options) -> Gathered:
    """:func:`gather` for a standard sweep of :mod:`scaling_course.syllabus` (e.g. ``"data"``)."""
    from .syllabus import reference_results, standard_sweep
    standard_sweep(name, "ci")                 # validates the name before anything trains
    return gather(lambda p: standard_sweep(name, p), lambda prof: reference_results(name, prof), profile,
                  name=name, **options)
