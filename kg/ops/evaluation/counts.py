"""What a score is made of: counts for precision / recall / F1, and ok-of-n accuracies. Summed
over articles (micro-averaged) before the ratios are taken."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Counts:
    tp: int = 0
    sys: int = 0
    gold: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.sys += other.sys
        self.gold += other.gold

    @property
    def p(self) -> float | None:
        return self.tp / self.sys if self.sys else None

    @property
    def r(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.p, self.r
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Acc:
    ok: int = 0
    n: int = 0

    def add(self, other: "Acc") -> None:
        self.ok += other.ok
        self.n += other.n

    @property
    def value(self) -> float | None:
        return self.ok / self.n if self.n else None
