"""What the classifier learns from, read from the loaded data of one classification system.

Names are job titles known to belong to an occupation (its own title, O*NET alternate and
reported titles, OaSIS example titles, the French NOC titles); context is what describes the
occupation (description, tasks, technology, main duties) and only breaks ties between names.
Titles of the other system reach an occupation through the NOC ↔ O*NET-SOC crosswalk as
"borrowed" names: weaker, since one NOC unit group maps to several SOC codes and back.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from jobforge.classify.names import Corpus, Name, Origin
from jobforge.classify.rules import System
from jobforge.sources.noc import tables as n
from jobforge.sources.onet import tables as t

_FRENCH_NAME_FIELD = "Nom_de_la_profession"  # the COPS column with the French unit-group title


def read_corpus(connection: Connection, system: System) -> Corpus:
    return _onet_corpus(connection) if system is System.onet else _noc_corpus(connection)


def _onet_corpus(connection: Connection) -> Corpus:
    titles: dict[str, str] = {}
    names: list[Name] = []
    context: dict[str, list[str]] = defaultdict(list)
    for code, title, description in connection.execute(
        select(t.Occupation.soc_code, t.Occupation.title, t.Occupation.description)
    ):
        titles[code] = title
        names.append(Name(title, code, Origin.title))
        context[code].append(description)
    for code, title, short in connection.execute(
        select(t.AlternateTitle.soc_code, t.AlternateTitle.title, t.AlternateTitle.short_title)
    ):
        names.append(Name(title, code, Origin.alternate))
        if short:
            names.append(Name(short, code, Origin.short))
    names += [
        Name(title, code, Origin.reported)
        for code, title in connection.execute(select(t.ReportedTitle.soc_code, t.ReportedTitle.title))
    ]
    for table, column in ((t.TaskStatement, t.TaskStatement.task), (t.TechnologySkill, t.TechnologySkill.example)):
        for code, text in connection.execute(select(table.soc_code, column)):
            context[code].append(text)
    crosswalk = _crosswalk(connection)
    for name in _noc_names(connection):
        origin = Origin.french if name.origin is Origin.french else Origin.borrowed
        names += [Name(name.text, soc_code, origin) for soc_code in crosswalk.get(name.code, ()) if soc_code in titles]
    return Corpus(System.onet, titles, names, dict(context))


def _noc_corpus(connection: Connection) -> Corpus:
    titles: dict[str, str] = {}
    context: dict[str, list[str]] = defaultdict(list)
    for code, title, definition in connection.execute(
        select(n.NocGroup.code, n.NocGroup.title, n.NocGroup.definition).where(n.NocGroup.level == 5)
    ):
        titles[code] = title
        context[code].append(definition or "")
    names = [name for name in _noc_names(connection) if name.code in titles]
    for code, text in connection.execute(
        select(n.OasisProfile.unit_group, n.OasisStatement.text)
        .join(n.OasisProfile, n.OasisProfile.profile_code == n.OasisStatement.profile_code)
        .where(n.OasisStatement.kind.in_(("lead_statement", "main_duty")))
    ):
        context[code].append(text or "")
    to_noc: dict[str, list[str]] = defaultdict(list)
    for noc_code, soc_codes in _crosswalk(connection).items():
        for soc_code in soc_codes:
            to_noc[soc_code].append(noc_code)
    borrowed = select(t.AlternateTitle.soc_code, t.AlternateTitle.title).union_all(
        select(t.Occupation.soc_code, t.Occupation.title)
    )
    for soc_code, title in connection.execute(borrowed):
        names += [Name(title, noc_code, Origin.borrowed) for noc_code in to_noc.get(soc_code, ()) if noc_code in titles]
    return Corpus(System.noc, titles, names, dict(context))


def _noc_names(connection: Connection) -> list[Name]:
    """Unit-group titles, OaSIS labels and example titles, and the French titles, by unit group."""
    queries = (
        (Origin.title, select(n.NocGroup.code, n.NocGroup.title).where(n.NocGroup.level == 5)),
        (Origin.label, select(n.OasisProfile.unit_group, n.OasisProfile.label)),
        (
            Origin.example,
            select(n.OasisProfile.unit_group, n.OasisStatement.text)
            .join(n.OasisProfile, n.OasisProfile.profile_code == n.OasisStatement.profile_code)
            .where(n.OasisStatement.kind == "example_title", n.OasisStatement.text.is_not(None)),
        ),
        (
            Origin.french,
            select(n.CopsProjection.code, n.CopsProjection.text_value)
            .distinct()
            .where(n.CopsProjection.field == _FRENCH_NAME_FIELD, n.CopsProjection.text_value.is_not(None)),
        ),
    )
    return [Name(text, code, origin) for origin, query in queries for code, text in connection.execute(query)]


def _crosswalk(connection: Connection) -> dict[str, list[str]]:
    mapped: dict[str, list[str]] = defaultdict(list)
    for noc_code, soc_code in connection.execute(select(n.NocSocMapping.noc_code, n.NocSocMapping.soc_code)):
        mapped[noc_code].append(soc_code)
    return mapped
