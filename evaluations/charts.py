"""Server-side SVG geometry for "actual against target" charts (no JavaScript)."""

from dataclasses import dataclass, field
from decimal import Decimal

CHART_WIDTH = 360
CHART_HEIGHT = 140
_MARGIN_TOP = 14
_MARGIN_BOTTOM = 20
_MARGIN_LEFT = 8


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: Decimal
    year: int


@dataclass
class TargetStep:
    """The target of one year's slot, when an amendment changed it during the term."""

    x1: float
    x2: float
    y: float
    value: Decimal
    # Only where the target is new: the first year and each year it changed.
    labelled: bool = True


@dataclass
class GoalChart:
    goal: object
    bars: list[Bar]
    target_y: float
    baseline_y: float
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    # One step per year when the target was not the same every year; else one line.
    target_steps: list[TargetStep] = field(default_factory=list)

    @property
    def axis_y(self) -> float:
        return self.height - _MARGIN_BOTTOM


def goal_chart(
    goal, results_by_year: dict, years: list[int], targets_by_year: dict | None = None
) -> GoalChart | None:
    """Bars of the measured value per evaluated year, with the target and baseline lines.

    `targets_by_year` gives the target that applied each year (None: not a goal then)
    when an amendment may have changed it; the line then steps from year to year.
    """
    if goal.kind != "quantitative" or goal.target_value is None:
        return None
    measured = {
        year: results_by_year[year].measured_value
        for year in years
        if year in results_by_year and results_by_year[year].measured_value is not None
    }
    targets = {year: value for year, value in (targets_by_year or {}).items() if value is not None}
    top = max(
        [goal.target_value, goal.baseline or 0, *measured.values(), *targets.values(), Decimal(1)]
    ) * Decimal("1.1")
    plot_height = CHART_HEIGHT - _MARGIN_TOP - _MARGIN_BOTTOM

    def y_of(value) -> float:
        return round(float(CHART_HEIGHT - _MARGIN_BOTTOM - (value / top) * plot_height), 1)

    slot = (CHART_WIDTH - _MARGIN_LEFT * 2) / max(len(years), 1)
    bars = []
    for index, year in enumerate(years):
        if year not in measured:
            continue
        value = measured[year]
        y = y_of(max(value, Decimal(0)))
        bars.append(
            Bar(
                x=round(_MARGIN_LEFT + index * slot + slot * 0.2, 1),
                y=y,
                width=round(slot * 0.6, 1),
                height=round(CHART_HEIGHT - _MARGIN_BOTTOM - y, 1),
                value=value,
                year=year,
            )
        )
    steps = []
    if len(set(targets.values())) > 1:
        previous = None
        for index, year in enumerate(years):
            if year not in targets:
                continue
            steps.append(
                TargetStep(
                    x1=round(_MARGIN_LEFT + index * slot, 1),
                    x2=round(_MARGIN_LEFT + (index + 1) * slot, 1),
                    y=y_of(targets[year]),
                    value=targets[year],
                    labelled=targets[year] != previous,
                )
            )
            previous = targets[year]
    return GoalChart(
        goal=goal,
        bars=bars,
        target_y=y_of(goal.target_value),
        baseline_y=y_of(goal.baseline or 0),
        target_steps=steps,
    )
