"""Company roles on every backend: inheritance at read time, overrides through the write path,
restore, diff, bulk and copy all-or-nothing, review of suggested codes, upstream changes flagged,
organisations kept apart."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from jobforge.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jobforge.provenance.sources import SourceKind
from jobforge.roles.models import RoleIn, RoleUpdate
from jobforge.roles.tables import ApiToken
from tests.roles.conftest import ADMIN, EDITOR, OTHER, VIEWER, nurse

SKILL = "skills/2.A.1.a/LV"  # Reading Comprehension, level


def fields(kb, role_id, caller=ADMIN):
    return {field.attribute: field for field in kb.roles.resolved(caller, role_id).fields}


def test_a_role_inherits_its_approved_code_on_the_next_read_with_citations(org):
    role = org.roles.create(ADMIN, RoleIn(title="Charge Nurse", initial_code="29-1141.00"), suggest=False)
    assert fields(org, role.id) == {}  # suggested, not approved: nothing inherited
    [initial] = org.roles.suggestions(ADMIN, role.id)
    assert (initial.code, initial.method, initial.status) == ("onet:29-1141.00", "initial", "pending")

    detail = org.roles.approve(ADMIN, role.id, initial.id, "the initial code fits")

    resolved = fields(org, role.id)
    served = {v.attribute: v for v in org.values.served("29-1141.00")}
    assert detail["changed_fields"] == len(resolved) and detail["previous"] is None
    assert resolved[SKILL].value == served[SKILL].value and resolved[SKILL].status == "inherited"
    assert resolved[SKILL].source_kind == "onet" and resolved[SKILL].inherited_from == "onet:29-1141.00"
    assert resolved[SKILL].citation.startswith("O*NET 29.3, Skills.txt, line ")
    assert resolved["title"].value == "Registered Nurses"
    assert resolved["tasks/core"].value and resolved["tasks/core"].citation.endswith("Task Statements.txt")
    assert resolved["technology_skills"].value
    kinds = [event.kind for event in org.roles.events(ADMIN, role.id)]
    assert kinds == ["approved", "suggested", "created"]


def test_an_override_beats_the_inherited_value_for_that_role_only_and_restore_brings_it_back(org):
    first, second = nurse(org), nurse(org)
    inherited = fields(org, first)[SKILL].value

    org.roles.override(EDITOR, first, SKILL, 6.5, "our nurses read clinical research")

    mine, theirs = fields(org, first)[SKILL], fields(org, second)[SKILL]
    assert (mine.value, mine.status, mine.source_kind, mine.default) == (6.5, "custom", "custom", inherited)
    assert mine.citation == "role override by eddie: our nurses read clinical research"
    assert theirs.value == inherited and theirs.status == "inherited"
    assert org.values.served("29-1141.00", attribute_prefix=SKILL)[0].value == inherited  # the occupation untouched
    [diff] = org.roles.diff(ADMIN, first)
    assert (diff.attribute, diff.custom, diff.default, diff.author) == (SKILL, 6.5, inherited, "eddie")
    assert diff.upstream_then == str(inherited) and not diff.update_available

    org.roles.restore(EDITOR, first, SKILL)

    assert fields(org, first)[SKILL].value == inherited and fields(org, first)[SKILL].status == "inherited"
    assert org.roles.diff(ADMIN, first) == []
    assert [e.kind for e in org.roles.events(ADMIN, first)][:2] == ["restored", "overridden"]
    with pytest.raises(NotFoundError, match="does not override"):
        org.roles.restore(EDITOR, first, SKILL)


def test_list_fields_and_bad_values_are_checked_and_name_their_place(org):
    role = nurse(org)
    org.roles.override(EDITOR, role, "tasks/core", ["Triage patients", "Lead the shift"], "our duties")
    assert fields(org, role)["tasks/core"].value == ["Triage patients", "Lead the shift"]
    assert fields(org, role)["tasks/core"].default  # O*NET's tasks, kept as the default
    with pytest.raises(InputError, match=r"skills/2.A.1.a/LV is a rating on 0–7, not 9"):
        org.roles.override(EDITOR, role, SKILL, 9.0, "too high")
    with pytest.raises(InputError, match=r"job_zone is one of 1, 2, 3, 4, 5, not 2.5"):
        org.roles.override(EDITOR, role, "job_zone", 2.5, "between zones")
    with pytest.raises(InputError, match="inherits no field 'skills/9.Z/LV' from onet:29-1141.00"):
        org.roles.override(EDITOR, role, "skills/9.Z/LV", 3.0, "unknown")
    with pytest.raises(InputError, match="inherits no field 'Title' from onet:29-1141.00 .did you mean 'title'"):
        org.roles.override(EDITOR, role, "Title", "Charge nurse", "misspelt")
    with pytest.raises(InputError, match="takes a list"):
        org.roles.override(EDITOR, role, "tools", "a hammer", "not a list")
    with pytest.raises(InputError, match="needs a reason"):
        org.roles.override(EDITOR, role, SKILL, 3.0, " ")
    with pytest.raises(InputError, match=rf"role {role}: title takes a text, not 5.0"):
        org.roles.override(EDITOR, role, "title", 5, "a number for a title")
    with pytest.raises(InputError, match=rf"role {role}: {SKILL} takes a number, not 'high'"):
        org.roles.override(EDITOR, role, SKILL, "high", "a word for a rating")
    with pytest.raises(InputError, match=r"job_zone takes a number, not '3'"):
        org.roles.override(EDITOR, role, "job_zone", "3", "a text for the zone")
    assert {fields(org, role)[name].status for name in ("title", SKILL, "job_zone")} == {"inherited"}


def test_a_bulk_override_that_fails_on_its_500th_role_applies_nothing(org):
    roles = [org.roles.create(EDITOR, RoleIn(title=f"Clerk {i}"), suggest=False).id for i in range(500)]
    org.roles.archive(ADMIN, roles[-1], "the 500th refuses edits")
    with pytest.raises(ConflictError, match=rf"role {roles[-1]} \(position 500\) is archived"):
        org.roles.bulk_override(EDITOR, roles, "job_zone", 3.0, "policy")
    assert org.roles.diff(ADMIN, roles[0]) == [] and org.roles.diff(ADMIN, roles[498]) == []
    good = org.roles.bulk_override(EDITOR, roles[:499], "job_zone", 3.0, "policy")
    assert good.roles == 499 and good.values_written == 499
    other = org.roles.create(OTHER, RoleIn(title="Analyst"), suggest=False)
    with pytest.raises(NotFoundError, match=f"role {other.id}"):
        org.roles.bulk_override(EDITOR, [roles[0], other.id], "job_zone", 4.0, "not mine")
    assert org.roles.diff(ADMIN, roles[0])[0].custom == 3.0


def test_copy_carries_one_roles_customisations_to_others(org):
    source, target = nurse(org), nurse(org)
    org.roles.override(EDITOR, source, SKILL, 6.0, "research")
    org.roles.override(EDITOR, source, "job_zone", 5.0, "senior")
    report = org.roles.copy(EDITOR, source, [target], ["job_zone"])
    assert report.values_written == 1
    copied = fields(org, target)
    assert copied["job_zone"].value == 5.0 and copied["job_zone"].status == "custom"
    assert copied[SKILL].status == "inherited"
    with pytest.raises(InputError, match="does not override skills/2.A.1.b/LV"):
        org.roles.copy(EDITOR, source, [target], ["skills/2.A.1.b/LV"])


def test_an_upstream_change_flags_update_available_until_accepted_or_dismissed(org):
    role = nurse(org)
    org.roles.override(EDITOR, role, SKILL, 6.0, "research")
    org.roles.override(EDITOR, role, "skills/2.A.1.b/LV", 6.0, "writing")
    assert org.roles.updates(ADMIN) == []
    for attribute in (SKILL, "skills/2.A.1.b/LV"):  # a new O*NET value arrives upstream
        org.values.set_value("29-1141.00", attribute, 3.125, kind=SourceKind.ONET, confidence=0.9, actor="reload")

    flagged = org.roles.updates(ADMIN)

    assert {(f["attribute"], f["upstream_now"]) for f in flagged} == {(SKILL, 3.125), ("skills/2.A.1.b/LV", 3.125)}
    assert fields(org, role)[SKILL].update_available
    org.roles.dismiss_upstream(EDITOR, role, SKILL)
    org.roles.accept_upstream(EDITOR, role, "skills/2.A.1.b/LV")
    resolved = fields(org, role)
    assert resolved[SKILL].value == 6.0 and not resolved[SKILL].update_available
    assert resolved["skills/2.A.1.b/LV"].value == 3.125 and resolved["skills/2.A.1.b/LV"].status == "inherited"
    assert org.roles.updates(ADMIN) == []


def test_approving_another_code_re_inherits_and_says_what_changed(org):
    role = nurse(org)
    org.roles.override(EDITOR, role, SKILL, 6.0, "research")
    [proposal] = [
        s for s in org.roles.suggest(EDITOR, role, "15-1252.00", "they write software") if s.method == "person"
    ]
    detail = org.roles.approve(ADMIN, role, proposal.id, "moved to IT")
    assert detail["previous"] == "onet:29-1141.00" and detail["code"] == "onet:15-1252.00"
    assert detail["changed_fields"] > 50 and "description" in detail["changed"]
    resolved = fields(org, role)
    assert resolved["title"].value == "Software Developers" and resolved[SKILL].value == 6.0  # the override stays
    statuses = {s.code: s.status for s in org.roles.suggestions(ADMIN, role)}
    assert statuses == {"onet:29-1141.00": "superseded", "onet:15-1252.00": "approved"}


def test_the_title_coder_proposes_scored_codes_for_review(org):
    role = org.roles.create(EDITOR, RoleIn(title="Registered Nurse, ICU"))
    proposals = org.roles.suggestions(EDITOR, role.id)
    assert proposals and all(p.method == "title coder" and p.status == "pending" for p in proposals)
    assert "onet:29-1141.00" in [p.code for p in proposals]
    assert all(0 <= p.score <= 1 and p.evidence.startswith("title coder score") for p in proposals)
    with pytest.raises(ForbiddenError, match="needs admin access"):
        org.roles.approve(EDITOR, role.id, proposals[0].id)
    rejected = org.roles.reject(ADMIN, role.id, proposals[-1].id, "not a manager")
    assert (rejected.status, rejected.decided_by, rejected.reason) == ("rejected", "alice", "not a manager")
    with pytest.raises(ConflictError, match="not pending"):
        org.roles.reject(ADMIN, role.id, proposals[-1].id)


def test_a_title_the_coder_cannot_read_still_makes_a_role_with_only_the_initial_code_to_review(org):
    role = org.roles.create(EDITOR, RoleIn(title="***", initial_code="29-1141.00"))
    assert [(p.code, p.method) for p in org.roles.suggestions(EDITOR, role.id)] == [("onet:29-1141.00", "initial")]
    assert [r.title for r in org.roles.search(EDITOR).roles] == ["***"]  # created once, and said so


def test_an_import_makes_every_role_or_none_and_codes_their_titles_in_one_batch(org):
    many = [RoleIn(title="Registered Nurse, ICU", family="Care"), RoleIn(title="***", initial_code="29-1141.00"),
            RoleIn(title="Nurse Practitioner", initial_code="29-1171.00", level="P4")]  # fmt: skip
    report = org.roles.import_roles(EDITOR, many)
    assert report.created == 3 and [org.roles.get(EDITOR, i).title for i in report.ids] == [r.title for r in many]
    proposed = {i: org.roles.suggestions(EDITOR, i) for i in report.ids}
    assert report.suggestions == sum(map(len, proposed.values()))
    first, unreadable, third = (proposed[i] for i in report.ids)
    assert "onet:29-1141.00" in [p.code for p in first if p.method == "title coder"]  # coded as one made alone is
    assert [(p.code, p.method) for p in unreadable] == [("onet:29-1141.00", "initial")]  # made all the same
    assert ("onet:29-1171.00", "initial") in [(p.code, p.method) for p in third] and len(third) > 1
    assert [e.kind for e in org.roles.events(EDITOR, report.ids[2])][-1] == "created"

    before = org.roles.search(ADMIN, status=None).total
    stale = [RoleIn(title="Cook"), RoleIn(title="Baker", initial_code="99-9999.00")]
    with pytest.raises(NotFoundError, match=r"roles.csv, line 3 \(onet:99-9999.00\)"):
        org.roles.import_roles(EDITOR, stale, places=["roles.csv, line 2", "roles.csv, line 3"])
    with pytest.raises(InputError, match="10,001 roles: import 1 to 10,000 at once"):
        org.roles.import_roles(EDITOR, [RoleIn(title="Clerk")] * 10_001)
    with pytest.raises(ForbiddenError):
        org.roles.import_roles(VIEWER, [RoleIn(title="Clerk")])
    assert org.roles.search(ADMIN, status=None).total == before  # nothing made of any of them


def test_a_search_reads_its_words_and_filters_alike_on_every_backend(org):
    """A word is a word: '%' and '_' were LIKE wildcards, so '50%' found 'Analyst 5' and '_' every
    role. A filter is compared as stored, stripped: MariaDB's comparison pads, so 'Finance ' found
    Finance there only. A blank family is none, so an empty filter would find nothing: refused.
    Every letter is lowered, as PostgreSQL and MariaDB do, not only SQLite's ASCII ones."""
    for title in ("Analyst 50% time", "Analyst 5", "Data_Clerk"):
        org.roles.create(EDITOR, RoleIn(title=title, family="Finance"), suggest=False)

    def titles(**criteria):
        return sorted(r.title for r in org.roles.search(EDITOR, **criteria).roles)

    assert titles(q="50%") == ["Analyst 50% time"]
    assert titles(q="_") == ["Data_Clerk"]
    assert titles(q="analyst 5") == ["Analyst 5", "Analyst 50% time"]
    org.roles.create(EDITOR, RoleIn(title="Économiste principal", language="fr"), suggest=False)
    assert titles(q="économiste") == titles(q="ÉCONOMISTE") == ["Économiste principal"]  # SQLite: ASCII only
    assert len(titles(family="Finance ")) == 3 and titles(family="Financ") == []
    blank = org.roles.create(EDITOR, RoleIn(title="Porter", family="  ", unit="", level=" "), suggest=False)
    assert (blank.family, blank.unit, blank.level) == (None, None, None)  # none, not a second none ('')
    with pytest.raises(InputError, match="family: an empty filter; leave it out to have every role"):
        org.roles.search(EDITOR, family=" ")


