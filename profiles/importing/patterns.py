"""What the importer's parser recognises: the patterns and words of headings, labels,
criteria tables and weightings, shared by the parts of profiles.importing.parser."""

import re

from profiles.importing.vocabulary import norm

# ("Role Description" alone is a purpose heading: seed 000)
DOCUMENT_TYPE = re.compile(
    r"^(?:(?:national|national policing|police staff|police officer|generic) )?"
    r"(?:(?:role profile|job description|job profile)(?: form| template)?|role description form)$"
)
# Column headers of a criteria table that say what each column holds.
CRITERION_HEADERS = {
    "criteria",
    "criterion",
    "requirement",
    "requirements",
    "attribute",
    "attributes",
    "description",
    "person specification",
    "selection criteria",
    "criteria description",
    "specification",
}
CATEGORY_HEADERS = {
    "area",
    "criteria area",
    "category",
    "criteria category",
    "requirement area",
    "competency area",
    "type",
    "heading",
}
CODE_HEADERS = {
    "code",
    "shortlisting code",
    "short listing code",
    "sl code",
    "criteria code",
    "criterion code",
    "ref",
    "ref no",
    "shortlisting",
    "shortlisting ref",
    "no",
    "number",
}
METHOD_HEADER = re.compile(
    r"^(?:method|assessed|how assessed|how evidenced|means of assessment|to be assessed"
    r"|when assessed|where assessed|assessment method|stage assessed|how measured)"
)
REQUIREMENT_WORDS = {"essential", "desirable", "e", "d", "or", "and", "criteria", "requirement"}
# "(E)", "(Desirable)", "– essential" after a criterion, or "Essential:" before it
REQUIREMENT_MARK = re.compile(
    r"^(?P<text>.*?\S)\s*(?:\((?P<a>e|d|essential|desirable)\)|[–—-]\s*(?P<b>essential|desirable))$"
    r"|^(?P<c>essential|desirable)\s*[:–—-]\s*(?P<rest>\S.*)$",
    re.I,
)
# Columns of a person specification that are ticked for the stage assessing each criterion.
STAGE_HEADER = re.compile(
    r"^(?:application( form)?|interview|(online |written |typing |psychometric )?tests?"
    r"|assessment( centre)?|presentation|exercise|work sample|references?)$"
)
TICK = re.compile(r"^(?:[✓✔☑√xX•]|yes|y)$", re.I)
WEIGHTING_HEADER = re.compile(
    r"^(?:%|time %|% of time|% time|weighting|time weighting|percentage)$"
)
APPENDIX = re.compile(r"^appendix [a-z0-9]{1,3}$")
PERCENT = re.compile(r"^\(?\s*(\d{1,3}(?:\.\d{1,2})?)\s*%\s*\)?$")
TRAILING_PERCENT = re.compile(r"^(.*?\S)\s*[\(\[–-]?\s*(\d{1,3}(?:\.\d{1,2})?)\s*%\s*[\)\]]?$")
# Possessive quantifiers and no optional lead-in of spaces: a long run of spaces costs one
# pass, not one pass per start position (issue 26).
TOTAL = re.compile(r"(?:\(\s*+|\b)total\s*+:?\s*+(\d{1,3}(?:\.\d{1,2})?)\s*+%\s*+\)?", re.I)
NUMBER_ONLY = re.compile(r"^\d{1,2}[.)]?$")
LETTER_CELL = re.compile(r"^[A-Z][.)]$")
CODE = re.compile(r"^[A-Z]{2}\d{1,2}$")
REFERENCE = re.compile(r"^([A-Z]{1,4}\d{3,6})\s+(.+)$")
GRADE_TOKEN = re.compile(r"^([A-Z]{1,3}\s?\d{1,2}[A-Z]?)\s+(.+)$")
PROGRESSION_STEP = re.compile(r"^([A-Z]{1,4}\s?\d{1,2}[a-z]?)\s+(.+)$")
SENTENCE_END = re.compile(r"[.!?;]$")
INTRO_HINT = re.compile(
    r"^note\b|not (intended to be )?(an? )?(exhaustive|comprehensive|complete)|illustrative", re.I
)
# The mark our own documents print after a criterion (templates/pdf/_requirement_mark.html).
PRINTED_MARK = re.compile(r"\s*\((essential|desirable)\)$", re.I)
REQUIREMENT = re.compile(
    r"^(essential|desirable|desired|additional useful|additional|useful)"
    r"( criteria| requirements| skills| qualifications| experience)?$"
)
ITEM_TABLE_HEADERS = set(
    "no number ref duty duties responsibility responsibilities task tasks activity activities "
    "key activities accountability accountabilities time weighting percentage time weighting "
    "of time description".split()
) | {"", "time", "key tasks", "key duties", "main duties", "key responsibilities", "weighting"}
ITEM_KINDS = {
    "responsibilities",
    "general_tasks",
    "specific_tasks",
    "dimensions",
    "decision_making",
    "contacts",
    "requirements",
    "additional_information",
    "progression",
    "notes",
}


def words_in(text):
    return len(text.split())


def title_like(text):
    """A short line written like a heading: no sentence end, long words capitalised."""
    if SENTENCE_END.search(text) or words_in(text) > 7:
        return False
    long_words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if len(w) > 3]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


def label_like(text):
    """A short phrase that starts with a capital and is no sentence: a form's label."""
    text = text.strip()
    return 0 < words_in(text) <= 5 and text[:1].isupper() and not SENTENCE_END.search(text)


def requirement_of(text):
    key = norm(text)
    match = REQUIREMENT.match(key)
    if not match:
        return None
    return "essential" if match.group(1) == "essential" else "desirable"
