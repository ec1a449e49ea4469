"""Occupation codes: checking their form before any lookup, with the expected form in the error."""

from __future__ import annotations

import re

from jobforge.errors import InvalidCodeError

ONET_SOC_PATTERN = re.compile(r"\d\d-\d\d\d\d\.\d\d")
ONET_SOC_FORM = "NN-NNNN.NN (e.g. 15-1252.00)"


def onet_soc(code: str, what: str = "O*NET-SOC code") -> str:
    """`code` stripped, if it is an O*NET-SOC code; else InvalidCodeError naming the form."""
    cleaned = code.strip()
    if not ONET_SOC_PATTERN.fullmatch(cleaned):
        raise InvalidCodeError(f"{what} '{code}' is not of the form {ONET_SOC_FORM}")
    return cleaned


NOC_UNIT_GROUP_FORM = "five digits, leading zeros kept (e.g. 00010)"


def noc_unit_group(code: str) -> str:
    """`code` stripped, if it is a five-digit NOC 2021 code; else InvalidCodeError naming the form."""
    cleaned = code.strip()
    if not (len(cleaned) == 5 and cleaned.isdigit()):
        raise InvalidCodeError(f"NOC code '{code}' is not of the form {NOC_UNIT_GROUP_FORM}")
    return cleaned


# Value-store entities are codes prefixed with their system.
ONET_ENTITY, NOC_ENTITY, OASIS_ENTITY = "onet:", "noc:", "oasis:"
OASIS_PROFILE_PATTERN = re.compile(r"\d{5}\.\d\d")


def value_entity(code: str) -> str:
    """The value-store entity a code names: `onet:<O*NET-SOC>`, `noc:<unit group>` or
    `oasis:<profile, NNNNN.NN>`; a code already carrying one of those prefixes is checked and kept."""
    cleaned = code.strip()
    scheme, _, rest = cleaned.partition(":")
    if rest and scheme + ":" == ONET_ENTITY:
        return ONET_ENTITY + onet_soc(rest)
    if rest and scheme + ":" == NOC_ENTITY:
        return NOC_ENTITY + noc_unit_group(rest)
    if rest and scheme + ":" == OASIS_ENTITY and OASIS_PROFILE_PATTERN.fullmatch(rest):
        return cleaned
    if ONET_SOC_PATTERN.fullmatch(cleaned):
        return ONET_ENTITY + cleaned
    if len(cleaned) == 5 and cleaned.isdigit():
        return NOC_ENTITY + cleaned
    if OASIS_PROFILE_PATTERN.fullmatch(cleaned):
        return OASIS_ENTITY + cleaned
    raise InvalidCodeError(f"'{code}' names no entity: give an O*NET-SOC code ({ONET_SOC_FORM}), a NOC unit "
                           f"group ({NOC_UNIT_GROUP_FORM}) or an OaSIS profile (NNNNN.NN, e.g. 21231.01), "
                           "optionally prefixed onet:, noc: or oasis:")
