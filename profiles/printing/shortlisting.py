"""Shortlisting and interview sheets from a profile's criteria: as a PDF and as an Excel workbook.

A criterion is assessed at the stages its methods name (an "Application Form" at
application, an "Interview" at interview, any "… Test" at test); a criterion that names
no method (Avon's, which carry only a shortlisting code such as EE2) is scored at
shortlisting, that is at application. `is_minimum` is the one rule for the
Disability Confident minimum criteria.
"""

import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from profiles import rules
from profiles.models import Requirement
from profiles.printing import pdf
from profiles.printing.document import document_context
from profiles.rules import APPLICATION, INTERVIEW, TEST

STAGES = {APPLICATION: "Application", INTERVIEW: "Interview", TEST: "Test"}
SHEET_TITLES = {APPLICATION: "Shortlisting sheet", INTERVIEW: "Interview sheet", TEST: "Test sheet"}
DEFAULT_CANDIDATES = 6
MAX_CANDIDATES = 30
# The scale every sheet scores on; "meets" a criterion is a score of PASS_MARK or more.
SCALE = [
    (0, "No evidence"),
    (1, "Limited evidence"),
    (2, "Acceptable evidence"),
    (3, "Good evidence"),
    (4, "Strong evidence"),
]
TOP = SCALE[-1][0]
PASS_MARK = 2
MINIMUM_NOTE = (
    "Disability Confident: an applicant who tells us they have a disability and who meets "
    "the minimum criteria (marked Yes) is offered an interview."
)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadSheetRequest(ValueError):
    """A stage or number of candidates the sheet cannot be made for; the message says why."""


def parse_request(stage, candidates):
    """The stage and number of candidates asked for (query values), checked."""
    stage = stage or APPLICATION
    if stage not in STAGES:
        raise BadSheetRequest(f"Unknown stage {stage[:40]!r}; choose one of: {', '.join(STAGES)}.")
    if candidates in (None, ""):
        return stage, DEFAULT_CANDIDATES
    try:
        number = int(candidates)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_CANDIDATES:
        raise BadSheetRequest(
            f"The number of candidates is a whole number from 1 to {MAX_CANDIDATES}."
        )
    return stage, number


def stages_of(criterion):
    """The stages at which a criterion (or behaviour) is assessed (methods prefetched)."""
    return rules.assessment_stages(method.name for method in criterion.methods.all())


def is_minimum(criterion):
    """A Disability Confident minimum criterion (the rule: profiles.rules.is_minimum)."""
    return rules.is_minimum(
        criterion.requirement,
        criterion.minimum,
        [method.name for method in criterion.methods.all()],
    )


def _methods_text(item):
    names = [method.name for method in item.methods.all()]
    if item.method_note:
        names.append(item.method_note)
    return " / ".join(names)


def sheet(profile, stage=APPLICATION, candidates=DEFAULT_CANDIDATES):
    """What a sheet prints: the criteria (and at interview the behaviours) of `stage`."""
    context = document_context(profile)
    labels = context["labels"]
    rows = []
    for criterion in context["criteria"]:
        if stage not in stages_of(criterion):
            continue
        rows.append(
            {
                "code": criterion.shortlisting_code,
                "text": criterion.text,
                "requirement": criterion.requirement,
                "requirement_label": str(Requirement(criterion.requirement).label),
                "category": criterion.heading or str(criterion.get_category_display()),
                "methods": _methods_text(criterion) or "Shortlisting",
                "minimum": is_minimum(criterion),
            }
        )
    behaviours = []
    if stage == INTERVIEW:
        for entry in context["behaviours"]:
            if INTERVIEW in stages_of(entry["behaviour"]):
                level = entry["level"]
                behaviours.append(
                    {
                        "name": entry["competency"].name,
                        "level": level.number,
                        "indicators": [i.text for i in entry["indicators"]],
                        "methods": _methods_text(entry["behaviour"]),
                    }
                )
    return {
        **context,
        "stage": stage,
        "stage_label": STAGES[stage],
        "sheet_title": SHEET_TITLES[stage],
        "rows": rows,
        "behaviours_at_stage": behaviours,
        "candidates": list(range(1, candidates + 1)),
        "scale": SCALE,
        "top": TOP,
        "pass_mark": PASS_MARK,
        "has_minimum": any(row["minimum"] for row in rows),
        "minimum_note": MINIMUM_NOTE,
        "essential_label": labels["essential"],
        "desirable_label": labels["desirable"],
    }


