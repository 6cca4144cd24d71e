"""Live runs and shipped runs side by side: what a lesson trains itself, and what it reads.

A lesson trains what the chosen profile can afford and fills in the rest from results that ship
with the course, saying which is which:

* ``grading`` (under nbgrader) trains nothing: it reads the shipped ``ci`` results;
* ``ci`` and ``laptop`` train their own sweep (``laptop`` only the part its sweep's rule picks),
  and the analysis uses the ``laptop`` sweep, with the live runs in place of the shipped ones
  they reproduce (training is deterministic on one machine);
* ``full`` trains its whole sweep and analyses that.

    >>> from scaling_course.syllabus.live import gather
    >>> runs = gather("data", "grading")
    >>> print(runs.describe())
    data: trained nothing at profile 'grading' (it reads the shipped 'ci' runs); analysing the 'laptop' sweep of 24 runs, 0 live and 24 shipped.
"""

from __future__ import annotations

__all__ = ["Gathered", "gather", "time_estimate"]

from dataclasses import dataclass, field

from scaling_course.engine.runs import RunConfig, RunRecord
from scaling_course.engine.cache import RunCache
from scaling_course.engine.sweep import run_sweep
from scaling_course.validation import check_instance, check_list_of, check_positive_int

from .profiles import Profile, as_profile
from .shipped import REFERENCE_PROFILES, reference_results
from .sources import ANALYSED_PROFILE, LIVE, SHIPPED
from .sweeps import standard



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


def time_estimate(name: str, profile: Profile, configs: list, workers: int = 2) -> str:
    """What the next training will take, said before it starts: the runs not in the cache, and how long their
    shipped twins took on the machine that made them (a quiet 2-core one), with the way to a quicker profile."""
    check_instance(profile, "profile", Profile)
    configs = check_list_of(configs, "configs", RunConfig)
    cache = RunCache()
    to_train = [c for c in configs if not cache.path(c).exists()]     # the sweep reads the entries itself
    if not to_train:
        return f"{name}: all {len(configs)} runs are in the run cache; nothing to train."
    shipped = {}
    if profile.name in REFERENCE_PROFILES:
        shipped = {r.config: r.seconds for r in reference_results(name, profile.name)}
    known = [shipped[c] for c in to_train if c in shipped]
    text = f"{name}: training {len(to_train)} run(s) at profile {profile.name!r}"
    if known:
        # runs trained together in one stack share their wall time: count each stack once
        seconds = sum(set(known)) / min(workers, 2) * len(to_train) / len(known)
        text += (f"; the same runs took about {seconds:.0f} s on a quiet 2-core machine (a busy or slower one "
                 "takes longer)")
    if profile.name != "ci":
        text += '. For a quicker run, set profile = "ci" in the parameters cell and run the notebook again'
    return text + "."


def gather(name: str, profile: str | Profile | None = None, *, workers: int = 2,
           progress: bool = True) -> Gathered:
    """Train what ``profile`` affords of the standard sweep ``name`` and assemble the runs a lesson
    analyses. Which runs train live at ``laptop``, and at which profiles the sweep trains at all,
    are rules of the sweep (:data:`scaling_course.syllabus.sweeps.STANDARD_SWEEPS`)."""
    sweep = standard(name)
    check_positive_int(workers, "workers")
    p = as_profile(profile)
    if p.name == "grading" or p.name not in sweep.live_at:
        # nbgrader (or a profile this sweep does not train at): the shipped ci runs stand in for the live ones
        records = reference_results(name, ANALYSED_PROFILE)
        return Gathered(name, p.name, ANALYSED_PROFILE, own=reference_results(name, "ci"), own_source=SHIPPED,
                        records=records, sources=[SHIPPED] * len(records))
    configs = sweep.design(p)
    if p.name == ANALYSED_PROFILE:
        configs = [c for c in configs if sweep.live_at_laptop(c, p)]
    if progress and configs:
        print(time_estimate(name, p, configs, workers), flush=True)
    live = run_sweep(configs, workers=workers, progress=progress, description=name) if configs else []
    if p.name not in ("ci", ANALYSED_PROFILE):
        return Gathered(name, p.name, p.name, own=live, records=live, sources=[LIVE] * len(live))
    by_config = {r.config: r for r in live}
    records, sources, gaps = [], [], []
    for record in reference_results(name, ANALYSED_PROFILE):
        mine = by_config.get(record.config)
        records.append(mine or record)
        sources.append(LIVE if mine else SHIPPED)
        if mine:
            gaps.append(abs(mine.final_val_loss - record.final_val_loss))
    return Gathered(name, p.name, ANALYSED_PROFILE, own=live, records=records, sources=sources,
                    twin_gap=max(gaps) if gaps else None)
