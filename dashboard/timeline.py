"""The dashboard timeline: agreements as bars over the next months, drawn as SVG
geometry computed here so the page needs no JavaScript."""

import datetime
from dataclasses import dataclass, field

from core.dates import add_months

WIDTH = 960
LABEL_WIDTH = 230
ROW_HEIGHT = 24
AXIS_HEIGHT = 28


@dataclass
class TimelineBar:
    agreement: object
    y: float
    x: float
    width: float
    state: str
    ticks: list = field(default_factory=list)  # x positions of evaluation due dates
    continues_before: bool = False
    continues_after: bool = False


@dataclass
class Timeline:
    start: datetime.date
    end: datetime.date
    bars: list
    months: list  # (x, label date)
    today_x: float
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    row_height: int = ROW_HEIGHT

    @property
    def height(self) -> int:
        return AXIS_HEIGHT + len(self.bars) * ROW_HEIGHT + 22

    @property
    def plot_bottom(self) -> int:
        return self.height - 16


def build_timeline(agreements, due_dates_by_agreement, *, today, months=24) -> Timeline:
    """Bars for `agreements` between today and `months` ahead, with evaluation ticks."""
    start = today.replace(day=1)
    end = add_months(start, months)
    span = (end - start).days
    plot_width = WIDTH - LABEL_WIDTH - 30  # room for the last month's label

    def x_of(day):
        clamped = min(max(day, start), end)
        return round(LABEL_WIDTH + (clamped - start).days / span * plot_width, 1)

    bars = []
    for row, agreement in enumerate(agreements):
        left, right = x_of(agreement.start_date), x_of(agreement.end_date)
        bars.append(
            TimelineBar(
                agreement=agreement,
                y=AXIS_HEIGHT + row * ROW_HEIGHT + 4,
                x=left,
                width=max(right - left, 2),
                state=agreement.phase(today),
                ticks=[
                    x_of(due)
                    for due in due_dates_by_agreement.get(agreement.pk, [])
                    if start <= due <= end
                ],
                continues_before=agreement.start_date < start,
                continues_after=agreement.end_date > end,
            )
        )
    month_marks = []
    for number in range(0, months + 1, 3):
        day = add_months(start, number)
        month_marks.append((x_of(day), day))
    return Timeline(start=start, end=end, bars=bars, months=month_marks, today_x=x_of(today))