def test_organisations_never_see_or_change_each_others_roles(org):
    mine = nurse(org)
    with pytest.raises(NotFoundError, match="no role"):
        org.roles.resolved(OTHER, mine)
    with pytest.raises(NotFoundError):
        org.roles.override(OTHER, mine, SKILL, 1.0, "sabotage")
    assert org.roles.search(OTHER).total == 0 and org.roles.search(ADMIN).total == 1
    assert org.roles.events(OTHER) == []
    with pytest.raises(ForbiddenError):
        org.roles.override(VIEWER, mine, SKILL, 1.0, "viewers read")


def test_an_update_names_the_version_it_read_and_archived_roles_refuse_edits(org):
    role = org.roles.create(EDITOR, RoleIn(title="Clerk", family="Admin"), suggest=False)
    updated = org.roles.update(EDITOR, role.id, RoleUpdate(version=role.version, title="Senior Clerk"))
    assert (updated.title, updated.version, updated.family) == ("Senior Clerk", role.version + 1, "Admin")
    with pytest.raises(ConflictError, match=f"is at version {updated.version}, not {role.version}"):
        org.roles.update(EDITOR, role.id, RoleUpdate(version=role.version, title="Lost update"))
    org.roles.archive(ADMIN, role.id, "merged")
    with pytest.raises(ConflictError, match="archived"):
        org.roles.update(EDITOR, role.id, RoleUpdate(version=updated.version + 1, title="x"))
    assert org.roles.search(ADMIN).total == 0 and org.roles.search(ADMIN, status="archived").total == 1
    with pytest.raises(ForbiddenError):
        org.roles.unarchive(EDITOR, role.id, "editors do not")
    back = org.roles.unarchive(ADMIN, role.id, "archived by mistake")
    assert (back.status, back.title, back.family, back.version) == (
        "active",
        "Senior Clerk",
        "Admin",
        updated.version + 2,
    )
    assert [e.kind for e in org.roles.events(ADMIN, role.id)][:2] == ["unarchived", "archived"]
    with pytest.raises(ConflictError, match="is not archived"):
        org.roles.unarchive(ADMIN, role.id)
    assert org.roles.update(EDITOR, role.id, RoleUpdate(version=back.version, title="Clerk II")).title == "Clerk II"


