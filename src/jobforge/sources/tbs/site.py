"""What the TBS occupational-groups pages are expected to look like, in each language.

The English header set is the published one. The French page is expected with the same table
in the same order under these French headers (the shared data holds no French capture; the
tests serve French pages built this way, so a real difference shows up as a loud failure).
"""

from __future__ import annotations

DEFAULT_BASE_URL = "https://www.canada.ca"
GROUPS_PATH = {
    "en": "/en/treasury-board-secretariat/services/collective-agreements/occupational-groups.html",
    "fr": "/fr/secretariat-conseil-tresor/services/conventions-collectives/groupes-professionnels.html",
}
SECTION_PREFIX = {"en": "/en/treasury-board-secretariat/", "fr": "/fr/secretariat-conseil-tresor/"}
LINK_KINDS = (
    "definition",
    "job_evaluation_standard",
    "qualification_standard",
    "bargaining_update",
    "collective_agreement",
    "rates_of_pay_represented",
    "rates_of_pay_unrepresented",
)
HEADERS = {
    "en": [
        "Group abbreviation",
        "Code",
        "Occupational Group (post 1999)",
        "Group",
        "Subgroup",
        "Definition",
        "Job evaluation standard",
        "Qualification standard",
        "Bargaining update",
        "Collective agreement",
        "Rates of pay for represented employees",
        "Rates of pay for unrepresented/senior excluded employees",
    ],
    "fr": [
        "Abréviation du groupe",
        "Code",
        "Groupe professionnel (après 1999)",
        "Groupe",
        "Sous-groupe",
        "Définition",
        "Norme d'évaluation des emplois",
        "Norme de qualification",
        "Mise à jour des négociations",
        "Convention collective",
        "Taux de rémunération des employés représentés",
        "Taux de rémunération des employés non représentés et exclus",
    ],
}
ROW_BOUNDS = (150, 300)  # the English page has 217 rows; far outside this means the page changed
PARSER_VERSION = "tbs-1"
USER_AGENT = "JobForge/{version} (+https://github.com/jobforge; occupational data research; polite crawler)"
