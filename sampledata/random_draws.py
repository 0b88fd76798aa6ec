"""Weighted random draws that repeat exactly for the same seed."""

import random
from bisect import bisect
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class Weighted(Generic[T]):
    """A fixed list of choices with weights, drawn from quickly and repeatably."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.weights = dict(weights)
        self.items = list(weights)
        self.cum_weights = list(accumulate(weights.values()))
        self.total = self.cum_weights[-1]

    def draw(self, rng: random.Random) -> T:
        """One item, more likely the heavier it is."""
        # What rng.choices does for one item, without building a list each time.
        return self.items[
            bisect(self.cum_weights, rng.random() * self.total, 0, len(self.items) - 1)
        ]

    def draw_distinct(self, rng: random.Random, count: int, first: Iterable[T] = ()) -> list[T]:
        """``count`` different items, starting with ``first``, in the order drawn."""
        chosen = list(dict.fromkeys(first))[:count]
        while len(chosen) < min(count, len(self.items)):
            item = self.draw(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


def zipf(items: Sequence[T], exponent: float = 1.0) -> Weighted[T]:
    """Weights falling with rank, so the first items dominate and the tail is long."""
    return Weighted({item: 1 / (rank + 1) ** exponent for rank, item in enumerate(items)})


def quota_shuffle(rng: random.Random, count: int, shares: Sequence[tuple[T, float]]) -> list[T]:
    """``count`` labels in exact proportions, shuffled: small samples still get every label."""
    labels = []
    for label, share in shares[1:]:
        labels += [label] * round(count * share)
    labels = [shares[0][0]] * (count - len(labels)) + labels
    rng.shuffle(labels)
    return labels