def test_concurrent_edits_of_one_role_lose_nothing(org):
    role = nurse(org)
    attributes = [f"skills/2.A.1.{letter}/LV" for letter in "abcdef"]
    errors: list[BaseException] = []

    def edit(attribute: str) -> None:
        try:
            org.roles.override(EDITOR, role, attribute, 3.0, "parallel")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=edit, args=(a,)) for a in attributes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    resolved = fields(org, role)
    assert all(resolved[a].status == "custom" and resolved[a].value == 3.0 for a in attributes)
    assert org.roles.get(ADMIN, role).version == 2 + len(attributes)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from([f"skills/2.A.1.{c}/LV" for c in "abcdef"]), st.floats(0, 7), max_size=4))
def test_resolved_is_the_override_if_present_else_the_served_value(org_once, chosen):
    kb, role = org_once
    for attribute in [f"skills/2.A.1.{c}/LV" for c in "abcdef"]:
        if attribute in chosen:
            kb.roles.override(EDITOR, role, attribute, round(chosen[attribute], 2), "property")
        elif attribute in kb.roles.diff(ADMIN, role) or any(
            d.attribute == attribute for d in kb.roles.diff(ADMIN, role)
        ):
            kb.roles.restore(EDITOR, role, attribute)
    served = {v.attribute: v.value for v in kb.values.served("29-1141.00", attribute_prefix="skills/")}
    resolved = fields(kb, role)
    for attribute in [f"skills/2.A.1.{c}/LV" for c in "abcdef"]:
        expected = round(chosen[attribute], 2) if attribute in chosen else served[attribute]
        assert resolved[attribute].value == expected


