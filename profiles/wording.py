"""Advice on a profile's wording: words that put people off, hard reading, unexplained acronyms.

`findings(draft, extra_words)` reads a `ProfileDraft` (as saved, or the editor's unsaved input)
and returns `Finding`s, each naming the field it is about, the word or measure, and why. They
are advice: the publication checklist shows them, nothing refuses a save or a submission.

The word lists are published ones, trimmed for police role profiles:
- gender-coded words from Gaucher, Friesen and Kay (2011), "Evidence that gendered wording in
  job advertisements exists and sustains gender inequality", as the gender-decoder tool lists
  them ("domina*" finds "dominant"), kept to the words that describe a person: stems
  that in a role profile mostly name the work ("force", "lead", "analy", "individual",
  "objective", "support", "respon", "understand", "commit", "trust") are left out, or every
  profile would be flagged for saying what the job is. "strong" is added, as inclusive
  recruitment guides advise;
- words that exclude by age, disability, sex or nationality (the Equality Act 2010's protected
  characteristics, as ACAS's guide to job adverts names them);
- police acronyms with their expansions: an acronym is explained when its expansion appears in
  the profile before it, or where it is first used.
A force adds words of its own (`Force.flagged_words`: one per line, "word: why").
"""

import re
from dataclasses import dataclass

import textstat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profiles.draft import DRAFT_RELATED, PROFILE_PREFETCH, ProfileDraft
from profiles.models import RoleProfile, Status

# As gender-decoder writes them: "stem*" finds any word it begins, a bare word only itself.
MASCULINE_CODED = (
    "adventurous", "aggress*", "ambitio*", "assert*", "athlet*", "autonom*", "boast*",
    "competitive", "confident", "confidently", "courag*", "decisive", "domina*", "driven",
    "fearless", "fight*", "greedy", "headstrong", "hierarch*", "hostil*", "impulsive",
    "independen*", "intellect*", "outspoken", "persist*", "reckless", "self-confiden*",
    "self-relian*", "self-sufficien*", "strong", "stubborn", "superior", "unreasonab*",
)  # fmt: skip
FEMININE_CODED = (
    "affectionate", "cheer*", "communal", "compassion*", "considerate", "emotiona*", "empath*",
    "gentle", "interpersonal", "kinship", "loyal*", "modesty", "nurtur*", "pleasant*", "polite",
    "quiet*", "sensitiv*", "submissive", "sympath*", "tender*", "warm*", "yield*",
)  # fmt: skip
EXCLUSIONARY = {
    "young": gettext_lazy("speaks of age (Equality Act 2010): say what the work needs instead"),
    "youthful": gettext_lazy("speaks of age (Equality Act 2010): say what the work needs instead"),
    "energetic": gettext_lazy(
        "reads as a preference for younger people: say what the work needs instead"
    ),
    "recent graduate": gettext_lazy("speaks of age: name the qualification instead"),
    "digital native": gettext_lazy("speaks of age: name the digital skills instead"),
    "mature": gettext_lazy("speaks of age: say what the work needs instead"),
    "native english": gettext_lazy(
        "speaks of nationality or race: name the level of English instead"
    ),
    "native speaker": gettext_lazy(
        "speaks of nationality or race: name the level of language instead"
    ),
    "mother tongue": gettext_lazy(
        "speaks of nationality or race: name the level of language instead"
    ),
    "able-bodied": gettext_lazy(
        "excludes disabled people: name the physical demands of the work instead"
    ),
    "able bodied": gettext_lazy(
        "excludes disabled people: name the physical demands of the work instead"
    ),
    "manpower": gettext_lazy("gendered: say staffing or workforce"),
    "chairman": gettext_lazy("gendered: say chair"),
    "his/her": gettext_lazy("prefer 'their' or 'you'"),
    "he/she": gettext_lazy("prefer 'they' or 'you'"),
    "he or she": gettext_lazy("prefer 'they' or 'you'"),
    "his or her": gettext_lazy("prefer 'their' or 'you'"),
}
ACRONYMS = {
    "ACPO": "Association of Chief Police Officers",
    "ANPR": "Automatic Number Plate Recognition",
    "ASB": "anti-social behaviour",
    "BPSS": "Baseline Personnel Security Standard",
    "CID": "Criminal Investigation Department",
    "CPD": "continuing professional development",
    "CPS": "Crown Prosecution Service",
    "CSE": "child sexual exploitation",
    "CSO": "Community Support Officer",
    "CTC": "Counter-Terrorist Check",
    "CVF": "Competency and Values Framework",
    "DBS": "Disclosure and Barring Service",
    "DV": "Developed Vetting",
    "HMICFRS": "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services",
    "HOLMES": "Home Office Large Major Enquiry System",
    "IOPC": "Independent Office for Police Conduct",
    "MAPPA": "Multi-Agency Public Protection Arrangements",
    "MASH": "Multi-Agency Safeguarding Hub",
    "MV": "Management Vetting",
    "NCALT": "National Centre for Applied Learning Technologies",
    "NOS": "National Occupational Standards",
    "NPCC": "National Police Chiefs' Council",
    "NPPV": "Non-Police Personnel Vetting",
    "PACE": "Police and Criminal Evidence Act",
    "PCSO": "Police Community Support Officer",
    "PDR": "performance and development review",
    "PNC": "Police National Computer",
    "PND": "Police National Database",
    "PPF": "Policing Professional Framework",
    "PSD": "Professional Standards Department",
    "RIPA": "Regulation of Investigatory Powers Act",
    "RV": "Recruitment Vetting",
    "SC": "Security Check",
    "SIO": "Senior Investigating Officer",
}
DESIRABLE_WORDS = (
    "ideally", "preferably", "preferable", "desirable", "an advantage", "advantageous",
    "beneficial", "nice to have", "would be useful",
)  # fmt: skip

