"""A force's texts that need Welsh, out to its translators as XLIFF 2.0 and back in.

XLIFF 2.0 (OASIS) is the exchange format translation tools read and write (memoQ, Trados,
Phrase, OmegaT, Weblate …): one <unit> per text, its English <source> and its Welsh
<target>. Each unit's id names the row and field it came from (`item.123.text`), so a
returned file is matched by id, never by position. An import is refused whole, naming the
ids, when a unit's id is not one of the force's texts (unknown) or its <source> is no
longer the English as it stands (stale: the English changed after the export). Otherwise
every translated unit is written in one transaction, and its Welsh counts as written for
the English as it is now (profiles.welsh.mark_translated): "needs translation" clears.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from lxml import etree

from profiles import welsh
from profiles.models import (
    AuditAction,
    Behaviour,
    Criterion,
    Item,
    PostDetail,
    RoleProfile,
    Section,
    StandardSection,
    Status,
)
from profiles.services import editing

NS = "urn:oasis:names:tc:xliff:document:2.0"
MAX_XLIFF_BYTES = 10 * 2**20
# Id prefix → model; each model's rows are found through the force.
MODELS = {
    "profile": RoleProfile,
    "postdetail": PostDetail,
    "section": Section,
    "item": Item,
    "criterion": Criterion,
    "behaviour": Behaviour,
    "standardsection": StandardSection,
}
FORCE_PATH = {
    RoleProfile: "force",
    PostDetail: "profile__force",
    Section: "profile__force",
    Item: "section__profile__force",
    Criterion: "profile__force",
    Behaviour: "profile__force",
    StandardSection: "force",
}
PROFILE_PATH = {
    RoleProfile: "pk",
    PostDetail: "profile_id",
    Section: "profile_id",
    Item: "section__profile_id",
    Criterion: "profile_id",
    Behaviour: "profile_id",
}


class TranslationRefused(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, message, ids=()):
        self.ids = list(ids)
        if self.ids:
            shown = ", ".join(self.ids[:50])
            more = f" and {len(self.ids) - 50} more" if len(self.ids) > 50 else ""
            message = f"{message}: {shown}{more}."
        super().__init__(message)


@dataclass
class Unit:
    id: str
    source: str
    target: str
    note: str = ""


def _rows(force, model):
    """The force's rows of `model` a translator may change: not of archived profiles."""
    rows = model.objects.filter(**{FORCE_PATH[model]: force})
    if model is RoleProfile:
        return rows.exclude(status=Status.ARCHIVED)
    if model is not StandardSection:
        prefix = FORCE_PATH[model].removesuffix("force")
        rows = rows.exclude(**{f"{prefix}status": Status.ARCHIVED})
    return rows


def units_needing_translation(force):
    """Every text of the force whose Welsh is missing or out of date, as Units in a stable
    order (profiles by title, then each row)."""
    units = []
    for prefix, model in MODELS.items():
        fields = welsh.translated_fields(model)
        for row in _rows(force, model).order_by("pk"):
            for name in fields:
                if welsh.untranslated(row, name) or welsh.needs_translation(row, name):
                    units.append(
                        Unit(
                            id=f"{prefix}.{row.pk}.{name}",
                            source=getattr(row, name),
                            target=welsh.welsh_of(row, name),
                            note=f"{model._meta.verbose_name}: {name.replace('_', ' ')}",
                        )
                    )
    return units


def export_xliff(force):
    """The force's texts needing Welsh as an XLIFF 2.0 document (bytes)."""
    root = etree.Element(
        f"{{{NS}}}xliff", nsmap={None: NS}, version="2.0", srcLang="en-GB", trgLang="cy-GB"
    )
    file = etree.SubElement(root, f"{{{NS}}}file", id=force.slug)
    for unit in units_needing_translation(force):
        element = etree.SubElement(file, f"{{{NS}}}unit", id=unit.id)
        notes = etree.SubElement(element, f"{{{NS}}}notes")
        etree.SubElement(notes, f"{{{NS}}}note", category="location").text = unit.note
        segment = etree.SubElement(
            element, f"{{{NS}}}segment", state="translated" if unit.target else "initial"
        )
        etree.SubElement(segment, f"{{{NS}}}source").text = unit.source
        etree.SubElement(segment, f"{{{NS}}}target").text = unit.target
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text(element):
    """The text of a <source> or <target>, inline markup flattened to its text."""
    return "" if element is None else "".join(element.itertext())


