"""Welsh beside English: which texts have a Welsh twin, what is untranslated or out of date.

Every printed text field `x` of a model has a twin `x_cy` (profiles.models.welsh; fixtures
use the same names). A row's `welsh_sources` remembers, per field, digests of its English
and its Welsh when the Welsh was written: when the English changes afterwards and the Welsh
does not, the Welsh "needs translation" until someone writes it again (in the editor, or by
importing a translation, which vouches for it with `mark_translated`).
"""

import hashlib
import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from profiles.models import (
    Behaviour,
    Criterion,
    Item,
    NosUnit,
    PostDetail,
    RoleProfile,
    Section,
    StandardSection,
)
from profiles.printing.styles import DEFAULT_LABELS

WELSH = "cy"
SUFFIX = "_cy"
# The models whose rows remember what their Welsh was written for.
SOURCED = [RoleProfile, PostDetail, Section, Item, Criterion, Behaviour, StandardSection, NosUnit]

# The default printed labels in Welsh; a force's own Welsh labels win over them.
DEFAULT_LABELS_CY = {
    "title": "Teitl y swydd",
    "reference_code": "Cyfeirnod",
    "job_evaluation_ref": "Cyfeirnod gwerthuso swydd",
    "post_number": "Rhif y swydd",
    "grade": "Gradd",
    "job_family": "Teulu swyddi",
    "service_area": "Maes gwasanaeth",
    "business_area": "Maes busnes",
    "department": "Adran",
    "location": "Lleoliad",
    "reports_to": "Yn atebol i",
    "people_responsibility": "Cyfrifoldeb goruchwylio",
    "number_of_posts": "Nifer y swyddi",
    "working_arrangement": "Trefniant gweithio",
    "officer_or_staff": "Swyddog neu staff",
    "home_office_function": "Cod swyddogaeth y Swyddfa Gartref",
    "limited_duties_category": "Categori dyletswyddau cyfyngedig",
    "section_name": "Adain",
    "internal_contacts": "Cysylltiadau mewnol",
    "external_contacts": "Cysylltiadau allanol",
    "purpose": "Diben",
    "vetting_level": "Lefel fetio",
    "date_reviewed": "Dyddiad adolygu",
    "review_due": "Adolygiad nesaf",
    "prepared_by": "Paratowyd gan",
    "approved_by": "Cymeradwywyd gan",
    "evaluation_panel": "Panel gwerthuso",
    "date": "Dyddiad",
    "methods": "Dull asesu",
    "essential": "Meini prawf hanfodol",
    "desirable": "Meini prawf dymunol",
    "authorisation": "Manylion awdurdodi",
    "behaviours": "Ymddygiadau",
    "values": "Gwerthoedd",
    "skills": "Sgiliau",
    "post_details": "Manylion y swydd",
    "criteria": "Manyleb yr unigolyn",
    "shortlisting": "Llunio rhestr fer",
    "nos": "Safonau Galwedigaethol Cenedlaethol",
    "welsh_language": "Y Gymraeg",
}
assert set(DEFAULT_LABELS) <= set(DEFAULT_LABELS_CY)
CATEGORIES_CY = {
    "essential": "Cymraeg yn hanfodol",
    "to_be_learnt": "Cymraeg i’w dysgu ar ôl penodi",
    "desirable": "Cymraeg yn ddymunol",
    "not_necessary": "Cymraeg ddim yn angenrheidiol",
}
LEVEL_WORD = {"en": "Level", "cy": "Lefel"}
LANGUAGE_LABEL = {"en": "Welsh language", "cy": "Y Gymraeg"}


def level_choice(level):
    """How a Welsh level reads in a select: its number and what it means."""
    return f"{level.level} – {level.description[:100]}"


def translated_fields(model):
    """The English names of the model's fields that have a Welsh twin."""
    names = {field.name for field in model._meta.concrete_fields}
    return [
        name[: -len(SUFFIX)]
        for name in sorted(names)
        if name.endswith(SUFFIX) and name[: -len(SUFFIX)] in names
    ]


def digest(text):
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


def welsh_of(obj, name):
    return getattr(obj, name + SUFFIX) or ""


def needs_translation(obj, name):
    """The Welsh was written for an English text that has changed since."""
    welsh = welsh_of(obj, name)
    source = (getattr(obj, "welsh_sources", None) or {}).get(name)
    return bool(welsh) and source is not None and source[0] != digest(getattr(obj, name))


def label_twin(field, english_label, needs_translation):
    """Label a form's Welsh field after its English one, saying when it needs translation."""
    field.label = f"{english_label} (Cymraeg)"
    if needs_translation:
        field.label += " – " + _("needs translation")
        field.widget.attrs["class"] = "needs-translation"


def untranslated(obj, name):
    """An English text with no Welsh."""
    return bool(getattr(obj, name)) and not welsh_of(obj, name)


def mark_translated(obj, name):
    """The Welsh of `name` is right for the English as it is now (a translator said so)."""
    sources = dict(obj.welsh_sources or {})
    sources[name] = [digest(getattr(obj, name)), digest(welsh_of(obj, name))]
    obj.welsh_sources = sources


