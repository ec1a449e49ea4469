"""The classification systems and the accept rule: plain data that the CLI's help and the API's
documentation quote without loading the model's scientific stack."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class System(StrEnum):
    onet = "onet"
    noc = "noc"


class AcceptRule(NamedTuple):
    """Accept when the top score is at least `score` and leads the second by at least `margin`."""

    score: float
    margin: float


# SOCcer's form (its margin, 0.1) with the score raised until the accepted titles were right at
# least 90% of the time on held-out titles: O*NET needs more (its titles spread over 1,016 finer
# occupations, so fewer reach a high score).
ACCEPT = {System.onet: AcceptRule(0.9, 0.1), System.noc: AcceptRule(0.7, 0.1)}
# The same for the embeddings extra's re-ranked scores, read off the re-ranker's out-of-fold scores
# on the tuning split (bench/classify_eval.py --fit-reranker): precision there 0.92 and 0.92.
ACCEPT_WITH_EMBEDDINGS = {System.onet: AcceptRule(0.85, 0.1), System.noc: AcceptRule(0.75, 0.1)}


def _rules(accept: dict[System, AcceptRule]) -> str:
    return ", ".join(
        f"{label} {accept[system].score} / {accept[system].margin}"
        for label, system in (("O*NET", System.onet), ("NOC", System.noc))
    )


ACCEPT_RULE_TEXT = (
    "needs_review is false only when the top score reaches the system's threshold and leads "
    f"the second by its margin: {_rules(ACCEPT)} ({_rules(ACCEPT_WITH_EMBEDDINGS)} with the embeddings extra)"
)
MAX_TITLE = 500  # characters: longer is not a job title
MAX_K = 50
MAX_EXPLAINED = 1_000  # titles × k with explain (each explained candidate compares every name it has)