# Below this Flesch reading ease a part is hard to read (50 is "fairly difficult" on Flesch's
# scale; plain-English guides ask for 60); a sentence of more words than this is long.
READING_EASE_FLOOR = 50
LONG_SENTENCE_WORDS = 30
# A measure of readability needs some text to mean anything.
MIN_WORDS_TO_MEASURE = 40


@dataclass(frozen=True)
class Finding:
    field: str  # "purpose", "criteria[3]", "sections[1].items[2]", …
    label: str  # where a person sees it: "Purpose", "Essential criterion 3", …
    word: str  # the word found, or the measure
    why: str


def _coded_pattern(words):
    alternatives = [
        re.escape(word[:-1]) + r"[\w-]*" if word.endswith("*") else re.escape(word)
        for word in words
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)


MASCULINE_RE = _coded_pattern(MASCULINE_CODED)
FEMININE_RE = _coded_pattern(FEMININE_CODED)
ACRONYM_RE = re.compile(r"\b(" + "|".join(sorted(ACRONYMS, key=len, reverse=True)) + r")\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def parse_extra_words(text):
    """A force's own list, one "word: why" a line (why optional) → {word: why}."""
    words = {}
    for line in (text or "").splitlines():
        word, _colon, why = line.partition(":")
        if word.strip():
            words[word.strip().lower()] = why.strip() or _("on the force's own list")
    return words


def texts_of(draft):
    """(field, label, text) for every text a profile prints that a person wrote, in print order."""
    fields = draft.fields
    yield "title", _("Title"), fields.get("title", "")
    yield "purpose", _("Purpose"), fields.get("purpose", "")
    for s, section in enumerate(draft.sections):
        heading = section.heading or section.kind.replace("_", " ").capitalize()
        if section.intro:
            yield (
                f"sections[{s}].intro",
                _("%(heading)s: introduction") % {"heading": heading},
                section.intro,
            )
        for i, item in enumerate(section.items):
            yield (
                f"sections[{s}].items[{i}]",
                _("%(heading)s, item %(n)s") % {"heading": heading, "n": i + 1},
                item.text,
            )
    for c, criterion in enumerate(draft.criteria):
        if criterion.requirement == "essential":
            label = _("Essential criterion %(n)s") % {"n": c + 1}
        else:
            label = _("Desirable criterion %(n)s") % {"n": c + 1}
        yield f"criteria[{c}]", label, criterion.text


def parts_of(draft):
    """(field, label, text) per part, for the readability measures."""
    yield "purpose", _("Purpose"), draft.fields.get("purpose", "")
    for s, section in enumerate(draft.sections):
        heading = section.heading or section.kind.replace("_", " ").capitalize()
        text = " ".join([section.intro, *(item.text for item in section.items)])
        yield f"sections[{s}]", heading, text
    yield "criteria", _("Criteria"), " ".join(c.text for c in draft.criteria)


def word_findings(field, label, text, extra_words):
    found = []
    lower = text.lower()
    for match in MASCULINE_RE.finditer(text):
        found.append(
            Finding(
                field,
                label,
                match.group(0).lower(),
                _("masculine-coded word: research finds it puts women off applying"),
            )
        )
    for match in FEMININE_RE.finditer(text):
        found.append(
            Finding(
                field,
                label,
                match.group(0).lower(),
                _("feminine-coded word: balance it, or say what the work needs"),
            )
        )
    for word, why in {**EXCLUSIONARY, **extra_words}.items():
        if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", lower):
            found.append(Finding(field, label, word, why))
    return found


def acronym_findings(draft):
    found, explained = [], set()
    seen_text = ""
    for field, label, text in texts_of(draft):
        seen_text += " " + text.lower()
        for match in ACRONYM_RE.finditer(text):
            acronym = match.group(1)
            if acronym in explained:
                continue
            explained.add(acronym)
            if ACRONYMS[acronym].lower() not in seen_text:
                found.append(
                    Finding(
                        field,
                        label,
                        acronym,
                        _(
                            "acronym not explained: write '%(meaning)s (%(acronym)s)' "
                            "where it is first used"
                        )
                        % {"meaning": ACRONYMS[acronym], "acronym": acronym},
                    )
                )
    return found


def readability_findings(field, label, text):
    found = []
    if textstat.lexicon_count(text) >= MIN_WORDS_TO_MEASURE:
        ease = textstat.flesch_reading_ease(text)
        if ease < READING_EASE_FLOOR:
            found.append(
                Finding(
                    field,
                    label,
                    _("reading ease %(ease).0f") % {"ease": ease},
                    _(
                        "hard to read (Flesch reading ease under %(floor)s): "
                        "use shorter sentences and plainer words"
                    )
                    % {"floor": READING_EASE_FLOOR},
                )
            )
    for sentence in SENTENCE_END.split(text):
        words = len(sentence.split())
        if words > LONG_SENTENCE_WORDS:
            found.append(
                Finding(
                    field,
                    label,
                    _("%(n)s-word sentence") % {"n": words},
                    _("long sentence (over %(n)s words): split it") % {"n": LONG_SENTENCE_WORDS},
                )
            )
    return found


def desirable_findings(draft):
    found = []
    for c, criterion in enumerate(draft.criteria):
        if criterion.requirement != "essential":
            continue
        lower = criterion.text.lower()
        for word in DESIRABLE_WORDS:
            if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", lower):
                found.append(
                    Finding(
                        f"criteria[{c}]",
                        _("Essential criterion %(n)s") % {"n": c + 1},
                        word,
                        _("'%(word)s' says this is desirable, yet it is marked essential")
                        % {"word": word},
                    )
                )
    return found


def findings(draft, extra_words=None):
    """Every finding on the draft, in print order of the fields, words before measures."""
    extra_words = extra_words or {}
    found = []
    for field, label, text in texts_of(draft):
        found += word_findings(field, label, text, extra_words)
    found += desirable_findings(draft)
    found += acronym_findings(draft)
    for field, label, text in parts_of(draft):
        found += readability_findings(field, label, text)
    return found


def force_findings(force):
    """[(profile, [Finding])] for the force's current profiles (not archived), by title."""
    extra = parse_extra_words(force.flagged_words)
    profiles = (
        RoleProfile.objects.filter(force=force)
        .exclude(status=Status.ARCHIVED)
        .select_related(*DRAFT_RELATED)
        .prefetch_related(*PROFILE_PREFETCH)
        .order_by("title", "slug")
    )
    return [(profile, findings(ProfileDraft.from_profile(profile), extra)) for profile in profiles]
