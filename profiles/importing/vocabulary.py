"""The words a parser recognises: headings, post-detail labels and the national names.

Headings and labels are matched on a normalised form (lower case, `&` as "and",
punctuation as spaces), whole, never as a prefix of a sentence.
"""

import re
from dataclasses import dataclass, field


def norm(text):
    text = text.lower().replace("&", " and ").replace("’", "'")
    return " ".join(re.sub(r"[^a-z0-9']+", " ", text).replace("'", "").split())


def _any(*patterns):
    return re.compile(r"^(?:" + "|".join(patterns) + r")$")


HEADINGS = [
    (
        "purpose",
        _any(
            r"(main |overall |job |role |key |the )?purpose( of (the )?(post|role|job|position))?",
            r"main purpose of (the )?(role|post|job)",
            r"(position|job|role) (summary|overview)|role description",
            r"summary of (the )?(role|post|job)",
            r"purpose and scope",
        ),
    ),
    ("general_tasks", _any(r"general (tasks|duties|responsibilities)( staff level)?")),
    (
        "specific_tasks",
        _any(
            r"other (specific )?(tasks|duties)( for this (role|post))?",
            r"additional (tasks|duties)",
        ),
    ),
    (
        "responsibilities",
        _any(
            r"((main|key|principal|core|primary|specific) )?(responsibilities|accountabilities|duties|tasks|activities)",
            r"(main |key )?(duties|tasks) and (responsibilities|accountabilities)",
            r"(main |key |principal )?responsibilities and (duties|accountabilities|tasks)",
            r"key result areas|key areas of responsibility|job content|what you will do",
            r"responsibilities of the (post|role)",
        ),
    ),
    (
        "dimensions",
        _any(
            r"dimensions( of the (post|role|job))?",
            r"key (statistics|dimensions)",
            r"scope of the (post|role)",
        ),
    ),
    (
        "decision_making",
        _any(r"decision making( and authority)?", r"decisions", r"authority levels"),
    ),
    (
        "contacts",
        _any(
            r"(key |main )?contacts?( with others)?",
            r"(key )?working relationships",
            r"key relationships",
            r"internal and external contacts",
        ),
    ),
    ("shortlisting", _any(r"shortlisting( criteria| codes| matrix)?")),
    (
        "requirements",
        _any(
            r"(obligatory|entry|general|mandatory|special|additional|other) requirements",
            r"any other general requirements( scope)?",
        ),
    ),
    (
        "criteria",
        _any(
            r"person specification",
            r"(essential and desirable |selection |shortlisting )?criteria",
            r"experience and qualifications|qualifications and experience",
            r"knowledge skills and (abilities|experience)|skills knowledge and experience",
            r"knowledge skills experience and qualifications",
            r"(the )?requirements( of the (post|role))?|person requirements|skills and experience",
            # a heading made of two or more kinds of criteria ("Qualifications, skills and experience")
            r"(?:(?:qualifications|skills|knowledge|experience|abilities|attributes)( and)? ){1,4}"
            r"(?:qualifications|skills|knowledge|experience|abilities|attributes)",
        ),
    ),
    (
        "behaviours",
        _any(
            r"behaviours?",
            r"(behavioural )?competencies( and behaviours)?",
            r"behavioural competencies",
            r"personal qualities( behavioural competencies)?",
            r"(the )?competency and values framework( cvf)?( behaviours| competencies)?",
            r"cvf( behaviours| competencies)?",
            r"(core|required) (behaviours|competencies)",
        ),
    ),
    ("values", _any(r"(our |police |cvf |organisational )?values", r"code of ethics")),
    ("skills", _any(r"(policing professional framework |ppf )?skills( framework)?")),
    (
        "progression",
        _any(r"(grade |pay )?progression( arrangements| criteria| through the grade)?"),
    ),
    ("nos", _any(r"nos( units)?", r"national occupational standards( nos)?")),
    (
        "details",
        _any(
            r"(post|job|role|position) (details|information)",
            r"key facts|details of the (post|role)",
            r"authori[sz]ation( details)?|sign off|approval|document control|version control",
        ),
    ),
    (
        "additional_information",
        _any(
            r"(any )?(additional|other|general|important) information",
            r"equal opportunit(y|ies)( statement)?|equality( and diversity| diversity and inclusion)?",
            r"diversity( and inclusion)?|reasonable adjustments|additional responsibilities",
            r"security vetting|vetting( information| requirements?)?|health and safety",
            r"data protection|welsh language( requirements?)?|working conditions",
            r"special conditions|terms and conditions|flexible working|disclaimer|declaration",
        ),
    ),
]

