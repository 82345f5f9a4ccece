"""The review as Markdown (a pull-request comment) or plain text (a terminal).

Both say the same things in the same order: a summary with the cost delta, the
risks, then one section per changed endpoint (unchanged ones hidden) and one for
what the workspace shares. Output never exceeds :data:`LIMIT` characters
(GitHub's comment limit) and never holds a masked secret.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..aws.policy import POLICIES
from ..blueprint.cost import CostBand
from ..blueprint.model import ColdStart
from .masking import MASK, scrub
from .model import Action, FieldChange, Group, Review, Status
from .resources import field_changes, kind_label
from .risks import SERVING

LIMIT = 65_536
HEADLINE_RESOURCES = 3
STATUSES: tuple[Status, ...] = ("added", "changed", "replaced", "deleted")
VERBS = {Action.CREATE: "created", Action.UPDATE: "updated", Action.REPLACE: "REPLACED", Action.DELETE: "DELETED"}
# The headline's hint for a replaced node pool: the risk's consequence, without its detail.
HINTS = {"node_pool": SERVING["node_pool"].partition(":")[0]}


@dataclass(frozen=True)
class Style:
    heading: Callable[[int, str], list[str]]
    strong: Callable[[str], str]
    value: Callable[[str], str]
    quote: Callable[[str], str]


MARKDOWN = Style(heading=lambda level, text: [f"{'#' * (level + 1)} {text}", ""],
                 strong=lambda text: f"**{text}**",
                 value=lambda text: f"`{text.replace('`', chr(39))}`" if text else "",
                 quote=lambda text: f"> {text}")
TEXT = Style(heading=lambda level, text: [text, ("=" if level == 1 else "-") * len(text)],
             strong=lambda text: text, value=lambda text: text, quote=lambda text: text)


def markdown(review: Review, limit: int = LIMIT) -> str:
    return _finish(_lines(review, MARKDOWN), review, limit)


def text(review: Review, limit: int = LIMIT) -> str:
    return _finish(_lines(review, TEXT), review, limit)


# The first line of a PR comment written with --format github: a workflow finds its earlier comment
# by it and updates that one instead of adding another (as Infracost and tfcmt do).
COMMENT_MARKER = "<!-- pulumi-endpoints-review -->"


def github(review: Review, limit: int = LIMIT) -> str:
    """A pull-request comment body: the marker, then the markdown review."""
    return f"{COMMENT_MARKER}\n{markdown(review, limit - len(COMMENT_MARKER) - 1)}"


def _lines(review: Review, style: Style) -> list[str]:
    lines = style.heading(1, "Endpoints review")
    if not review.has_changes:
        return lines + ["No changes.", "", f"Source: {review.source}"]
    counts = " · ".join(f"{review.count(s)} {s}" for s in STATUSES)
    shared = " · workspace resources changed" if any(not g.endpoint for g in review.groups) else ""
    lines += [f"Endpoints: {counts}{shared}", "",
              f"Cost (min–max replicas): {_cost(review.cost_before, review.cost_after, review.unknown_cost)}", ""]
    if review.risks:
        lines += style.heading(2, f"Risks ({len(review.risks)})")
        lines += [f"- {style.strong(risk.kind)} · {risk.subject}: {risk.message}" for risk in review.risks] + [""]
    for group in review.groups:
        lines += _group(group, style, review.unknown_cost)
    return lines + [f"Unchanged endpoints and resources are hidden. Source: {review.source}"]


def _group(group: Group, style: Style, unknown_cost: str) -> list[str]:
    lines = style.heading(2, f"{group.name} — {group.status}" if group.endpoint else group.name)
    lines += [style.quote(_headline(group)), ""]
    lines += [f"- {_field(f, style)}" for f in group.fields]
    for change in group.resources:
        reason = f" (forced by {', '.join(change.replaces).replace('_', ' ')})" if change.replaces else ""
        lines.append(f"- {kind_label(change.kind)} {style.value(change.name)}: "
                     f"{style.strong(VERBS[change.action])}{reason}")
        if change.action in (Action.UPDATE, Action.REPLACE):
            lines += [f"  - {_field(f, style)}" for f in field_changes(change)]
    if group.endpoint:
        lines.append(f"- cost: {_cost(group.cost_before, group.cost_after, unknown_cost)}")
    if group.cold_start is not None:
        lines.append(f"- start-up: {_cold_start(group.cold_start)}")
    return lines + [""]


def _cold_start(estimate: ColdStart) -> str:
    """A new replica's estimated start, step by step (the README's "Start-up budget")."""
    text = f"about {max(1, round(estimate.total / 60))} min for a replica on a new node ({estimate.breakdown()})"
    return text + (f"; not counted: {'; '.join(estimate.unknown)}" if estimate.unknown else "")


def _headline(group: Group) -> str:
    parts = [f"{f.label} {f.before} → {f.after}" for f in group.fields]
    hints = []
    for change in group.resources[:HEADLINE_RESOURCES]:
        fields = field_changes(change)
        shown = [f for name, f in zip(change.changed, fields) if name in change.replaces] or list(fields[:2])
        detail = ", ".join(_plain(f) for f in shown) if change.changed and change.kind in POLICIES else ""
        parts.append(f"{kind_label(change.kind)} {VERBS[change.action]}" + (f" ({detail})" if detail else ""))
        if change.action is Action.REPLACE and change.kind in HINTS:
            hints.append(HINTS[change.kind])
    if len(group.resources) > HEADLINE_RESOURCES:
        more = len(group.resources) - HEADLINE_RESOURCES
        parts.append(f"{more} more resource{'s' if more > 1 else ''}")
    parts = parts or [f"{group.status} endpoint"]
    return f"{group.name}: {' · '.join(parts)}" + (f" — {', '.join(hints)}" if hints else "")


def _plain(change: FieldChange) -> str:
    if change.before == change.after:
        return f"{change.label} changed"
    return f"{change.label} {change.before} → {change.after}"


def _field(change: FieldChange, style: Style) -> str:
    if not change.before and not change.after:
        return change.label
    if change.before == change.after:
        return f"{change.label}: changed" + (" (sensitive)" if change.after == MASK else "")
    return f"{change.label}: {style.value(change.before)} → {style.value(change.after)}"


def _cost(before: CostBand | None, after: CostBand | None, unknown: str) -> str:
    if after is None:
        return f"unknown ({unknown})"
    now = f"{_band(after.hourly_min, after.hourly_max)}/h, {_band(after.monthly_min, after.monthly_max)}/month"
    if before is None:
        return f"{now} (before: unknown; for Terraform pass --state)"
    if before == after:
        return f"{now} (no change)"
    delta = f"{_signed(after.monthly_min - before.monthly_min)} / {_signed(after.monthly_max - before.monthly_max)}"
    return (f"{_band(before.hourly_min, before.hourly_max)}/h → {_band(after.hourly_min, after.hourly_max)}/h, "
            f"{_band(before.monthly_min, before.monthly_max)}/month → "
            f"{_band(after.monthly_min, after.monthly_max)}/month (Δ {delta} per month)")


def _band(low: float, high: float) -> str:
    return f"${low:,.2f}" if low == high else f"${low:,.2f}–${high:,.2f}"


def _signed(amount: float) -> str:
    amount = round(amount, 2)
    return f"+${amount:,.2f}" if amount > 0 else f"-${-amount:,.2f}" if amount < 0 else "$0.00"


def _finish(lines: list[str], review: Review, limit: int) -> str:
    lines = [scrub(line, review.secrets) for line in lines] if review.secrets else lines
    full = "\n".join(lines) + "\n"
    if len(full) <= limit:
        return full
    kept: list[str] = []
    size = 0
    note_room = 200
    for line in lines:
        if size + len(line) + 1 > limit - note_room:
            break
        kept.append(line)
        size += len(line) + 1
    note = (f"… Trimmed: {len(lines) - len(kept)} of {len(lines)} lines not shown, to stay under "
            f"{limit:,} characters. Run `endpoints review` locally for the whole review.")
    return "\n".join(kept) + "\n\n" + note + "\n"
