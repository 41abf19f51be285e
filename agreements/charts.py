"""Server-side SVG geometry for the budget page: committed amount per year as bars, each
year's budget as a mark across its bar (no JavaScript)."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
HEIGHT = 220
_TOP = 24
_BOTTOM = 24
_LEFT = 8


@dataclass
class BudgetBar:
    label: str
    x: float
    y: float
    width: float
    height: float
    budget_y: float | None
    over_budget: bool
    committed: Decimal
    budget: Decimal | None


@dataclass
class BudgetChart:
    bars: list[BudgetBar]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def axis_y(self) -> float:
        return self.height - _BOTTOM


def budget_chart(lines) -> BudgetChart:
    top = max(
        [Decimal(1), *(line.committed for line in lines), *(line.budget or 0 for line in lines)]
    ) * Decimal("1.1")
    plot = HEIGHT - _TOP - _BOTTOM

    def y_of(value) -> float:
        return round(float(HEIGHT - _BOTTOM - (Decimal(value) / top) * plot), 1)

    slot = (WIDTH - 2 * _LEFT) / max(len(lines), 1)
    bars = []
    for index, line in enumerate(lines):
        y = y_of(line.committed)
        bars.append(
            BudgetBar(
                label=line.label,
                x=round(_LEFT + index * slot + slot * 0.15, 1),
                y=y,
                width=round(slot * 0.7, 1),
                height=round(HEIGHT - _BOTTOM - y, 1),
                budget_y=None if line.budget is None else y_of(line.budget),
                over_budget=line.over_budget,
                committed=line.committed,
                budget=line.budget,
            )
        )
    return BudgetChart(bars=bars)
