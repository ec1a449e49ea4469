"""Job titles reduced to the words that decide the occupation.

Titles arrive abbreviated ("Sr. Data Eng."), decorated with shift and contract words
("RN - ICU nights"), in either gender and with or without accents ("Technicienne en
informatique"), and in either word order ("engineer, civil"). The index and the queries go
through the same reduction, so what is ignored on one side is ignored on the other: the
classifier compares bags of words, which already makes word order irrelevant.
"""

from __future__ import annotations

import re
import unicodedata

from jobforge.classify.decorations import undecorated

# Abbreviations seen in job postings and HR systems, expanded to the words O*NET and NOC use.
ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "asst": "assistant",
    "assoc": "associate",
    "eng": "engineer",
    "engr": "engineer",
    "tech": "technician",
    "techs": "technicians",
    "admin": "administrator",
    "dir": "director",
    "supv": "supervisor",
    "supvr": "supervisor",
    "spec": "specialist",
    "coord": "coordinator",
    "rep": "representative",
    "reps": "representatives",
    "exec": "executive",
    "acct": "accountant",
    "dev": "developer",
    "prog": "programmer",
    "sci": "scientist",
    "prof": "professor",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "avp": "assistant vice president",
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "cio": "chief information officer",
    "cmo": "chief marketing officer",
    "cno": "chief nursing officer",
    "rn": "registered nurse",
    "lpn": "licensed practical nurse",
    "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant",
    "np": "nurse practitioner",
    "crna": "certified registered nurse anesthetist",
    "pa": "physician assistant",
    "md": "physician",
    "emt": "emergency medical technician",
    "icu": "intensive care unit",
    "er": "emergency room",
    "ot": "occupational therapist",
    "slp": "speech language pathologist",
    "dds": "dentist",
    "cpa": "certified public accountant",
    "hr": "human resources",
    "it": "information technology",
    "qa": "quality assurance",
    "qc": "quality control",
    "ui": "user interface",
    "ux": "user experience",
    "sw": "software",
    "swe": "software engineer",
    "sde": "software development engineer",
    "sre": "site reliability engineer",
    "dba": "database administrator",
    "ai": "artificial intelligence",
    "ml": "machine learning",
    "hvac": "heating ventilation air conditioning",
    "cnc": "computer numerical control",
    "cad": "computer aided design",
    "pr": "public relations",
    "mfg": "manufacturing",
    "maint": "maintenance",
    "ops": "operations",
    "svc": "service",
    "svcs": "services",
    "cust": "customer",
    "mktg": "marketing",
    "govt": "government",
    "intl": "international",
    "natl": "national",
    "dept": "department",
    "gen": "general",
    "mech": "mechanic",
    "elec": "electrical",
    "lab": "laboratory",
    "med": "medical",
    "sys": "systems",
    "info": "information",
    "ed": "education",
    "hs": "high school",
    "k12": "kindergarten twelfth grade",
}

# Words that say how senior, when or on what terms, not which occupation.
NOISE_WORDS = frozenset(
    {
        "senior",
        "junior",
        "staff",
        "lead",
        "level",
        "entry",
        "intern",
        "trainee",
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "1",
        "2",
        "3",
        "4",
        "5",
        "night",
        "nights",
        "day",
        "days",
        "evening",
        "evenings",
        "weekend",
        "weekends",
        "shift",
        "shifts",
        "overnight",
        "part",
        "full",
        "time",
        "per",
        "diem",
        "prn",
        "temporary",
        "temp",
        "contract",
        "contractor",
        "remote",
        "hybrid",
        "seasonal",
        "casual",
        "permanent",
        "ft",
        # French
        "temps",
        "plein",
        "partiel",
        "nuit",
        "soir",
    }
)

# Function words of English and French titles ("Director of Sales", "technicien en informatique").
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "to",
        "at",
        "by",
        "with",
        "or",
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
        "en",
        "et",
        "au",
        "aux",
        "pour",
        "dans",
        "sur",
        "ou",
        "un",
        "une",
    }
)

# French feminine endings mapped to the masculine, so both genders meet ("technicienne" → "technicien").
_FEMININE = (
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("trices", "teur"),
    ("trice", "teur"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("ieres", "ier"),
    ("iere", "ier"),
)
_GENDER_SUFFIX = re.compile(r"\((?:e|ne|le|se|ere|iere|euse|rice|trice|es|nes)\)s?", re.IGNORECASE)
_MAN_WOMAN = re.compile(r"\b(\w*)m([ae])n\s*/\s*\w*wom[ae]n\b", re.IGNORECASE)  # "foreman/woman" → "foreman"
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits of any script
# "R.N.", "L.P.N", "U.S.": letters one by one with dots are one word ("rn", then "registered nurse")
_INITIALISM = re.compile(r"\b[^\W\d_](?:\.[^\W\d_])+\.?(?!\w)")


def fold(text: str) -> str:
    """Lower case without accents (é → e), so "Ingénieur" and "ingenieur" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A light stemmer: plurals and French feminine forms, nothing that merges different jobs."""
    for ending, replacement in _FEMININE:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + replacement
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(title: str) -> list[str]:
    """The title's deciding words, in order: without a posting's decorations (unless nothing else
    is in it), expanded, folded, stemmed, without noise."""
    return _words(undecorated(title)) or _words(title)


def _words(title: str) -> list[str]:
    text = _MAN_WOMAN.sub(r"\1m\2n", _GENDER_SUFFIX.sub("", title)).replace("&", " and ")
    text = _INITIALISM.sub(lambda initials: initials.group().replace(".", ""), text)
    expanded: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        expanded.extend(ABBREVIATIONS.get(token, token).split())
    kept = [stem(w) for w in expanded if w not in STOP_WORDS]
    deciding = [w for w in kept if w not in NOISE_WORDS]
    return deciding or kept or expanded  # "Senior" alone stays "senior", "À" stays "a", rather than nothing


def normalize(title: str) -> str:
    return " ".join(words(title))
