"""The pages' labels in English and French, and which language a request gets.

Only labels are translated here. Data keeps the language it exists in (O*NET, NOC, OaSIS and the
TBS pages held here are English; a company role says its own): a page marks such text with its
`lang` so that a screen reader pronounces it right and a reader sees it was not translated.
"""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("en", "fr")
COOKIE = "jobforge_lang"

# key: (English, French)
LABELS: dict[str, tuple[str, str]] = {
    "site": ("JobForge", "JobForge"),
    "skip": ("Skip to content", "Passer au contenu"),
    "nav": ("Main", "Principal"),
    "home": ("Search", "Recherche"),
    "gap": ("Skill gap", "Écart de compétences"),
    "coding": ("Title coding", "Codage des titres"),
    "tbs": ("TBS groups", "Groupes du SCT"),
    "noc": ("NOC 2021", "CNP 2021"),
    "noc_broad_categories": ("NOC 2021 broad categories", "Grandes catégories professionnelles de la CNP 2021"),
    "noc_in_it": ("Groups in it", "Groupes qu'il comprend"),
    # the five levels, as NOC 2021 names them in each language
    "noc_level_1": ("Broad category", "Grande catégorie professionnelle"),
    "noc_level_2": ("Major group", "Grand groupe"),
    "noc_level_3": ("Sub-major group", "Sous-grand groupe"),
    "noc_level_4": ("Minor group", "Groupe intermédiaire"),
    "noc_level_5": ("Unit group", "Groupe de base"),
    "admin": ("Roles admin", "Administration des postes"),
    "switch": ("Français", "English"),
    "switch_label": ("Afficher en français", "Show in English"),
    "attribution": (
        "Includes information from the O*NET 29.3 Database by the U.S. Department of Labor, Employment "
        "and Training Administration (USDOL/ETA), used under the CC BY 4.0 license; NOC 2021 (Statistics "
        "Canada) and OaSIS 2023 (ESDC) under the Open Government Licence – Canada.",
        "Comprend des renseignements de la base O*NET 29.3 du département du Travail des États-Unis "
        "(USDOL/ETA), utilisés sous licence CC BY 4.0; la CNP 2021 (Statistique Canada) et le SIPEC 2023 "
        "(EDSC) sous la Licence du gouvernement ouvert – Canada.",
    ),
    "english_only": ("Data shown in English, the language it exists in.", "Données en anglais, leur langue d’origine."),
    "search_label": (
        "Occupation, NOC unit group or job title",
        "Profession, groupe de base de la CNP ou titre d’emploi",
    ),
    "search_button": ("Search", "Rechercher"),
    "status": ("Data status", "État des données"),
    "live_release": ("Live O*NET release", "Version O*NET en service"),
    "no_release": ("No O*NET release loaded", "Aucune version O*NET chargée"),
    "occupations_count": ("Occupations", "Professions"),
    "unit_groups_count": ("NOC unit groups", "Groupes de base de la CNP"),
    "mappings_count": ("Crosswalk mappings", "Correspondances"),
    "results_for": ("Results for", "Résultats pour"),
    "occupations": ("O*NET occupations", "Professions O*NET"),
    "unit_groups": ("NOC unit groups", "Groupes de base de la CNP"),
    "coder": ("Title coder’s best guesses", "Meilleures hypothèses du codeur de titres"),
    "nothing": ("Nothing found.", "Aucun résultat."),
    "via_alternate": ("via alternate title", "par un autre titre"),
    "code": ("Code", "Code"),
    "title": ("Title", "Titre"),
    "score": ("Score", "Score"),
    "evidence": ("Evidence", "Indice"),
    "decision": ("Decision", "Décision"),
    "accept": ("accept", "accepter"),
    "review": ("needs review", "à vérifier"),
    "description": ("Description", "Description"),
    "job_zone": ("Job zone", "Zone d’emploi"),
    "tasks": ("Tasks", "Tâches"),
    "core": ("core", "principale"),
    "supplemental": ("supplemental", "complémentaire"),
    "technology": ("Technology skills", "Compétences technologiques"),
    "hot": ("hot technology", "technologie en vogue"),
    "tools": ("Tools used", "Outils"),
    "education": ("Education", "Études"),
    "related": ("Related occupations", "Professions connexes"),
    "alternate_titles": ("Alternate titles", "Autres titres"),
    "ratings": ("Ratings", "Évaluations"),
    "element": ("Element", "Élément"),
    "value": ("Value", "Valeur"),
    "source": ("Source", "Source"),
    "confidence": ("Confidence", "Confiance"),
    "provenance": ("Provenance", "Provenance"),
    "chart_of": ("chart of", "graphique de"),
    "scale": ("scale", "échelle"),
    "table_view": ("Values as a table", "Valeurs en tableau"),
    "noc_codes": ("NOC 2021 unit groups (crosswalk)", "Groupes de base de la CNP 2021 (correspondance)"),
    "soc_codes": ("O*NET-SOC occupations (crosswalk)", "Professions O*NET-SOC (correspondance)"),
    "history": ("History", "Historique"),
    "recorded": ("Recorded", "Enregistré"),
    "replaced": ("Replaced", "Remplacé"),
    "state": ("State", "État"),
    "citation": ("Citation", "Référence"),
    "method": ("Method", "Méthode"),
    "rationale": ("Rationale", "Justification"),
    "override_events": ("Override events", "Remplacements"),
    "from_value": ("From", "De"),
    "to_value": ("To", "À"),
    "from_source": ("Source (from)", "Source (de)"),
    "to_source": ("Source (to)", "Source (à)"),
    "when": ("When", "Quand"),
    "who": ("Who", "Qui"),
    "served_values": ("Served values", "Valeurs servies"),
    "attribute": ("Attribute", "Attribut"),
    "export": ("Export", "Exporter"),
    "hierarchy": ("Hierarchy", "Hiérarchie"),
    "definition": ("Definition", "Définition"),
    "oasis_profiles": ("OaSIS profiles", "Profils du SIPEC"),
    "example_titles": ("Example titles", "Exemples de titres"),
    "authoritative_values": ("OaSIS values (authoritative)", "Valeurs du SIPEC (faisant autorité)"),
    "aggregate_values": ("O*NET values aggregated over the mapped occupations", "Valeurs O*NET agrégées"),
    "contributions": ("Contributions", "Contributions"),
    "tbs_groups": ("TBS occupational groups", "Groupes professionnels du SCT"),
    "tbs_none": (
        "No TBS snapshot yet: run `jobforge tbs scrape`.",
        "Aucun instantané du SCT : lancez `jobforge tbs scrape`.",
    ),
    "inclusions": ("Inclusions", "Inclusions"),
    "exclusions": ("Exclusions", "Exclusions"),
    "from_label": ("From (occupation title or code, or role:N)", "De (titre ou code de profession, ou role:N)"),
    "to_label": ("To (occupation title or code, or role:N)", "À (titre ou code de profession, ou role:N)"),
    "domain": ("Domain", "Domaine"),
    "compare": ("Compare", "Comparer"),
    "gap_value": ("Gap", "Écart"),
    "imputed_share": ("Profile imputed", "Profil imputé"),
    "profile_imputed": (
        "%s of this occupation's own ratings are imputed: these moves are judged on estimates to that extent.",
        "%s des cotes de cette profession sont imputées : ces transitions reposent d’autant sur des estimations.",
    ),
    "no_gap": ("No element is needed at a higher level.", "Aucun élément n’est requis à un niveau plus élevé."),
    "download_csv": ("Download CSV", "Télécharger en CSV"),
    "transitions": ("Career transitions", "Transitions de carrière"),
    "transitions_from": ("Career transitions from", "Transitions de carrière depuis"),
    "similarity": ("Similarity", "Similarité"),
    "gap_elements": ("Elements to raise", "Éléments à relever"),
    "titles_label": ("Job titles, one per line", "Titres d’emploi, un par ligne"),
    "upload_label": (
        "Or a text file of titles, or a CSV file with a job title column",
        "Ou un fichier texte de titres, ou un fichier CSV avec une colonne de titres de poste",
    ),
    "system": ("Classification", "Classification"),
    "candidates": ("Candidates", "Candidats"),
    "code_titles": ("Code titles", "Coder les titres"),
    "no_evidence": (
        "Evidence is shown for up to 200 titles at a time; send fewer to see it.",
        "Les indices sont donnés pour 200 titres au plus à la fois; envoyez-en moins pour les voir.",
    ),
    "sign_in": ("Sign in", "Se connecter"),
    "sign_out": ("Sign out", "Se déconnecter"),
    "token_label": ("API token", "Jeton d’API"),
    "signed_in_as": ("Signed in as", "Connecté en tant que"),
    "roles": ("Roles", "Postes"),
    "family": ("Family", "Famille"),
    "unit": ("Unit", "Unité"),
    "level": ("Level", "Niveau"),
    "approved": ("Approved code", "Code approuvé"),
    "none": ("none", "aucun"),
    "filter": ("Filter", "Filtrer"),
    "words": ("Words", "Mots"),
    "field": ("Field", "Champ"),
    "inherited": ("Inherited", "Hérité"),
    "custom": ("Custom", "Personnalisé"),
    "override": ("Override", "Remplacer"),
    "override_any": ("Any field, by its attribute key", "N’importe quel champ, par sa clé d’attribut"),
    "reason": ("Reason", "Motif"),
    "restore": ("Restore", "Rétablir"),
    "diff": ("Differences from the inherited data", "Écarts par rapport aux données héritées"),
    "no_diff": ("The role overrides nothing.", "Le poste ne remplace aucune donnée."),
    "review_queue": ("Code review", "Révision des codes"),
    "approve": ("Approve", "Approuver"),
    "reject": ("Reject", "Rejeter"),
    "pending": ("pending", "en attente"),
    "bulk": ("Bulk override and copy", "Remplacement en bloc et copie"),
    "role_ids": ("Role numbers, separated by commas or spaces", "Numéros de postes, séparés par virgules ou espaces"),
    "apply": ("Apply", "Appliquer"),
    "copy": ("Copy overrides", "Copier les remplacements"),
    "copy_from": ("From role", "Du poste"),
    "attributes_opt": ("Only these attributes (optional)", "Seulement ces attributs (facultatif)"),
    "updates": ("Updates available", "Mises à jour disponibles"),
    "no_updates": ("No override has an upstream change waiting.", "Aucun remplacement n’attend de mise à jour."),
    "accept_upstream": ("Take the new value", "Prendre la nouvelle valeur"),
    "dismiss": ("Keep mine", "Garder la mienne"),
    "audit": ("Audit log", "Journal d’audit"),
    "tokens": ("Tokens", "Jetons"),
    "name": ("Name", "Nom"),
    "access": ("Access", "Accès"),
    "created": ("Created", "Créé"),
    "revoked": ("Revoked", "Révoqué"),
    "revoke": ("Revoke", "Révoquer"),
    "create_token": ("Create a token", "Créer un jeton"),
    "new_token": ("New token (shown once):", "Nouveau jeton (affiché une seule fois) :"),
    "event": ("Event", "Événement"),
    "detail": ("Detail", "Détail"),
    "done": ("Done.", "Fait."),
    "error": ("Error", "Erreur"),
    "previous": ("Previous", "Précédent"),
    "next": ("Next", "Suivant"),
    "of": ("of", "sur"),
    "noc_not_loaded": (
        "No NOC unit groups are loaded: run `jobforge noc load`.",
        "Aucun groupe de base de la CNP n'est chargé : lancez `jobforge noc load`.",
    ),
    "onet_not_loaded": (
        "No O*NET release is loaded: run `jobforge onet load`.",
        "Aucune version d'O*NET n'est chargée : lancez `jobforge onet load`.",
    ),
    "role": ("Role", "Poste"),
    "status_col": ("Status", "Statut"),
    "update_available": ("update available", "mise à jour disponible"),
    "upstream_then": ("Inherited when overridden", "Hérité lors du remplacement"),
    "default_now": ("Inherited now", "Hérité maintenant"),
    "language": ("Language", "Langue"),
    "source_onet": ("O*NET", "O*NET"),
    "source_authoritative": ("authoritative", "faisant autorité"),
    "source_imputed": ("imputed", "imputé"),
    "source_custom": ("custom", "personnalisé"),
    # rating domains (O*NET's and OaSIS's categories)
    "skills": ("Skills", "Compétences"),
    "knowledge": ("Knowledge", "Connaissances"),
    "knowledges": ("Knowledge", "Connaissances"),
    "abilities": ("Abilities", "Capacités"),
    "work_activities": ("Work activities", "Activités de travail"),
    "work_context": ("Work context", "Contexte de travail"),
    "work_styles": ("Work styles", "Styles de travail"),
    "personal_attributes": ("Personal attributes", "Attributs personnels"),
    "interests": ("Interests", "Intérêts"),
    "work_values": ("Work values", "Valeurs professionnelles"),
    "education_training_experience": ("Education, training and experience", "Études, formation et expérience"),
    "coverage": ("Coverage", "Couverture"),
    "queue": ("Job queue", "File des tâches"),
    "job_queued": ("queued", "en attente"),
    "job_running": ("running", "en cours"),
    "job_done": ("done", "terminées"),
    "job_failed": ("failed", "en échec"),
    "high": ("high", "élevée"),
    "medium": ("medium", "moyenne"),
    "low": ("low", "faible"),
    "core_tasks": ("Core tasks", "Tâches principales"),
    "technology_skills": ("Technology skills", "Compétences technologiques"),
    "main_duties": ("Main duties", "Fonctions principales"),
    "employment_requirements": ("Employment requirements", "Conditions d’accès"),
    "employment_outlook": ("Employment outlook (COPS)", "Perspectives d’emploi (SPPC)"),
    "onet_mapped": ("Mapped to O*NET", "Liée à O*NET"),
    "active": ("active", "actif"),
    "archived": ("archived", "archivé"),
    "any": ("any", "tous"),
    "new_role": ("New role", "Nouveau poste"),
    "create_role": ("Create the role", "Créer le poste"),
    "import_roles": ("Or import many roles from a CSV file", "Ou importer plusieurs postes d’un fichier CSV"),
    "import_help": (
        "A header row names the columns: title (required), description, family, unit, level, language (en or fr), "
        "initial_code. All rows are imported or none: the page names every line at fault.",
        "Une ligne d’en-tête nomme les colonnes : title (obligatoire), description, family, unit, level, language "
        "(en ou fr), initial_code. Toutes les lignes sont importées ou aucune : la page nomme chaque ligne fautive.",
    ),
    "csv_file": ("CSV file", "Fichier CSV"),
    "download_roles": ("Download every role of this status (CSV)", "Télécharger tous les postes de ce statut (CSV)"),
    "import": ("Import", "Importer"),
    "initial_code": ("Initial code (O*NET-SOC or NOC, optional)", "Code initial (SOC d’O*NET ou CNP, facultatif)"),
    "details": ("Details", "Détails"),
    "edit_details": (
        "Edit the title, description, family, unit, level or language",
        "Modifier le titre, la description, la famille, l’unité, le niveau ou la langue",
    ),
    "save": ("Save", "Enregistrer"),
    "propose_code": ("Propose a code", "Proposer un code"),
    "code_to_propose": ("Code (O*NET-SOC or NOC)", "Code (SOC d’O*NET ou CNP)"),
    "propose": ("Propose", "Proposer"),
    "proposal_reason": ("Why this code", "Pourquoi ce code"),
    "archive_reason": ("Why it is archived", "Motif de l’archivage"),
    "unarchive": ("Unarchive the role", "Désarchiver le poste"),
    "unarchive_reason": ("Why it is back", "Motif du retour"),
    "ask_coder": ("Ask the title coder again", "Redemander au codeur de titres"),
    "archive": ("Archive the role", "Archiver le poste"),
    "archived_note": (
        "This role is archived: it is kept, read-only.",
        "Ce poste est archivé : il est conservé, en lecture seule.",
    ),
    "yes": ("yes", "oui"),
    "no": ("no", "non"),
}


