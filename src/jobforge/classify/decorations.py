"""What job postings add to a title that says nothing of the occupation.

"Warehouse Associate - 1st Shift - $18/hr", "Accountant (m/w/d)", "Hiring Now: Welder",
"Registered Nurse - Toronto, ON": pay, shifts, requisition numbers, gender marks, hiring slogans,
where and how the job is worked. Read as words they mislead: "hr" is human resources, "sign" and
"bonus" are words of other occupations' names, and an unknown "earn" is a typo away from "barn".
So they go before the title is read. Pay, numbers and gender marks are recognised anywhere by
their form; a slogan only as a whole part of the title between separators ("Welder - Immediate
Start"), so that "Urgent Care Nurse" or "On-Site Supervisor" keep their words; a place only at the
end, as a city with its US state's or Canadian province's code. No name of the O*NET or NOC
indexes changes (tests/classify/test_decorations.py keeps the index's names as they were).
"""

from __future__ import annotations

import re

_PERIOD = r"(?:\s?(?:/|\bper\s+|\ban?\s+)\s?(?:hrs?|hours?|h|yr|years?|annum|wk|weeks?|months?|mo)\b)"
_NUMBER = r"\d[\d,.]*+\s?[kK]?"  # possessive: a run of digits and commas is never re-read (500 of them: 12 ms)
_AMOUNT = rf"[$€£]\s?{_NUMBER}"
_PAY = re.compile(
    rf"(?:\bearn\s+)?(?:\bup\s+to\s+)?(?:"
    rf"{_AMOUNT}(?:\s?(?:-|–|\bto\b)\s?(?:{_AMOUNT}|{_NUMBER}))?{_PERIOD}?"
    rf"|\b{_NUMBER}(?:\s?(?:-|–|\bto\b)\s?{_NUMBER})?{_PERIOD}"
    rf")",
    re.IGNORECASE,
)
_REQUISITION = re.compile(
    r"(?:\b(?:req(?:uisition)?|job|posting|ref(?:erence)?)\b\.?\s*(?:id|no|number)?\.?\s*[#:]?\s*|#\s?)"
    r"[A-Za-z]{0,4}\d[\w-]*",
    re.IGNORECASE,
)
_GENDER_MARK = re.compile(
    r"\(\s*[mwfhdx]\s*/\s*[mwfhdx](?:\s*/\s*[mwfhdxi])*\s*\)|\b(?:m/[wf]|w/m|f/[mh]|h/f)(?:/[dxi])?\b"
    r"|\(\s*all\s+genders?\s*\)",
    re.IGNORECASE,
)
# US states and Canadian provinces, less the codes that are also words of titles (OR operating
# room, PA physician assistant, MD, MA medical assistant, CT, IN, ME, OK, HI, DE, LA, CO, MS, ID, PE, NS)
_REGIONS = (
    "AL AK AZ AR CA DC FL GA IL IA KS KY MI MN MO MT NE NV NH NJ NM NY NC ND OH RI SC SD TN TX UT VT VA WA "
    "WV WI WY AB BC MB NB NL NT NU ON QC SK YT"
)
_CITY = r"[A-Z][A-Za-z.']*(?:\s[A-Z][A-Za-z.']*){0,2}"
_REGION = rf"{_CITY},\s*(?:{'|'.join(_REGIONS.split())})\.?"
_PLACE = re.compile(rf"(?:\s(?:[-–|@]|in)\s+{_REGION}|\s*\(\s*{_REGION}\s*\))\s*$")
_SEPARATOR = re.compile(r"(\s[-–|]\s|[:()!,]|\s{2,})")
SLOGANS = frozenset(
    {
        "hiring now",
        "now hiring",
        "urgently hiring",
        "urgent hiring",
        "hiring immediately",
        "immediate start",
        "immediate hire",
        "immediate opening",
        "immediate openings",
        "start immediately",
        "sign on bonus",
        "signing bonus",
        "weekly pay",
        "daily pay",
        "same day pay",
        "competitive pay",
        "no experience necessary",
        "no experience required",
        "no experience needed",
        "apply today",
        "apply now",
        "new grads welcome",
        "work from home",
        "wfh",
        "remote",
        "fully remote",
        "hybrid",
        "on site",
        "onsite",
        "in office",
        "1st shift",
        "2nd shift",
        "3rd shift",
        "first shift",
        "second shift",
        "third shift",
        "day shift",
        "night shift",
        "flexible schedule",
        "relocation assistance",
        "visa sponsorship",
        "shift differential",
        "shift differentials",
        "paid training",
        "great pay",
        "top pay",
        "urgent",
        "new",
        "hot job",
    }
)
_WORD = re.compile(r"[^\W_]+")
# A title with none of these has no decoration to take off (the index's names mostly): read as it is
_MAY_BE_DECORATED = re.compile(r"[\d$€£#/():!,|–]|\s-\s|\s\s")


def undecorated(title: str) -> str:
    """The title without what postings add to it, its separators kept (the head word is found by
    them); "" when nothing else was in it."""
    if not _MAY_BE_DECORATED.search(title):
        return title
    text = _PLACE.sub("", _GENDER_MARK.sub(" ", _REQUISITION.sub(" ", _PAY.sub(" ", title))))
    parts = _SEPARATOR.split(text)
    kept = [
        part for part in parts if _SEPARATOR.fullmatch(part) or " ".join(_WORD.findall(part.lower())) not in SLOGANS
    ]
    return "".join(kept).strip(" -–|:,!")
