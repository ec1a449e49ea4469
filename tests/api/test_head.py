"""HEAD is answered wherever GET is: the same status and headers, no body."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    ["/health", "/occupations/11-1011.00", "/occupations/99-9999.00", "/", "/occupation/11-1011.00", "/nowhere"],
)
def test_head_answers_as_get_without_the_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content) > 0


def test_head_of_a_route_that_only_takes_post_is_still_refused(client):
    head = client.head("/roles/bulk/override")
    assert head.status_code == 405 and "POST" in head.headers["allow"]
