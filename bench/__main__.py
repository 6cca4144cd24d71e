"""Run the benchmarks: ``python -m bench`` (all) or ``python -m bench NAME ...``."""

import asyncio
import importlib
import pathlib
import sys


def main(argv: list[str]) -> int:
    here = pathlib.Path(__file__).parent
    available = sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    chosen = argv or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {available}", file=sys.stderr)
        return 2
    for name in chosen:
        print(f"=== bench {name} ===", flush=True)
        try:
            importlib.import_module(f"bench.bench_{name}").main()
        except (KeyboardInterrupt, asyncio.CancelledError):     # Ctrl-C, also inside a running notebook
            print(f"bench {name}: interrupted", file=sys.stderr)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