# A short line made only of these words names a category of criteria.
CATEGORY_WORDS = set(
    "qualification qualifications education educational level relevant experience experiences "
    "knowledge skills skill abilities ability training other others and or s technical "
    "professional personal attributes requirements specialist competence competencies "
    "aptitude special physical attainments and/or".split()
)
CATEGORY_KINDS = [
    ("knowledge_experience", {"knowledge", "experience"}),
    ("knowledge_skills", {"knowledge", "skills"}),
    ("education", {"education"}),
    ("qualifications", {"qualification"}),
    ("qualifications", {"qualifications"}),
    ("experience", {"experience"}),
    ("skills", {"skills"}),
    ("knowledge", {"knowledge"}),
]

LABELS = [
    ("post_number", _any(r"(post|position|establishment) (no|number|ref)")),
    (
        "job_evaluation_ref",
        _any(
            r"je( ref| no| number| reference| score)?",
            r"job evaluation( ref| reference| no| number| id)?",
            r"hay ref",
        ),
    ),
    (
        "title",
        _any(
            r"(job|role|post|position) (title|name)",
            r"title( of (the )?(post|role))?",
            r"job role",
        ),
    ),
    (
        "reference_code",
        _any(
            r"(role|job|post|profile|position) (code|reference|ref|ref no|reference no|reference number|number|no|id)",
            r"reference( no| number| code)?|ref( no)?",
            r"role profile (no|number|ref|reference|code)",
            r"job description (no|number|ref|reference|code)",
        ),
    ),
    (
        "grade",
        _any(
            r"(current |salary |pay |job )?(grade|scale|rank|band)",
            r"(rank|grade|scale|pay|salary) (grade|scale|rank|band)",
            r"grade of (post|role)",
        ),
    ),
    (
        "reports_to",
        _any(
            r"reports? (to|into)|reporting (to|line)|responsible to|(directly )?accountable to",
            r"line manager|manager|supervisor",
        ),
    ),
    ("service_area", _any(r"service area")),
    ("business_area", _any(r"business (area|unit)|area of business")),
    ("department", _any(r"department|dept|directorate|command|unit|team|section name")),
    (
        "location",
        _any(
            r"location|area|base|based at|base location|station|work location|work base",
            r"(normal )?place of work|site",
        ),
    ),
    ("job_family", _any(r"job family|family|role family|occupational group")),
    (
        "people_responsibility",
        _any(
            r"supervisory responsibilit(y|ies)|responsible for people|staff responsibilit(y|ies)",
            r"line management( responsibilit(y|ies))?|people responsibilit(y|ies)",
            r"management responsibilit(y|ies)|direct reports|number of direct reports",
        ),
    ),
    ("number_of_posts", _any(r"(no|number) of posts|posts|number of roles")),
    (
        "working_arrangement",
        _any(r"fixed flexible field|working arrangements?|work(ing)? pattern|fixed flexible"),
    ),
    (
        "vetting_level",
        _any(
            r"(level of |security )?vetting( level| required| requirement| clearance)?",
            r"vetting level required|(security )?clearance( level)?",
        ),
    ),
    (
        "date_reviewed",
        _any(
            r"date (last )?(reviewed|updated|revised|amended)",
            r"last (reviewed|updated|revised)|reviewed( on)?|date of (last )?review",
        ),
    ),
    ("review_due", _any(r"(next )?review (due|date)|next review|review by")),
    ("prepared_by", _any(r"prepared by|author|written by|completed by")),
    ("approved_by", _any(r"approved by|authori[sz]ed by|signed off by")),
    ("evaluation_panel", _any(r"evaluation panel|evaluated by|je panel")),
    (
        "officer_or_staff",
        _any(
            r"status|post status|role status|officer or staff|officer staff|staff or officer",
            r"police officer or (police )?staff|officer staff role|post type|role type",
        ),
    ),
    ("home_office_function", _any(r"(home office|ho) function( code)?|hof( code)?")),
    ("date", _any(r"date")),
]
# What "Status" says of a post: its officer_or_staff value (profiles.models.OfficerOrStaff).
OFFICER_OR_STAFF = [
    (
        "either",
        _any(
            r"(police )?officer (or|and) (police )?staff|(police )?staff (or|and) (police )?officer|either|both"
        ),
    ),
    ("officer", _any(r"(police )?officers?|warranted( officer)?|sworn( officer)?")),
    ("staff", _any(r"(police )?staff|civilian( staff)?|support staff")),
    ("volunteer", _any(r"(police )?volunteers?|special constables?|specials?")),
]