def render_pdf(profile, stage=APPLICATION, candidates=DEFAULT_CANDIDATES):
    """The sheet as a PDF, printed by the project's one WeasyPrint module."""
    context = sheet(profile, stage, candidates)
    force = context["force"]
    context.update(
        {
            "logo": pdf.logo_data_uri(force),
            "primary_colour": pdf.safe_colour(force.primary_colour, "#1d3c6e"),
            "accent_colour": pdf.safe_colour(force.accent_colour, "#e8eef7"),
        }
    )
    return pdf.html_to_pdf(render_to_string("pdf/shortlisting.html", context))


def filename(profile, stage, extension):
    base = pdf.filename(profile).removesuffix(".pdf")
    return f"{base} - {SHEET_TITLES[stage].lower()}.{extension}"


HEADER_FILL = PatternFill("solid", fgColor="1D3C6E")
WRAP = Alignment(wrap_text=True, vertical="top")


def _fill(colour):
    return PatternFill("solid", fgColor=colour.lstrip("#").upper())


def render_xlsx(profile, stage=APPLICATION, candidates=DEFAULT_CANDIDATES):
    """The sheet as a workbook: criteria locked, each score cell a whole number 0 to TOP."""
    data = sheet(profile, stage, candidates)
    force = data["force"]
    primary = _fill(pdf.safe_colour(force.primary_colour, "#1d3c6e"))
    book = Workbook()
    ws = book.active
    ws.title = data["sheet_title"]
    ws["A1"] = f"{data['sheet_title']}: {profile.title}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = " · ".join(
        part
        for part in (force.name, profile.reference_code, profile.grade and profile.grade.code)
        if part
    )
    ws["A3"] = (
        f"Score each criterion from 0 to {TOP} (see the scale below); "
        f"a criterion is met with {PASS_MARK} or more."
    )
    header = ["Code", "Criterion", "Essential / desirable", "Category", "Method", "Minimum"]
    header += [f"Candidate {n}" for n in data["candidates"]]
    first_row = 5
    for column, title in enumerate(header, start=1):
        cell = ws.cell(first_row, column, title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = primary
        cell.alignment = WRAP
    score_columns = range(7, 7 + len(data["candidates"]))
    row_number = first_row
    essential_rows, minimum_rows = [], []
    for row in data["rows"]:
        row_number += 1
        values = [
            row["code"],
            row["text"],
            row["requirement_label"],
            row["category"],
            row["methods"],
            "Yes" if row["minimum"] else "",
        ]
        for column, value in enumerate(values, start=1):
            ws.cell(row_number, column, value).alignment = WRAP
        for column in score_columns:
            ws.cell(row_number, column).protection = Protection(locked=False)
        if row["requirement"] == Requirement.ESSENTIAL:
            essential_rows.append(row_number)
        if row["minimum"]:
            minimum_rows.append(row_number)
    last_score_row = row_number
    decisions = [("Total score", None), ("Meets all essential criteria", essential_rows)]
    if minimum_rows:
        decisions.append(
            ("Meets the minimum criteria (Disability Confident interview)", minimum_rows)
        )
    for label, rows in decisions:
        row_number += 1
        ws.cell(row_number, 2, label).font = Font(bold=True)
        for column in score_columns:
            letter = get_column_letter(column)
            if rows is None:
                formula = f"=SUM({letter}{first_row + 1}:{letter}{last_score_row})"
            elif rows:
                checks = ",".join(f"{letter}{r}>={PASS_MARK}" for r in rows)
                formula = f'=IF(AND({checks}),"Yes","No")'
            else:
                formula = "Yes"
            ws.cell(row_number, column, formula).font = Font(bold=True)
    if last_score_row > first_row:
        letters = (get_column_letter(score_columns[0]), get_column_letter(score_columns[-1]))
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(TOP),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Score out of range",
            error=f"A score is a whole number from 0 to {TOP}.",
        )
        validation.add(f"{letters[0]}{first_row + 1}:{letters[1]}{last_score_row}")
        ws.add_data_validation(validation)
    row_number += 2
    ws.cell(row_number, 2, "Scoring scale").font = Font(bold=True)
    for score, meaning in SCALE:
        row_number += 1
        ws.cell(row_number, 1, score)
        ws.cell(row_number, 2, meaning)
    if data["has_minimum"]:
        row_number += 2
        ws.cell(row_number, 2, MINIMUM_NOTE).alignment = WRAP
    for column, width in zip("ABCDEF", (8, 60, 14, 22, 22, 10), strict=True):
        ws.column_dimensions[column].width = width
    for column in score_columns:
        ws.column_dimensions[get_column_letter(column)].width = 12
    ws.freeze_panes = ws.cell(first_row + 1, 3)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    book.properties.title = ws["A1"].value
    book.properties.creator = force.name
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