# What a form's post says on the page it redirects to: key → (English, French), filled with the post's values.
SAID: dict[str, tuple[str, str]] = {
    "signed_in": ("signed in: {actor} ({access})", "connexion : {actor} ({access})"),
    "role_created": (
        "role {role} created; its codes wait for review",
        "poste {role} créé ; ses codes attendent la vérification",
    ),
    "roles_imported": (
        "{created:,} roles imported (ids {first}–{last}); {suggestions:,} codes wait for review",
        "{created} postes importés (numéros {first} à {last}) ; {suggestions} codes attendent la vérification",
    ),
    "details_saved": ("role {role}: details saved", "poste {role} : détails enregistrés"),
    "details_unchanged": ("role {role}: details unchanged", "poste {role} : détails inchangés"),
    "code_proposed": ("role {role}: {code} proposed for review", "poste {role} : {code} proposé pour vérification"),
    "coder_proposed": (
        "role {role}: the title coder's codes proposed for review",
        "poste {role} : les codes du codeur de titres proposés pour vérification",
    ),
    "role_archived": ("role {role} archived", "poste {role} archivé"),
    "role_unarchived": ("role {role} unarchived", "poste {role} désarchivé"),
    "overridden": ("{attribute} overridden", "{attribute} remplacé"),
    "restored": ("{attribute} restored to the inherited value", "{attribute} rétabli à la valeur héritée"),
    "upstream_accepted": ("role {role} {attribute}: accepted", "poste {role}, {attribute} : mise à jour acceptée"),
    "upstream_dismissed": ("role {role} {attribute}: dismissed", "poste {role}, {attribute} : mise à jour écartée"),
    "approved": (
        "role {role}: {code} approved ({changed} inherited fields changed)",
        "poste {role} : {code} approuvé ({changed} champs hérités modifiés)",
    ),
    "rejected": ("role {role}: suggestion {suggestion} rejected", "poste {role} : suggestion {suggestion} rejetée"),
    "bulk_overridden": (
        "{attribute} overridden on {roles} roles ({unchanged} unchanged)",
        "{attribute} remplacé sur {roles} postes ({unchanged} inchangés)",
    ),
    "copied": (
        "copied to {roles} roles ({written} values written)",
        "copié vers {roles} postes ({written} valeurs écrites)",
    ),
    "token_revoked": ("token {name} revoked", "jeton {name} révoqué"),
}


def language(request: Request) -> str:
    """`?lang=` first (the switch), then the cookie it sets, then the browser's Accept-Language."""
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return asked
    return preferred(request.headers.get("accept-language", ""))


def preferred(header: str) -> str:
    """The best of LANGUAGES by an Accept-Language header's q-values; English when none is acceptable."""
    best, best_q = "en", 0.0
    for part in header.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES and quality > best_q:
            best, best_q = primary, quality
    return best


def translator(lang: str):
    index = LANGUAGES.index(lang)

    def translate(key: str) -> str:
        """The label; a key the catalogue lacks (a domain a new release adds) shows as itself, readable."""
        pair = LABELS.get(key)
        return pair[index] if pair else key.replace("_", " ").capitalize()

    return translate


def said(lang: str, flash: dict | None) -> str | None:
    """What the last post said, in the language of the page that shows it (the post may have come
    from a page in the other language, or a tab that switched since)."""
    if not flash:
        return None
    values = dict(flash)
    return SAID[values.pop("said")][LANGUAGES.index(lang)].format(**values)