@pytest.fixture
def org_once(org):
    return org, nurse(org)


def test_a_configured_llm_judges_the_coders_candidates_and_a_bad_answer_is_only_noted(org, sample_zip):
    from jobforge import KnowledgeBase
    from tests.fakes.openai_compatible import FakeLlm
    from tests.impute.test_llm import llm_settings

    fake = FakeLlm().start()
    try:
        kb = KnowledgeBase(org.database_url, settings=llm_settings(fake))
        role = kb.roles.create(EDITOR, RoleIn(title="Registered Nurse, ICU", description="Cares for ICU patients"))
        proposals = kb.roles.suggestions(EDITOR, role.id)
        coder = [p for p in proposals if p.method == "title coder"]
        judged = [p for p in proposals if p.method == "llm"]
        assert coder and {p.code for p in judged} == {p.code for p in coder}
        assert judged[0].score == 0.9 and judged[0].evidence.startswith("llm (fake-model): ")
        assert "Cares for ICU patients" in fake.log[-1][1]["messages"][1]["content"]

        fake.then("Role:", "invalid_json", "unknown_element", "invalid_json")
        again = kb.roles.create(EDITOR, RoleIn(title="Registered Nurse"))
        methods = {p.method for p in kb.roles.suggestions(EDITOR, again.id)}
        assert methods == {"title coder"}
        [note] = [e for e in kb.roles.events(ADMIN, again.id) if e.kind == "llm refinement failed"]
        assert (
            "no valid answer in 3 attempts" in note.detail["reason"] and "was not a candidate" in note.detail["reason"]
        )
    finally:
        fake.stop()