def keep_sources(sender, instance, **kwargs):
    """pre_save: a Welsh text written (or rewritten) now vouches for the English as it is now.

    A Welsh text saved unchanged keeps the English it was written for, so an English edit
    since leaves it "needs translation". Reads nothing from the database.
    """
    if not hasattr(instance, "welsh_sources"):
        return
    sources = dict(instance.welsh_sources or {})
    for name in translated_fields(sender):
        welsh = welsh_of(instance, name)
        if not welsh:
            sources.pop(name, None)
        elif sources.get(name, [None, None])[1] != digest(welsh):
            sources[name] = [digest(getattr(instance, name)), digest(welsh)]
    instance.welsh_sources = sources


def in_welsh(obj):
    """Print `obj` in Welsh: its English attributes take their Welsh where there is one.

    Only for objects fetched for one rendering (profiles.printing.document). Returns the names left
    in English because they have no Welsh.
    """
    left = []
    for name in translated_fields(type(obj)):
        welsh = welsh_of(obj, name)
        if welsh:
            setattr(obj, name, welsh)
        elif getattr(obj, name):
            left.append(name)
    return left


def welsh_labels(force, house_style, english_labels):
    """The printed labels in Welsh: the defaults, the house style's, then the force's own.

    A label the force left blank in English (to leave that heading out) stays blank.
    """
    house = dict(getattr(house_style, "labels", None) or {})
    blank = {name: "" for name, text in house.items() if text == ""}
    blank.update({name: "" for name, text in (force.label_overrides or {}).items() if text == ""})
    return {
        **DEFAULT_LABELS_CY,
        **blank,
        **(getattr(house_style, "labels_cy", None) or {}),
        **(force.label_overrides_cy or {}),
        **{name: english_labels[name] for name in english_labels if name not in DEFAULT_LABELS_CY},
    }


def _check(text, welsh, source, label, out):
    if text and not welsh:
        out["untranslated"].append(label)
    elif welsh and source is not None and source[0] != digest(text):
        out["stale"].append(label)


def draft_gaps(draft):
    """{"untranslated": [...], "stale": [...]}: what a Welsh print of the draft lacks.

    Reads the draft's rows and the national texts already fetched with it (competency and
    vetting level names), so it issues no query.
    """
    out = {"untranslated": [], "stale": []}
    fields = draft.fields
    sources = fields.get("welsh_sources") or {}
    # The fields are named in the interface's language.
    labels = DEFAULT_LABELS_CY if get_language() == WELSH else DEFAULT_LABELS
    for name in fields:
        english = name[: -len(SUFFIX)]
        if name.endswith(SUFFIX) and english in fields:
            label = _("Post: %(field)s") % {"field": labels.get(english, _words(english))}
            _check(fields[english], fields[name], sources.get(english), label, out)
    for number, row in enumerate(draft.post_details, 1):
        _row_gaps(row, _("Post detail %(n)s") % {"n": number}, out)
    for number, section in enumerate(draft.sections, 1):
        _row_gaps(section, _("Section %(n)s") % {"n": number}, out)
        for item_number, item in enumerate(section.items, 1):
            where = _("Section %(n)s, item %(m)s") % {"n": number, "m": item_number}
            _row_gaps(item, where, out)
    for number, criterion in enumerate(draft.criteria, 1):
        _row_gaps(criterion, _("Criterion %(n)s") % {"n": number}, out)
    for number, behaviour in enumerate(draft.behaviours, 1):
        _row_gaps(behaviour, _("Behaviour %(n)s") % {"n": number}, out)
        competency = getattr(behaviour.level, "competency", None)
        if competency is not None and not competency.name_cy:
            out["untranslated"].append(
                _("Behaviour %(n)s: national name “%(name)s”") % {"n": number, "name": competency}
            )
    vetting = fields.get("vetting_level")
    if vetting is not None and not vetting.name_cy:
        out["untranslated"].append(_("Vetting level: national name “%(name)s”") % {"name": vetting})
    return out


def _words(name):
    return name.replace("_", " ")


def _row_gaps(row, where, out):
    sources = getattr(row, "welsh_sources", None) or {}
    for name in [n for n in row.names() if n.endswith(SUFFIX)]:
        english = name[: -len(SUFFIX)]
        label = f"{where}: {_words(english)}"
        _check(getattr(row, english), getattr(row, name), sources.get(english), label, out)


# What a source document says of the post's Welsh, strongest first: a document that calls
# Welsh essential anywhere makes it essential, and so on down.
CATEGORY_PATTERNS = [
    ("essential", re.compile(r"(?<!not )\bessential\b")),
    ("desirable", re.compile(r"\bdesirable\b")),
    (
        "to_be_learnt",
        re.compile(r"after appointment|training will be given|willing(ness)? to learn"),
    ),
    ("not_necessary", re.compile(r"not (necessary|required|essential|needed)")),
]
SENTENCE = re.compile(r"[^.;\n]+")
LEVEL = re.compile(r"\blevel (\d)\b")


def _welsh_sentences(texts):
    for text in texts:
        for sentence in SENTENCE.findall((text or "").lower()):
            if "welsh" in sentence or "cymraeg" in sentence:
                yield sentence


def stated_category(texts):
    """The Welsh language category the texts state ("Ability to speak Welsh is desirable."
    → desirable), or ""."""
    sentences = list(_welsh_sentences(texts))
    for category, pattern in CATEGORY_PATTERNS:
        if any(pattern.search(sentence) for sentence in sentences):
            return category
    return ""


def stated_level(texts):
    """The level number the texts give Welsh ("Level 1 welsh"), or None."""
    for sentence in _welsh_sentences(texts):
        found = LEVEL.search(sentence)
        if found:
            return int(found.group(1))
    return None
