"""The table the CPU probes print: two figures per round, then their medians."""

from __future__ import annotations

import statistics


def print_rounds(key: str, heads: tuple[str, str], per: list[tuple[float, float]]) -> None:
    """One line per round and a ``median`` line, the figures (seconds) in
    µs, each right-aligned under its heading."""

    def row(first: str, a: float, b: float) -> str:
        return "  ".join(
            (
                first,
                f"{a * 1e6:>{len(heads[0]) - 3}.0f} µs",
                f"{b * 1e6:>{len(heads[1]) - 3}.0f} µs",
            )
        )

    width = max(len(key), len("median"))
    print("  ".join((f"{key:<{width}}", *heads)))
    for n, (a, b) in enumerate(per, 1):
        print(row(f"{n:>{width}}", a, b))
    med_a = statistics.median(a for a, _ in per)
    med_b = statistics.median(b for _, b in per)
    print(row(f"{'median':<{width}}", med_a, med_b))
