"""Pull-request review: plans in endpoint terms (what changes, what is replaced, what it costs, what is risky).

Sources: :mod:`.terraform` (``terraform show -json``), :mod:`.pulumi` (``pulumi preview --json``)
and :mod:`.specs` (two spec sets, no engine). :func:`review` groups their changes by endpoint;
:func:`markdown` and :func:`text` render the result.
"""

from .changes import review
from .model import PlanInput, Review
from .render import markdown, text
from .sources import ReviewError

__all__ = ["PlanInput", "Review", "ReviewError", "markdown", "review", "text"]