def parse_xliff(data):
    """The Units of an XLIFF 2.0 document; TranslationRefused if it is not one."""
    if len(data) > MAX_XLIFF_BYTES:
        raise TranslationRefused(f"The file is larger than {MAX_XLIFF_BYTES // 2**20} MB.")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise TranslationRefused("The file declares a DTD or entities; XLIFF needs neither.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise TranslationRefused(f"The file is not well-formed XML ({error.msg}).") from error
    if root.tag != f"{{{NS}}}xliff" or root.get("version") != "2.0":
        raise TranslationRefused("The file is not an XLIFF 2.0 document.")
    if (root.get("trgLang") or "").split("-")[0].lower() != "cy":
        raise TranslationRefused("The file's target language (trgLang) is not Welsh (cy).")
    units = []
    for element in root.iter(f"{{{NS}}}unit"):
        segments = element.findall(f"{{{NS}}}segment")
        units.append(
            Unit(
                id=element.get("id") or "",
                source="".join(_text(s.find(f"{{{NS}}}source")) for s in segments),
                target="".join(_text(s.find(f"{{{NS}}}target")) for s in segments),
            )
        )
    return units


def _locate(force, units):
    """{unit id: (row, field)} for the units naming one of the force's texts, and the rest."""
    wanted = {}
    unknown = []
    for unit in units:
        prefix, _, rest = unit.id.partition(".")
        pk, _, name = rest.partition(".")
        model = MODELS.get(prefix)
        if model is None or not pk.isdigit() or name not in welsh.translated_fields(model):
            unknown.append(unit.id)
            continue
        wanted.setdefault(model, {})[int(pk)] = None
    found = {}
    for model, pks in wanted.items():
        for row in _rows(force, model).filter(pk__in=list(pks)):
            found[(model, row.pk)] = row
    located = {}
    for unit in units:
        if unit.id in unknown:
            continue
        prefix, pk, name = unit.id.split(".")
        row = found.get((MODELS[prefix], int(pk)))
        if row is None:
            unknown.append(unit.id)
        else:
            located[unit.id] = (row, name)
    return located, unknown


def import_xliff(force, data, user=None):
    """Write the Welsh of a returned XLIFF file; returns how many texts were written.

    Refused whole (TranslationRefused, naming the ids) for unknown or stale units.
    """
    units = parse_xliff(data)
    if not units:
        raise TranslationRefused("The file holds no units.")
    repeated = sorted({u.id for u in units if [v.id for v in units].count(u.id) > 1})
    if repeated:
        raise TranslationRefused("These ids appear more than once", repeated)
    located, unknown = _locate(force, units)
    if unknown:
        raise TranslationRefused("These ids are not texts of this force", unknown)
    stale = [
        unit.id
        for unit in units
        if getattr(located[unit.id][0], located[unit.id][1]) != unit.source
    ]
    if stale:
        raise TranslationRefused(
            "The English of these texts changed after the export; export them again", stale
        )
    written, profiles = 0, set()
    with transaction.atomic():
        for unit in units:
            if not unit.target.strip():
                continue
            row, name = located[unit.id]
            setattr(row, name + welsh.SUFFIX, unit.target)
            welsh.mark_translated(row, name)
            row.save(update_fields=[name + welsh.SUFFIX, "welsh_sources"])
            written += 1
            if type(row) in PROFILE_PATH:
                profiles.add(_profile_pk(row))
        # An editor open on one of these profiles saves on a stale copy: refused, not lost.
        RoleProfile.objects.filter(pk__in=profiles).update(revision=F("revision") + 1)
        for profile in RoleProfile.objects.filter(pk__in=profiles):
            editing.record(profile, user, AuditAction.EDIT, "Welsh imported from a translation.")
    return written


def _profile_pk(row):
    if isinstance(row, RoleProfile):
        return row.pk
    if isinstance(row, Item):
        return Section.objects.filter(pk=row.section_id).values_list("profile_id", flat=True)[0]
    return row.profile_id
