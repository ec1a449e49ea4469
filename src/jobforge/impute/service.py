"""`kb.impute`: fill the ratings no source provides, through the precedence write path.

Only attributes without a measured value (O*NET or authoritative, from a release, Web Services or
an edit) are estimated, so imputation comes after every source; each estimate is written as kind
`imputed`, with its method, confidence and rationale (and, from an LLM, the model and prompt
hash), and a later O*NET or authoritative value replaces it with an override event. The same data
gives the same estimates (an LLM's answers are cached by prompt hash), so running it again writes
nothing.

With the `llm` provider, a question that got no valid answer is reported and left unfilled, not
handed to the hierarchy: the user asked for the model's judgement, and a silent substitute would
hide that it failed. An assessment (`assess=True`) asks the model for every element's level, even
where O*NET has one: those estimates are kept as `imputed` candidates below O*NET's values, read
with `source=imputed`, never served over them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import Engine

from jobforge.config import Settings, read_settings
from jobforge.entities import ONET, onet_soc
from jobforge.errors import InputError, NotFoundError
from jobforge.impute.chain import chained
from jobforge.impute.descriptions import Descriptions, read_descriptions
from jobforge.impute.estimates import Estimate, Unanswered
from jobforge.impute.hierarchy import HierarchyImputer
from jobforge.impute.llm_prompt import Asked, Occupations, Question, prepared
from jobforge.impute.matrix import SCALES, Ratings, read_ratings
from jobforge.impute.neighbours import NeighboursImputer
from jobforge.occupations.queries import RATING_DOMAINS
from jobforge.provenance import loads
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source, WriteReport
from jobforge.provenance.write import write_values

if TYPE_CHECKING:
    from jobforge.impute.llm import LlmImputer
    from jobforge.llm_client import LlmUsage

PROVIDERS = ("hierarchy", "neighbours", "llm")
ACTOR = "jobforge impute"


@dataclass
class ImputeReport:
    provider: str
    occupations: int = 0  # occupations that received at least one estimate
    values: int = 0
    by_domain: dict[str, int] = field(default_factory=dict)  # "skills LV" → values
    by_method: dict[str, int] = field(default_factory=dict)
    mean_confidence: float = 0.0
    written: WriteReport | None = None  # None on a dry run
    seconds: float = 0.0
    failures: list[Unanswered] = field(default_factory=list)  # questions the LLM gave no valid answer to
    unasked: list[Unanswered] = field(default_factory=list)  # questions not sent (the spending cap)
    stopped: str | None = None  # why questions went unasked
    usage: LlmUsage | None = None  # calls, tokens and cost of an llm run
    estimates: list[Estimate] = field(default_factory=list, repr=False)

    def to_json(self) -> dict:
        return {
            "provider": self.provider,
            "occupations": self.occupations,
            "values": self.values,
            "by_domain": self.by_domain,
            "by_method": self.by_method,
            "mean_confidence": self.mean_confidence,
            "written": self.written.__dict__ if self.written else None,
            "seconds": round(self.seconds, 3),
            "failures": [str(failure) for failure in self.failures],
            "unasked": [f"{question.code} {question.domain}" for question in self.unasked],
            "stopped": self.stopped,
            "llm": self.usage.__dict__ if self.usage else None,
        }


class Impute:
    def __init__(self, engine: Engine, settings: Settings | None = None) -> None:
        self.engine = engine
        self.settings = settings or read_settings()

    def run(
        self,
        codes: list[str] | None = None,
        *,
        provider: str = "neighbours",
        domains: list[str] | None = None,
        dry_run: bool = False,
        assess: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImputeReport:
        """Estimate what no source provides for `codes` (every occupation when None), in the
        domains given (every rated domain with a scale of `SCALES` when None); `progress(done, total)`.
        `assess` (llm only): the LV level of every element of the domains, as candidates."""
        if provider not in PROVIDERS:
            raise InputError(f"provider '{provider}' is not one of {', '.join(PROVIDERS)}")
        unknown_domains = [domain for domain in domains or [] if domain not in RATING_DOMAINS]
        if unknown_domains:
            raise InputError(
                f"no domain {', '.join(map(repr, unknown_domains))}; the domains: {', '.join(RATING_DOMAINS)}"
            )
        if assess and (provider != "llm" or not codes):
            raise InputError("an assessment (--assess) is made by the llm provider, for occupations named")
        llm = None
        if provider == "llm":  # the SDK is imported only for the runs that use it
            from jobforge.impute.llm import LlmImputer

            llm = LlmImputer(self.settings, self.engine)
        started = time.perf_counter()
        with self.engine.connect() as connection:
            ratings = read_ratings(connection, domains)
            descriptions = read_descriptions(connection) if provider == "neighbours" else Descriptions()
        if not ratings.occupations:
            raise NotFoundError(loads.NO_ONET_RELEASE)
        if not ratings.matrices:
            where = f" in {', '.join(domains)}" if domains else ""
            raise NotFoundError(f"no measured {'/'.join(SCALES)} ratings{where} to impute from")
        wanted = set(ratings.occupations) if codes is None else {onet_soc(code) for code in codes}
        unknown = sorted(wanted - set(ratings.occupations))
        if unknown:
            raise NotFoundError(f"no occupation {', '.join(unknown[:5])} in the loaded O*NET data")
        report = ImputeReport(provider)
        if llm is not None:
            self._ask(llm, ratings, wanted, assess, report, progress)
        else:
            self._estimate(provider, ratings, descriptions, wanted, report, progress)
        self._summarise(report)
        if not dry_run and report.estimates:
            report.written = self._write(report.estimates)
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _estimate(
        provider: str, ratings: Ratings, descriptions: Descriptions, wanted: set[str], report: ImputeReport,
        progress: Callable[[int, int], None] | None,
    ) -> None:  # fmt: skip
        imputer = NeighboursImputer(ratings, descriptions) if provider == "neighbours" else None
        targets = [
            (matrix, row)
            for matrix in ratings.matrices.values()
            for row, code in enumerate(matrix.codes)
            if code in wanted and np.isnan(matrix.values[row]).any()
        ]
        for done, (matrix, row) in enumerate(targets, start=1):
            missing = set(np.array(matrix.elements)[np.isnan(matrix.values[row])])
            estimates = chained(matrix, row, imputer) if imputer else HierarchyImputer().estimate(matrix, row)
            report.estimates += [estimate for estimate in estimates or [] if estimate.element in missing]
            if progress:
                progress(done, len(targets))

    def _ask(
        self, llm: LlmImputer, ratings: Ratings, wanted: set[str], assess: bool, report: ImputeReport,
        progress: Callable[[int, int], None] | None,
    ) -> None:  # fmt: skip
        """One question per occupation and domain: its missing elements on each of its scales (with
        `assess`, the level of every element)."""
        questions: dict[tuple[str, str], Question] = {}
        for matrix in ratings.matrices.values():
            if assess and matrix.scale != "LV":
                continue
            for row, code in enumerate(matrix.codes):
                if code not in wanted:
                    continue
                asked = [
                    Asked(element, matrix.scale, matrix.low, matrix.high)
                    for element, value in zip(matrix.elements, matrix.values[row])
                    if assess or np.isnan(value)
                ]
                if asked:
                    questions.setdefault((code, matrix.domain), Question(code, matrix.domain, [])).asked += asked
        with self.engine.connect() as connection:
            occupations = Occupations.read(connection, {code for code, _ in questions})
        for question in questions.values():
            prepared(question, occupations, llm.model, {question.domain} if assess else set())
        answers = llm.answer(list(questions.values()), progress)
        report.estimates, report.failures, report.usage = answers.estimates, answers.failures, answers.usage
        report.unasked, report.stopped = answers.unasked, answers.stopped

    @staticmethod
    def _summarise(report: ImputeReport) -> None:
        estimates = report.estimates
        report.values = len(estimates)
        report.occupations = len({estimate.code for estimate in estimates})
        for estimate in estimates:
            domain = f"{estimate.domain} {estimate.scale}"
            report.by_domain[domain] = report.by_domain.get(domain, 0) + 1
            report.by_method[estimate.method] = report.by_method.get(estimate.method, 0) + 1
        if estimates:
            report.mean_confidence = round(sum(estimate.confidence for estimate in estimates) / len(estimates), 3)

    def _write(self, estimates: list[Estimate]) -> WriteReport:
        """All estimates in one transaction, one provenance record per method (and, for an LLM,
        per model and prompt)."""
        report = WriteReport()
        with self.engine.begin() as connection:
            for method, model, prompt_hash in sorted(
                {(estimate.method, estimate.model or "", estimate.prompt_hash or "") for estimate in estimates}
            ):
                assertions = [
                    Assertion(
                        ONET.entity(estimate.code),
                        AttributeKey.rating(estimate.domain, estimate.element, estimate.scale),
                        estimate.value,
                        estimate.confidence,
                        rationale=estimate.rationale,
                    )
                    for estimate in estimates
                    if (estimate.method, estimate.model or "", estimate.prompt_hash or "")
                    == (method, model, prompt_hash)
                ]
                source = Source(SourceKind.IMPUTED, method, ACTOR, model=model or None, prompt_hash=prompt_hash or None)
                report.merge(write_values(connection, source, assertions))
        return report