def officer_or_staff_of(text):
    """The officer_or_staff value a "Status" names, or None (a status like "Permanent")."""
    key = norm(text)
    for value, pattern in OFFICER_OR_STAFF:
        if pattern.match(key):
            return value
    return None


DATE_OF = {
    "prepared_by": "prepared_on",
    "approved_by": "approved_on",
    "evaluation_panel": "evaluation_panel_on",
}
METHOD_LABEL = _any(
    r"method(s)? of assessment",
    r"assessment method(s)?",
    r"assessed (by|through|at)",
    r"how (it is|they are) assessed",
    r"to be identified by|identified by|evidenced by|evidence",
)


FORCE_WORDS = re.compile(
    r"^(?:the )?(.*?)(?: (?:police|constabulary|police service|police force|police authority"
    r"|force|police and crime commissioner|service))*$"
)


def force_stem(text):
    """A force's name without "Police", "Constabulary" …: how two spellings of it compare."""
    key = norm(text)
    if len(key) > 120:
        return ""
    return FORCE_WORDS.match(key).group(1)


# A heading, label or category is a short phrase: longer text is not normalised to be sure.
MAX_PHRASE_CHARS = 200


def heading_kind(text):
    if len(text) > MAX_PHRASE_CHARS:
        return None
    key = norm(text)
    for kind, pattern in HEADINGS:
        if pattern.match(key):
            return kind
    return None


def label_field(text):
    if len(text) > MAX_PHRASE_CHARS:
        return None
    key = norm(text)
    if not key or len(key) > 60:
        return None
    for name, pattern in LABELS:
        if pattern.match(key):
            return name
    return None


def category_of(text):
    """The criterion category a short heading names, or None if it is not one."""
    if len(text) > MAX_PHRASE_CHARS:
        return None
    key = norm(text.replace("/", " "))
    words = key.split()
    if not words or len(words) > 7 or not set(words) <= CATEGORY_WORDS:
        return None
    if not set(words) - {"and", "or", "s", "other", "others", "relevant", "level"}:
        return "other" if set(words) & {"other", "others"} else None
    found = set(words)
    for kind, needed in CATEGORY_KINDS:
        if needed <= found:
            return kind
    return "other"


@dataclass
class Vocabulary:
    """National and force names the parser matches (plain strings, no database)."""

    competencies: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    vetting: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    grades: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    forces: list[str] = field(default_factory=list)  # the force imported into first

    def __post_init__(self):
        self._competencies = {norm(name): name for name in self.competencies}
        self._clusters = {norm(name): name for name in self.clusters}
        self._values = {norm(name): name for name in self.values}
        self._forces = {force_stem(name) for name in self.forces} - {""}

    def is_force(self, text):
        """Whether a line is only a force's name ("Northshire Police", "NORTHSHIRE CONSTABULARY")."""
        return len(text) <= 120 and force_stem(text) in self._forces

    def competency(self, text):
        key = norm(re.sub(r"\blevel\s*\d\b", "", text, flags=re.I))
        return self._competencies.get(key)

    def cluster(self, text):
        return self._clusters.get(norm(text))

    def value(self, text):
        return self._values.get(norm(text))

    def is_method(self, text):
        parts = [norm(part) for part in re.split(r"[/,;&]| and ", text) if part.strip()]
        known = {norm(method) for method in self.methods}
        return bool(parts) and all(part in known for part in parts)

    def vetting_in(self, text):
        """The code of a vetting level a sentence names ("… Recruitment Vetting (RV)")."""
        for code, name in self.vetting:
            if re.search(r"\(\s*" + re.escape(code) + r"\s*\)", text) or re.search(
                r"\b" + re.escape(name) + r"\b", text, re.I
            ):
                return code
        return None
