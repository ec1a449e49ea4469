"""PROV-JSON and CSV export; retention that keeps everything unless a policy says otherwise."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from prov.model import ProvDocument
from prov.serializers.provjson import ProvJSONSerializer

from jobforge.errors import ConfigurationError
from jobforge.provenance.retention import RetentionPolicy, purge
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source
from jobforge.provenance.store import ValueStore
from jobforge.provenance.write import write_values
from tests.conftest import with_an_authoritative_override

CHIEF = "11-1011.00"
RELATIONS = {  # PROV-JSON relation: its required members and what they must name
    "wasGeneratedBy": {"prov:entity": "entity", "prov:activity": "activity"},
    "used": {"prov:activity": "activity", "prov:entity": "entity"},
    "wasDerivedFrom": {"prov:generatedEntity": "entity", "prov:usedEntity": "entity"},
    "wasAttributedTo": {"prov:entity": "entity", "prov:agent": "agent"},
    "wasAssociatedWith": {"prov:activity": "activity", "prov:agent": "agent"},
    "actedOnBehalfOf": {"prov:delegate": "agent", "prov:responsible": "agent"},
}


@pytest.fixture
def edited_kb(kb, sample_zip):
    with_an_authoritative_override(kb, sample_zip)
    return kb


def test_prov_json_is_a_valid_prov_document_with_every_relation_resolving(edited_kb):
    document = edited_kb.values.prov_json(CHIEF)

    parsed = ProvJSONSerializer(ProvDocument()).deserialize(io.StringIO(json.dumps(document)))
    values = edited_kb.values.served(CHIEF)
    assert len(list(parsed.get_records())) > 3 * len(values)
    for relation, members in RELATIONS.items():
        assert document[relation], f"no {relation}"
        for identifier, record in document[relation].items():
            for member, section in members.items():
                assert record[member] in document[section], f"{relation} {identifier}: {member} names nothing"
    generated = {record["prov:entity"] for record in document["wasGeneratedBy"].values()}
    assert generated == {f"jobforge:value/{value.id}" for value in values}
    override = next(v for v in values if v.attribute == "skills/2.A.1.a/LV")
    assert document["entity"][f"jobforge:value/{override.id}"]["prov:value"] == 6.0
    revisions = [r for r in document["wasDerivedFrom"].values() if r.get("prov:type") == "prov:Revision"]
    assert revisions == []  # overriding O*NET's value with an authoritative one derives nothing from it
    derivations = [r for r in document["wasDerivedFrom"].values() if "jobforge:row" in r]
    assert derivations and all(isinstance(r["jobforge:row"], int) for r in derivations)
    assert {a["prov:type"] for a in document["agent"].values()} == {
        "prov:SoftwareAgent",
        "prov:Person",
        "prov:Organization",
    }


def test_prov_json_links_a_revision_to_the_value_it_replaced(edited_kb):
    edited_kb.values.set_value(
        CHIEF, "skills/2.A.1.a/LV", 6.5, kind=SourceKind.AUTHORITATIVE, confidence=0.9, actor="analyst"
    )
    document = edited_kb.values.prov_json(CHIEF)
    history = edited_kb.values.history(CHIEF, "skills/2.A.1.a/LV")
    revisions = [r for r in document["wasDerivedFrom"].values() if r.get("prov:type") == "prov:Revision"]
    served = next(h for h in history if h.status == "served")
    earlier = next(h for h in history if h.value == 6.0)
    assert [(r["prov:generatedEntity"], r["prov:usedEntity"]) for r in revisions] == [
        (f"jobforge:value/{served.id}", f"jobforge:value/{earlier.id}")
    ]
    assert document["entity"][f"jobforge:value/{earlier.id}"]["jobforge:replacedAt"]


def test_csv_has_one_row_per_served_value_with_its_reference(edited_kb):
    rows = list(csv.DictReader(io.StringIO(edited_kb.values.csv(CHIEF))))

    assert len(rows) == len(edited_kb.values.served(CHIEF))
    edit = next(r for r in rows if r["attribute"] == "skills/2.A.1.a/LV")
    assert (edit["value"], edit["source_kind"], edit["actor"], edit["rationale"]) == (
        "6.0",
        "authoritative",
        "analyst",
        "ESDC OaSIS",
    )
    im = next(r for r in rows if r["attribute"] == "skills/2.A.1.a/IM")
    assert (im["release"], im["file_name"], im["row"]) == ("29.3", "Skills.txt", "2")


def test_purge_refuses_without_a_policy_and_changes_nothing(edited_kb):
    with pytest.raises(ConfigurationError, match="JOBFORGE_RETAIN_REPLACED_DAYS"):
        edited_kb.values.purge("tester")
    assert len(edited_kb.values.history(CHIEF, "skills/2.A.1.a/LV")) == 2


def test_purge_disposes_of_old_replaced_values_and_events_only_and_records_them(kb):
    long_ago = datetime.now(UTC) - timedelta(days=400)
    entity = "onet:00-0000.00"
    with kb.engine.begin() as connection:
        for day, value in enumerate((1.0, 2.0, 3.0)):
            write_values(
                connection,
                Source(SourceKind.ONET, "t", "t"),
                [Assertion(entity, "job_zone", value, 0.7)],
                now=long_ago + timedelta(days=day),
            )
        write_values(
            connection, Source(SourceKind.IMPUTED, "t", "t"), [Assertion(entity, "title", "x", 0.5)], now=long_ago
        )
    write_values_recent = Source(SourceKind.ONET, "t", "t")
    kb.values.write(write_values_recent, [Assertion(entity, "job_zone", 4.0, 0.7)])  # replaces 3.0 now
    store = ValueStore(kb.engine, RetentionPolicy(replaced_values_days=365, events_days=365))

    dry = store.purge("tester", dry_run=True)
    assert (dry.values_disposed, dry.events_disposed, dry.disposal_id) == (2, 2, None)
    assert len(store.history("00-0000.00", "job_zone")) == 4

    report = store.purge("tester")

    assert (report.values_disposed, report.events_disposed) == (2, 2)
    history = store.history("00-0000.00", "job_zone")
    assert [(h.value, h.status) for h in history] == [(3.0, "replaced"), (4.0, "served")]
    assert [v.value for v in store.served("00-0000.00", attribute_prefix="title")] == ["x"]  # live: never disposed
    assert [e.new_value for e in store.audit()] == ["4"]
    record = store.disposals()[0]
    assert (record["actor"], record["values_disposed"], record["events_disposed"]) == ("tester", 2, 2)
    assert "replaced values kept 365 days" in record["policy"]
    with kb.engine.connect() as connection:
        assert purge(connection, RetentionPolicy(replaced_values_days=365), "again").values_disposed == 0
