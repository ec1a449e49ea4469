"""`kb.enrich`: fill what is missing, in order, as jobs of the durable queue.

For each occupation that lacks ratings: local O*NET first (nothing to do where the release has
them), then O*NET Web Services (when ONET_API_KEY is set), then the imputer (`neighbours`, or
`llm` when JOBFORGE_LLM_MODEL is set), which estimates only what no source gave, and falls back
on O*NET's structure (parent, siblings, group). A company role inherits from its approved code,
so enriching roles is enriching their codes.

Each step for each occupation is a job keyed by step, code and live O*NET load run: a second run
finds them done and repeats nothing; a run killed midway leaves its jobs to be taken over (at
once on this host, by lease elsewhere), and the steps are idempotent, so whatever a dead run had
half done is done again without duplicating a value. A new release makes new keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from jobforge.enrich import schedules
from jobforge.enrich.coverage import CoverageReport, coverage, version
from jobforge.entities import onet_soc
from jobforge.errors import InputError, NotFoundError
from jobforge.impute.estimates import Unanswered
from jobforge.jobs import queue
from jobforge.jobs.queue import Claimed
from jobforge.jobs.tables import Job
from jobforge.jobs.worker import Handler, WorkerReport, drain, reclaim_dead, worker_name
from jobforge.provenance import loads

SCOPES = ("missing", "all", "roles")


@dataclass
class EnrichReport:
    targets: int
    before: CoverageReport
    after: CoverageReport | None = None
    fetched: list[str] = field(default_factory=list)
    fetch_calls: int = 0  # requests to Web Services, retries included
    fetch_retries: int = 0
    fetch_errors: dict[str, str] = field(default_factory=dict)
    imputed_occupations: int = 0
    impute_errors: dict[str, str] = field(default_factory=dict)  # occupation → what was left unanswered
    values_written: int = 0
    skipped_done: int = 0  # steps a previous run had finished
    provider: str = "neighbours"
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "targets": self.targets, "provider": self.provider, "fetched": len(self.fetched),
            "fetch_calls": self.fetch_calls, "fetch_retries": self.fetch_retries, "fetch_errors": self.fetch_errors,
            "imputed_occupations": self.imputed_occupations, "impute_errors": self.impute_errors,
            "values_written": self.values_written,
            "skipped_done": self.skipped_done, "seconds": round(self.seconds, 2),
            "before": self.before.to_json(), "after": self.after.to_json() if self.after else None,
        }  # fmt: skip


class Enrichment:
    def __init__(self, kb) -> None:
        self.kb = kb
        self.engine = kb.engine
        self._coverage: tuple[tuple, CoverageReport] | None = None

    def coverage(self) -> CoverageReport:
        """Computed again only when something it counts has changed (a page or /coverage asks
        often; the full count takes about a second on the full release)."""
        current = version(self.engine)
        kept = self._coverage
        if kept is not None and kept[0] == current:
            return kept[1]
        report = coverage(self.engine)
        self._coverage = (current, report)
        return report

    def targets(self, scope: str | None = None, codes: list[str] | None = None) -> list[str]:
        """The occupations to enrich: those named, every one (`all`), those without ratings
        (`missing`), or the approved codes of active roles that lack ratings (`roles`)."""
        if codes:
            return sorted({onet_soc(code) for code in codes})
        if scope not in SCOPES:
            raise InputError(f"say what to enrich: occupation codes, or one of {', '.join(SCOPES)}")
        lacking = self.kb.onet.lacking_ratings()
        if scope == "missing":
            return lacking
        if scope == "all":
            return self.kb.occupations.codes()
        from jobforge.roles.tables import Role

        with self.engine.connect() as connection:
            approved = connection.scalars(
                select(Role.approved_code).where(Role.status == "active", Role.approved_code.like("onet:%")).distinct()
            ).all()
        return sorted({code.split(":", 1)[1] for code in approved} & set(lacking))

    def run(
        self, scope: str | None = None, codes: list[str] | None = None, *, provider: str | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> EnrichReport:  # fmt: skip
        """Enrich the targets, step by step, through the queue; coverage before and after."""
        import time

        started = time.perf_counter()
        targets = self.targets(scope, codes)
        known = set(self.kb.occupations.codes())
        unknown = [code for code in targets if code not in known]
        if unknown:
            raise NotFoundError(f"no occupation {', '.join(unknown[:5])} in the loaded O*NET data")
        report = EnrichReport(len(targets), self.coverage(), provider=provider or self.default_provider())
        reclaim_dead(self.engine)
        run = self._run_id()
        if self.kb.settings.onet_api_key:
            lacking = set(self.kb.onet.lacking_ratings())
            self._step("fetch", [c for c in targets if c in lacking], run, report, progress)
        self._step("impute", targets, run, report, progress)
        report.after = self.coverage()
        report.seconds = time.perf_counter() - started
        return report

    def default_provider(self) -> str:
        return "llm" if self.kb.settings.llm_model else "neighbours"

    def _run_id(self) -> int:
        with self.engine.connect() as connection:
            live = loads.live_run(connection, "onet")
        if live is None:
            raise NotFoundError(loads.NO_ONET_RELEASE)
        return live.id

    def _step(
        self, step: str, codes: list[str], run: int, report: EnrichReport,
        progress: Callable[[str, int, int], None] | None,
    ) -> None:  # fmt: skip
        """Enqueue this step's jobs, claim those due, and do them in one go (one Web Services
        client, one imputer fit), finishing each job with its outcome."""
        keys = {code: f"{step}:onet:{code}:run{run}" for code in codes}
        with self.engine.begin() as connection:
            for code, key in keys.items():
                payload = {"code": code, "provider": report.provider} if step == "impute" else {"code": code}
                # A run tries again, now, a step that failed before: parked, or queued for a worker later.
                queue.enqueue(connection, step, key, payload, retry_failed=True, at_once=True)
            done = set(connection.scalars(select(Job.key).where(Job.key.in_(keys.values()), Job.status == "done")))
        report.skipped_done += len(done)
        name = worker_name()
        claimed = queue.claim(self.engine, name, max(1, len(keys)), keys=list(keys.values()))
        if progress:
            progress(step, 0, len(claimed))
        if not claimed:
            return
        wanted = [job.payload["code"] for job in claimed]
        failures = self._fetch(wanted, report) if step == "fetch" else self._impute(wanted, report)
        for job in claimed:
            problem = failures.get(job.payload["code"])
            if problem is None:
                with self.engine.begin() as connection:
                    queue.complete(connection, job.id, name, {"step": step})
            else:
                queue.fail(self.engine, job.id, name, problem)
        if progress:
            progress(step, len(claimed), len(claimed))

    def _fetch(self, codes: list[str], report: EnrichReport) -> dict[str, str]:
        fetched = asyncio.run(self.kb.onet.fetch(codes))
        report.fetched += fetched.stored
        report.fetch_calls += fetched.calls
        report.fetch_retries += fetched.retries
        report.fetch_errors.update(fetched.failed)
        # An occupation Web Services does not know (or has no ratings for) is not a failure of the
        # step: the imputer is next. Anything else (unavailable, rejected key) is, and is retried.
        return {code: str(error) for code, error in fetched.errors.items() if not isinstance(error, NotFoundError)}

    def _impute(self, codes: list[str], report: EnrichReport) -> dict[str, str]:
        """The occupations with a question the LLM left unanswered (or, at its spending cap, never
        asked): their jobs fail, to be tried again, rather than end done with values missing."""
        imputed = self.kb.impute.run(codes, provider=report.provider)
        report.imputed_occupations += imputed.occupations
        written = imputed.written
        report.values_written += (written.added + written.overrides) if written else 0
        by_code: dict[str, list[Unanswered]] = {}
        for question in [*imputed.failures, *imputed.unasked]:
            by_code.setdefault(question.code, []).append(question)
        unanswered = {code: _unanswered(questions) for code, questions in by_code.items()}
        report.impute_errors.update(unanswered)
        return unanswered

    def handlers(self) -> dict[str, Handler]:
        """What `jobforge worker` runs: `enrich` jobs (one or more codes, or a scope), the steps of
        an enrichment that failed and were queued again, the schedules' jobs, and no-ops."""

        def step(job: Claimed, _connection: Connection) -> dict:
            code = job.payload["code"]
            provider = job.payload.get("provider") or self.default_provider()
            report = EnrichReport(1, CoverageReport({}), provider=provider)  # one step: no coverage counted
            failures = self._fetch([code], report) if job.kind == "fetch" else self._impute([code], report)
            if code in failures:
                raise RuntimeError(failures[code])
            return {"step": job.kind, "values_written": report.values_written}

        def enrich(job: Claimed, _connection: Connection) -> dict:
            done = self.run(job.payload.get("scope"), job.payload.get("codes"))
            return {
                "targets": done.targets, "values_written": done.values_written, "fetched": len(done.fetched),
                "impute_errors": len(done.impute_errors),
            }  # fmt: skip

        def tbs_scrape(_job: Claimed, _connection: Connection) -> dict:
            scraped = self.kb.tbs.scrape()
            return {"run": scraped.run_id}

        def onet_refresh(_job: Claimed, _connection: Connection) -> dict:
            if not self.kb.settings.onet_api_key:
                return {"skipped": "no ONET_API_KEY"}
            stale = schedules.stale_fetched(self.engine, self.kb.settings.onet_api_cache_days)
            if not stale:
                return {"refreshed": 0}
            fetched = asyncio.run(self.kb.onet.fetch(stale, refresh=True))
            if fetched.errors:
                raise RuntimeError(
                    f"{len(fetched.errors)} of {len(stale)} failed: {next(iter(fetched.failed.values()))}"
                )
            return {"refreshed": len(fetched.stored), "calls": fetched.calls}

        def reimpute(_job: Claimed, _connection: Connection) -> dict:
            codes = self.imputed_codes()
            if not codes:
                return {"occupations": 0}
            done = self.kb.impute.run(codes, provider=self.default_provider())
            unanswered = [*done.failures, *done.unasked]
            if unanswered:  # queued again: a rerun asks only what is not cached
                raise RuntimeError(f"{len(unanswered)} questions unanswered; the first: {unanswered[0]}")
            written = done.written
            return {
                "occupations": done.occupations,
                "values_written": (written.added + written.overrides) if written else 0,
            }

        return {
            "enrich": enrich, "fetch": step, "impute": step, "tbs-scrape": tbs_scrape, "onet-refresh": onet_refresh,
            "reimpute": reimpute, "noop": lambda _job, _connection: None,
        }  # fmt: skip

    def imputed_codes(self) -> list[str]:
        from jobforge.provenance.value_tables import AttributeValue

        with self.engine.connect() as connection:
            entities = connection.scalars(
                select(AttributeValue.entity)
                .distinct()
                .where(
                    AttributeValue.source_kind == "imputed",
                    AttributeValue.replaced_at.is_(None),
                    AttributeValue.entity.like("onet:%"),
                )  # fmt: skip
            ).all()
        return sorted(entity.split(":", 1)[1] for entity in entities)

    def schedules(self) -> list[dict]:
        return schedules.status(self.engine)

    def enqueue_scheduled(self, name: str) -> bool:
        chosen = next((s for s in schedules.SCHEDULES if s.name == name), None)
        if chosen is None:
            raise InputError(f"no schedule '{name}': {', '.join(s.name for s in schedules.SCHEDULES)}")
        return schedules.enqueue(self.engine, self.kb.settings, chosen)

    def work(self, *, threads: int = 1, stop_when_idle: bool = True, stop=None, progress=None) -> WorkerReport:
        return drain(self.engine, self.handlers(), threads=threads, stop_when_idle=stop_when_idle, stop=stop,
                     progress=progress)  # fmt: skip

    def jobs(self, status: str | None = None, limit: int = 100) -> list[queue.JobView]:
        return queue.listed(self.engine, status, limit)

    def retry(self, job_id: int) -> None:
        queue.retry(self.engine, job_id)

    def counts(self) -> dict[str, int]:
        return queue.counts(self.engine)


def _unanswered(questions: list[Unanswered]) -> str:
    """One line for an occupation's unanswered questions: their domains, and the first reason."""
    first = f"{questions[0].domain}: {questions[0].reason}"
    if len(questions) == 1:
        return first
    return f"{len(questions)} domains unanswered ({', '.join(q.domain for q in questions)}); {first}"
