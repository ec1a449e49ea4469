"""What describes an occupation in words, for the imputer to find similar ones."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from jobforge.sources.onet import tables as t


def occupation_texts(connection: Connection) -> dict[str, str]:
    """Per O*NET-SOC code: its title three times (what it is counts most), then its alternate
    titles, description, tasks and technology skills."""
    parts: dict[str, list[str]] = defaultdict(list)
    for code, title, description in connection.execute(
        select(t.Occupation.soc_code, t.Occupation.title, t.Occupation.description)
    ):
        parts[code] += [title, title, title, description]
    for model, column in (
        (t.AlternateTitle, t.AlternateTitle.title),
        (t.TaskStatement, t.TaskStatement.task),
        (t.TechnologySkill, t.TechnologySkill.example),
    ):
        for code, text in connection.execute(select(model.soc_code, column)):
            parts[code].append(text)
    return {code: " ".join(texts) for code, texts in parts.items()}
