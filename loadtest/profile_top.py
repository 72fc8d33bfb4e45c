"""Top functions of a py-spy raw profile (``py-spy record --format raw``).

Prints the share of samples per function: self (on top of the stack) and
inclusive (anywhere in it), summed over the files given (one per worker).

    python -m loadtest.profile_top loadtest/reports/<run>/profile-*.txt [--top 25]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

SITE = re.compile(r"\(/.*?/(site-packages|lib/python3\.\d+|main)/")


def frame_name(frame: str) -> str:
    return SITE.sub("(", frame)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    own: Counter[str] = Counter()
    incl: Counter[str] = Counter()
    total = 0
    for path in a.files:
        for line in path.read_text().splitlines():
            stack, _, n = line.rpartition(" ")
            if not stack:
                continue
            count = int(n)
            frames = [frame_name(f) for f in stack.split(";")]
            total += count
            own[frames[-1]] += count
            for f in set(frames):
                incl[f] += count
    print(f"{total} samples")
    print("self %  function")
    for f, n in own.most_common(a.top):
        print(f"{100 * n / total:6.1f}  {f}")
    print("\ninclusive %  function")
    for f, n in incl.most_common(a.top):
        print(f"{100 * n / total:6.1f}  {f}")


if __name__ == "__main__":
    main()