def test_who_acted_always_fits_the_events_and_long_texts_fit_on_every_backend(org):
    """A token named up to 120 characters made an actor (token:NAME@ORG) too long for the events:
    every write by it failed on PostgreSQL and MariaDB. A 20,000-character description in 4-byte
    characters did not fit MariaDB's TEXT."""
    longest = 120 - len("token:@acme")
    with pytest.raises(InputError, match=f"a token's name must be 1 to {longest} characters"):
        org.roles.tokens.create("acme", "n" * (longest + 1), "editor", "test")
    token, _ = org.roles.tokens.create("acme", "n" * longest, "editor", "test")
    caller = org.roles.tokens.authenticate(token)
    description = "😀" * 20_000
    role = org.roles.create(caller, RoleIn(title="Nurse", description=description), suggest=False)
    assert org.roles.get(caller, role.id).description == description
    assert org.roles.events(caller, role.id)[0].actor == f"token:{'n' * longest}@acme"

    with org.engine.begin() as connection:  # a token named before the bound
        connection.execute(update(ApiToken).values(name="o" * 120))
    older = org.roles.tokens.authenticate(token)
    assert len(older.actor) == 120 and older.actor.endswith("o…@acme")
    org.roles.update(older, role.id, RoleUpdate(version=1, family="Care"))

    with pytest.raises(InputError, match="at most 120"):
        org.roles.local_admin("acme", "cli:" + "x" * 117)
    with pytest.raises(InputError, match="at most 120"):
        org.roles.tokens.create("acme", "sync", "viewer", "cli:" + "x" * 117)
    with pytest.raises(InputError, match="its name is 201 characters; at most 200"):
        org.roles.create_organisation("initech", "i" * 201)


def test_a_field_whose_occupation_value_has_a_long_citation_can_still_be_overridden(org):
    """The value replaced is kept with its citation, which a person's rationale makes as long as
    they wrote it: beyond its column, the override failed on PostgreSQL and MariaDB."""
    role = nurse(org)
    org.values.set_value("29-1141.00", SKILL, 4.0, kind=SourceKind.CUSTOM, confidence=0.9, actor="analyst",
                         rationale="measured in our own survey of " + "ward " * 60)  # fmt: skip
    org.roles.override(EDITOR, role, SKILL, 6.5, "our nurses read clinical research")
    [diff] = org.roles.diff(ADMIN, role)
    assert (diff.custom, diff.default, diff.upstream_then) == (6.5, 4.0, "4")
