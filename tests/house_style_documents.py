"""Role profiles in house styles the seeds do not use, made as Word files and printed PDFs.

Each `make_*` returns (file name, bytes), made once per test run; `EXPECTED[name]` is what the import must make of
it, field by field. The styles: a College of Policing national profile (headings, CVF
behaviours with levels, values), a Met-style job description (a two-column details table,
a responsibilities table with a % column, criteria by area), a printed form (labelled lines,
a lettered list, a person specification with an "assessed at" column), a Word form with
tick columns for the assessment stage, a printed PDF whose ruled table cells wrap, and a
plain-text description with numbered headings and lettered, weighted duties.
"""

import io
from functools import cache, partial

import docx

NATIONAL = {
    "title": "Digital Media Investigator",
    "reference_code": "NRP-DMI-03",
    "grade": "F",
    "reports_to": "Detective Inspector, Digital Investigation",
    "department": "Specialist Crime",
    "vetting": "MV",
    "post_details": [("Professional registration", "Not required")],
    "purpose": (
        "To support investigations by acquiring, analysing and presenting digital evidence "
        "from communications data and open sources."
    ),
    "responsibilities": [
        (
            "Acquire communications data lawfully and in line with the relevant codes of practice.",
            None,
        ),
        ("Analyse digital material to identify lines of enquiry for investigators.", None),
        ("Present digital evidence clearly in statements and at court.", None),
        ("Advise officers on the capture and preservation of digital evidence.", None),
    ],
    "behaviours": [
        ("We analyse critically", 2),
        ("We are innovative and open-minded", 2),
        ("We take ownership", 1),
    ],
    "values": ["Integrity", "Impartiality", "Public service", "Transparency"],
    "criteria": [
        ("essential", "Experience of analysing communications data in an investigative setting"),
        ("essential", "Ability to explain technical findings to a lay audience"),
        ("desirable", "A recognised qualification in digital forensics"),
    ],
}

MET = {
    "title": "Custody Detention Officer",
    "reference_code": "MPS-CDO-1187",
    "grade": "E",
    "reports_to": "Custody Sergeant",
    "location": "Charing Cross Custody Suite",
    "vetting": "RV",
    "working_arrangement": "12-hour shifts on a 24/7 rota",
    "post_details": [],
    "purpose": "To look after the welfare and safety of detained persons in police custody.",
    "responsibilities": [
        ("Book detained persons in and out of custody and keep the custody record.", 30),
        ("Carry out welfare checks and visits as the custody officer directs.", 25),
        ("Search detained persons and their property, recording what is found.", 20),
        ("Take fingerprints, photographs and DNA samples.", 15),
        ("Keep the custody suite clean, safe and secure.", 10),
    ],
    "criteria": [
        ("essential", "Experience of dealing with people in difficult situations"),
        ("desirable", "Experience of working in a custody environment"),
        ("essential", "Good written communication skills"),
        ("desirable", "First aid at work certificate"),
    ],
}

FORM = {
    "title": "Firearms Licensing Officer",
    "post_number": "FL0231",
    "grade": "5",
    "reports_to": "Firearms Licensing Supervisor",
    "department": "Operational Support",
    "location": "Police Headquarters",
    "vetting": "NPPV 3",
    "post_details": [],
    "purpose": "To assess applications for firearm and shotgun certificates so that only suitable people hold them.",
    "responsibilities": [
        ("Assess applications for firearm and shotgun certificates against the legislation.", None),
        ("Visit applicants at home to check their suitability and security arrangements.", None),
        ("Prepare reports recommending the grant, renewal or refusal of certificates.", None),
    ],
    "criteria": [
        ("essential", "Knowledge of firearms legislation", "Application Form / Interview"),
        ("essential", "Full UK driving licence", "Application Form"),
        ("desirable", "Experience of home visits", "Interview"),
    ],
}

TICKS = {
    "title": "Volunteer Coordinator",
    "post_number": "VC-0042",
    "grade": "4",
    "reports_to": "Citizens in Policing Manager",
    "location": "Eastfield Police Station",
    "vetting": "RV",
    "post_details": [("Hours", "37 hours a week")],
    "purpose": "To recruit, support and retain volunteers across the force.",
    "responsibilities": [
        ("Recruit volunteers and match them to roles.", None),
        ("Arrange induction and training for new volunteers.", None),
        ("Keep accurate records of volunteer hours.", None),
        ("Organise events to recognise volunteers' contribution.", None),
    ],
    "criteria": [
        ("essential", "Experience of coordinating volunteers", ["Application Form", "Interview"]),
        ("essential", "Good IT skills", ["Online Tests"]),
        ("desirable", "Experience of working in a police force", ["Application Form"]),
    ],
}


WRAPPED = {
    "title": "Senior Analyst, Serious and Organised Crime Intelligence Development Unit",
    "reference_code": "SOC-ANL-0042",
    "grade": "SO2",
    "reports_to": (
        "Principal Analyst, Serious and Organised Crime Intelligence Development Unit "
        "(Regional Organised Crime Unit)"
    ),
    "location": (
        "Regional Organised Crime Unit headquarters, with travel to partner agencies "
        "across the region as required"
    ),
    "vetting": "MV",
    "post_details": [("Special conditions of the post", "Occasional weekend and evening work")],
    "purpose": "To produce intelligence assessments that direct the work against organised crime.",
    "responsibilities": [
        (
            "Research and analyse intelligence from a wide range of sources, including "
            "communications data, financial records and open sources, to identify organised "
            "crime groups and their activities.",
            40,
        ),
        ("Produce problem profiles and strategic assessments for senior managers.", 35),
        (
            "Brief operational teams and partner agencies on the findings of analysis, "
            "adapting the presentation to the audience.",
            25,
        ),
    ],
    "criteria": [
        (
            "essential",
            "Experience of producing analytical products for law enforcement or a comparable "
            "organisation, to a high standard",
            "Application Form / Interview",
        ),
        ("desirable", "Degree in a relevant subject", "Application Form"),
    ],
}


def _docx_bytes(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, rows):
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    return table


@cache
def make_national():
    """A College of Policing-style national profile: headings, a facts table, CVF levels."""
    p = NATIONAL
    document = docx.Document()
    document.add_heading("National Role Profile", level=0)
    _table(
        document,
        [
            ("Role title", p["title"]),
            ("Role code", p["reference_code"]),
            ("Rank/Grade", "Band F"),
            ("Line manager", p["reports_to"]),
            ("Directorate", p["department"]),
            ("Security clearance", "Management Vetting (MV)"),
            *p["post_details"],
        ],
    )
    document.add_heading("Role purpose", level=1)
    document.add_paragraph(p["purpose"])
    document.add_heading("Key accountabilities", level=1)
    for text, _ in p["responsibilities"]:
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("Behaviours", level=1)
    document.add_paragraph(
        "This role requires the following behaviours of the Competency and Values Framework."
    )
    _table(
        document,
        [("Behaviour", "Level")] + [(name, f"Level {level}") for name, level in p["behaviours"]],
    )
    document.add_heading("Values", level=1)
    for value in p["values"]:
        document.add_paragraph(value, style="List Bullet")
    document.add_heading("Qualifications, skills and experience", level=1)
    document.add_paragraph("Essential")
    for requirement, text in p["criteria"]:
        if requirement == "essential":
            document.add_paragraph(text, style="List Bullet")
    document.add_paragraph("Desirable")
    for requirement, text in p["criteria"]:
        if requirement == "desirable":
            document.add_paragraph(text, style="List Bullet")
    return "national-profile.docx", _docx_bytes(document)


@cache
def make_met():
    """A Met-style job description: details table, responsibilities with a % column."""
    p = MET
    document = docx.Document()
    document.add_paragraph("JOB DESCRIPTION")
    _table(
        document,
        [
            ("Job title", p["title"]),
            ("Reference", p["reference_code"]),
            ("Grade", "Band E"),
            ("Reports to", p["reports_to"]),
            ("Location", p["location"]),
            ("Vetting", "Recruitment Vetting (RV)"),
            ("Working pattern", p["working_arrangement"]),
        ],
    )
    document.add_paragraph("Job purpose")
    document.add_paragraph(p["purpose"])
    _table(
        document,
        [("Main responsibilities", "%")] + [(text, f"{w}%") for text, w in p["responsibilities"]],
    )
    document.add_paragraph("Person specification")
    _table(
        document,
        [
            ("Area", "Essential", "Desirable"),
            ("Experience", p["criteria"][0][1], p["criteria"][1][1]),
            ("Skills and abilities", p["criteria"][2][1], p["criteria"][3][1]),
        ],
    )
    return "met-job-description.docx", _docx_bytes(document)


@cache
def make_form_pdf():
    """A form printed to PDF: labelled lines, a lettered list, an 'assessed at' column."""
    from weasyprint import HTML

    p = FORM
    letters = "".join(
        f"<p>{letter}. {text}</p>"
        for letter, (text, _) in zip("ABC", p["responsibilities"], strict=True)
    )
    rows = "".join(
        f"<tr><td>{text}</td><td>{requirement.title()}</td><td>{methods}</td></tr>"
        for requirement, text, methods in p["criteria"]
    )
    page = f"""<html><head><style>@page {{ size: A4 landscape; margin: 1.5cm }}
    td, th {{ padding: 2pt 8pt; text-align: left; vertical-align: top }}</style></head><body>
    <h1>Role Profile</h1>
    <p>Post title: {p["title"]}</p>
    <p>Post number: {p["post_number"]}</p>
    <p>Rank/Grade: Scale 5</p>
    <p>Line manager: {p["reports_to"]}</p>
    <p>Directorate: {p["department"]}</p>
    <p>Base: {p["location"]}</p>
    <p>Security clearance: NPPV 3</p>
    <h2>Purpose of the role</h2><p>{p["purpose"]}</p>
    <h2>Key responsibilities</h2>{letters}
    <h2>Person specification</h2>
    <table><tr><th>Criteria</th><th>Essential/Desirable</th>
    <th>Assessed at: Application / Interview / Test</th></tr>{rows}</table>
    </body></html>"""
    return "licensing-form.pdf", HTML(string=page).write_pdf()


@cache
def make_ticks():
    """A Word form whose person specification ticks the stage that assesses each criterion."""
    p = TICKS
    document = docx.Document()
    document.add_paragraph("Role Profile")
    document.add_paragraph(f"Role title: {p['title']}")
    document.add_paragraph(f"Post number: {p['post_number']}")
    document.add_paragraph("Rank/Grade: Scale 4")
    document.add_paragraph(f"Line manager: {p['reports_to']}")
    document.add_paragraph(f"Base: {p['location']}")
    document.add_paragraph("Security clearance: Recruitment Vetting")
    document.add_paragraph("Hours: 37 hours a week")
    document.add_paragraph("Main purpose of the role")
    document.add_paragraph(p["purpose"])
    document.add_paragraph("Main duties")
    for letter, (text, _) in zip("ABCD", p["responsibilities"], strict=True):
        document.add_paragraph(f"{letter}.\t{text}")
    document.add_paragraph("Person specification")
    stages = ["Application Form", "Interview", "Online Tests"]
    _table(
        document,
        [("Criteria", "E/D", "Application", "Interview", "Online test")]
        + [
            (text, requirement[0].upper(), *["✓" if s in methods else "" for s in stages])
            for requirement, text, methods in p["criteria"]
        ],
    )
    return "volunteer-coordinator.docx", _docx_bytes(document)


NUMBERED = {
    "title": "Crime Scene Investigator",
    "post_number": "CSI/118",
    "grade": None,
    "reports_to": "Senior Crime Scene Investigator",
    "department": "Forensic Services",
    "location": "Force Headquarters",
    "vetting": "MV",
    "post_details": [("Salary", "Scale 6 (£30,000 - £33,000)"), ("Hours", "37 per week")],
    "purpose": "To attend crime scenes to locate, record and recover forensic evidence.",
    "responsibilities": [
        ("Examine crime scenes and recover evidence.", 40),
        ("Photograph scenes and exhibits to the required standard.", 30),
        ("Prepare statements and give evidence at court.", 20),
        ("Maintain equipment and vehicles.", 10),
    ],
    "criteria": [
        ("essential", "Degree in a forensic or related science"),
        ("essential", "Full UK driving licence"),
        ("desirable", "Experience of working with the police"),
    ],
    # the organisation's name over the form is no field of a profile: kept as a note
    "unplaced": ["NORTHSHIRE POLICE"],
}


@cache
def make_numbered_text():
    """A plain-text job description: numbered headings, "Label: value" lines, (a) items."""
    p = NUMBERED
    duties = "\n".join(
        f"{letter}) {text} ({weight}%)"
        for letter, (text, weight) in zip("abcd", p["responsibilities"], strict=True)
    )
    essential = "\n".join(f"- {t}" for r, t in p["criteria"] if r == "essential")
    desirable = "\n".join(f"- {t}" for r, t in p["criteria"] if r == "desirable")
    text = f"""NORTHSHIRE POLICE
JOB DESCRIPTION

Post Title: {p["title"]}
Post Number: {p["post_number"]}
Salary: Scale 6 (£30,000 - £33,000)
Responsible to: {p["reports_to"]}
Department: {p["department"]}
Base: {p["location"]}
Hours: 37 per week
Vetting Level: MV

1. Job Purpose
{p["purpose"]}

2. Main Duties and Responsibilities
{duties}

3. Person Specification
Essential:
{essential}
Desirable:
{desirable}
"""
    return "northshire-csi.txt", text.encode()


@cache
def make_wrapped_pdf(font_size="10pt"):
    """A printed PDF whose ruled table cells wrap over several lines, labels included
    (in a larger type, a page break cuts a row of the person specification)."""
    from weasyprint import HTML

    p = WRAPPED
    details = [
        ("Job title", p["title"]),
        ("Reference", p["reference_code"]),
        ("Grade", p["grade"]),
        ("Reports to", p["reports_to"]),
        ("Location", p["location"]),
        ("Vetting level required", "Management Vetting (MV)"),
        *p["post_details"],
    ]
    detail_rows = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in details)
    duties = "".join(
        f"<tr><td>{n}</td><td>{text}</td><td>{weight}%</td></tr>"
        for n, (text, weight) in enumerate(p["responsibilities"], start=1)
    )
    criteria = "".join(
        f"<tr><td>{text}</td><td>{requirement[0].upper()}</td><td>{methods}</td></tr>"
        for requirement, text, methods in p["criteria"]
    )
    page = f"""<html><head><style>@page {{ size: A4; margin: 1.5cm }}
    body {{ font-size: {font_size} }}
    table {{ border-collapse: collapse; width: 100% }}
    td, th {{ border: 1px solid #000; padding: 3pt; vertical-align: top; text-align: left }}
    .details td:first-child {{ width: 16% }} .criteria td:first-child {{ width: 22% }}
    </style></head><body>
    <h1>Role Profile</h1>
    <table class="details">{detail_rows}</table>
    <h2>Purpose of the role</h2><p>{p["purpose"]}</p>
    <h2>Key responsibilities</h2>
    <table><tr><th>No.</th><th>Responsibility</th><th>Time %</th></tr>{duties}</table>
    <h2>Person specification</h2>
    <table class="criteria"><tr><th>Criteria</th><th>E/D</th><th>Assessed by</th></tr>
    {criteria}</table></body></html>"""
    return "wrapped-cells.pdf", HTML(string=page).write_pdf()


DOCUMENTS = {
    "national": (make_national, NATIONAL),
    "met": (make_met, MET),
    "form": (make_form_pdf, FORM),
    "ticks": (make_ticks, TICKS),
    "wrapped": (make_wrapped_pdf, WRAPPED),
    "wrapped across a page break": (partial(make_wrapped_pdf, "12pt"), WRAPPED),
    "numbered": (make_numbered_text, NUMBERED),
}


# Headings-style Word documents of a force's own making (issue 19): the job title is a
# Heading 1 (or Title) paragraph and the force's name stands on the line below it; the
# person specification is a table of one of several shapes.
FORCE_NAME = "Unseen Constabulary"

HEADINGS_TWO_COLUMN = {
    "title": "Neighbourhood Problem Solving Coordinator",
    "reference_code": "UC-NPS-07",
    "grade": "5",
    "reports_to": "Neighbourhood Inspector",
    "department": "Local Policing",
    "job_family": "Partnership and Prevention",
    "officer_or_staff": "staff",
    "home_office_function": "43",
    "vetting": "NPPV 3",
    "post_details": [],
    "purpose": (
        "To coordinate problem-solving plans with partners so that low-level anti-social "
        "behaviour is resolved quickly and fairly."
    ),
    "responsibilities": [
        ("Coordinate multi-agency problem-solving plans for the district.", None),
        ("Report progress on each plan to the Neighbourhood Inspector.", None),
        ("Keep partners informed of the outcome of their referrals.", None),
    ],
    "criteria": [
        ("essential", "Experience of working with partner agencies"),
        ("essential", "Good written and spoken communication skills"),
        ("desirable", "Knowledge of anti-social behaviour legislation"),
    ],
}

HEADINGS_CATEGORY_COLUMNS = {
    "title": "Firearms Training Administrator",
    "reference_code": "UC-FTA-12",
    "grade": "4",
    "reports_to": "Firearms Training Manager",
    "department": "Operational Training",
    "officer_or_staff": "staff",
    "vetting": "RV",
    "post_details": [],
    "purpose": "To run the administration of the force's firearms training programme.",
    "responsibilities": [
        ("Book officers on to firearms courses and keep the course records.", None),
        ("Prepare the training venues and equipment for each course.", None),
    ],
    # a column per category, read row by row; each cell says its requirement after the text
    "criteria": [
        ("essential", "GCSE English and Maths at grade C or above"),
        ("essential", "Experience of office administration"),
        ("desirable", "Good IT skills in Microsoft Office"),
        ("desirable", "European Computer Driving Licence"),
        ("essential", "Experience of keeping accurate records"),
        ("essential", "Ability to prioritise a busy workload"),
    ],
    "categories": ["qualifications", "experience", "skills"] * 2,
}

HEADINGS_CODES = {
    "title": "Police Staff Investigator",
    "reference_code": "UC-PSI-03",
    "grade": "SO2",
    "reports_to": "Detective Sergeant",
    "department": "Criminal Investigation",
    "officer_or_staff": "staff",
    "vetting": "MV",
    "post_details": [],
    "purpose": "To investigate volume crime and prepare case files to the standard of the CPS.",
    "responsibilities": [
        ("Investigate allocated crimes and interview suspects.", None),
        ("Prepare case files for the Crown Prosecution Service.", None),
    ],
    # shortlisting codes say the requirement; a method column says how each is assessed
    "criteria": [
        ("essential", "Experience of investigating crime", "Application Form / Interview"),
        ("essential", "PIP level 1 accreditation", "Application Form"),
        ("desirable", "Experience of interviewing suspects", "Interview"),
    ],
    "codes": ["E1", "E2", "D1"],
}

HEADINGS_TICKS = {
    "title": "Custody Nurse Practitioner",
    "reference_code": "UC-CNP-02",
    "grade": "F",
    "reports_to": "Healthcare Services Manager",
    "department": "Custody",
    "officer_or_staff": "staff",
    "vetting": "RV",
    "post_details": [("Hours", "37 hours a week")],
    "purpose": "To assess and care for the health of detained persons in police custody.",
    "responsibilities": [
        ("Assess the health of detained persons and record the findings.", None),
        ("Give advice to custody officers on fitness for detention and interview.", None),
    ],
    # tick columns: E and D say the requirement, stages say how it is assessed
    "criteria": [
        ("essential", "Registered nurse with the NMC", ["Application Form"]),
        ("essential", "Experience of emergency care", ["Application Form", "Interview"]),
        ("desirable", "Experience of working in a custody setting", ["Interview"]),
    ],
}


VETTING_AS_WRITTEN = {
    "NPPV 3": "NPPV 3",
    "RV": "Recruitment Vetting (RV)",
    "MV": "Management Vetting (MV)",
}


def _headings_top(document, p, with_title_style=False):
    if with_title_style:
        document.add_paragraph(p["title"], style="Title")
    else:
        document.add_heading(p["title"], level=1)
    document.add_paragraph(FORCE_NAME)
    rows = [("Reference", p["reference_code"]), ("Grade", f"Scale {p['grade']}")]
    if not p["grade"].isdigit():
        rows[1] = ("Grade", p["grade"])
    rows += [
        ("Reports to", p["reports_to"]),
        ("Department", p["department"]),
    ]
    if "job_family" in p:
        rows.append(("Job family", p["job_family"]))
    rows.append(("Status", "Police staff"))
    if "home_office_function" in p:
        rows.append(("Home Office Function", p["home_office_function"]))
    rows.append(("Vetting", VETTING_AS_WRITTEN[p["vetting"]]))
    rows += p["post_details"]
    _table(document, rows)
    document.add_heading("Job purpose", level=2)
    document.add_paragraph(p["purpose"])
    document.add_heading("Main responsibilities", level=2)
    for text, _ in p["responsibilities"]:
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("Person specification", level=2)


@cache
def make_headings_two_column():
    """Heading 1 title, the force's name below, a "Criteria | Essential / Desirable" table."""
    p = HEADINGS_TWO_COLUMN
    document = docx.Document()
    _headings_top(document, p)
    _table(
        document,
        [("Criteria", "Essential / Desirable")]
        + [(text, requirement.title()) for requirement, text in p["criteria"]],
    )
    return "problem-solving-coordinator.docx", _docx_bytes(document)


@cache
def make_headings_category_columns():
    """A Title-style title and a person specification with a column per category."""
    p = HEADINGS_CATEGORY_COLUMNS
    document = docx.Document()
    _headings_top(document, p, with_title_style=True)
    cells = [f"{text} ({requirement[0].upper()})" for requirement, text in p["criteria"]]
    _table(document, [("Qualifications", "Experience", "Skills"), cells[:3], cells[3:]])
    return "firearms-training-administrator.docx", _docx_bytes(document)


@cache
def make_headings_codes_pdf():
    """A printed headings-style PDF: a shortlisting code column and a method column."""
    from weasyprint import HTML

    p = HEADINGS_CODES
    rows = "".join(
        f"<tr><td>{code}</td><td>{text}</td><td>{methods}</td></tr>"
        for (_, text, methods), code in zip(p["criteria"], p["codes"], strict=True)
    )
    duties = "".join(f"<li>{text}</li>" for text, _ in p["responsibilities"])
    page = f"""<html><head><style>@page {{ size: A4; margin: 2cm }}
    table {{ border-collapse: collapse; width: 100% }}
    td, th {{ border: 1px solid #000; padding: 3pt; text-align: left; vertical-align: top }}
    </style></head><body>
    <h1>{p["title"]}</h1>
    <p>{FORCE_NAME}</p>
    <table><tr><td>Reference</td><td>{p["reference_code"]}</td></tr>
    <tr><td>Grade</td><td>{p["grade"]}</td></tr>
    <tr><td>Reports to</td><td>{p["reports_to"]}</td></tr>
    <tr><td>Department</td><td>{p["department"]}</td></tr>
    <tr><td>Status</td><td>Police staff</td></tr>
    <tr><td>Vetting</td><td>Management Vetting (MV)</td></tr></table>
    <h2>Job purpose</h2><p>{p["purpose"]}</p>
    <h2>Main responsibilities</h2><ul>{duties}</ul>
    <h2>Person specification</h2>
    <table><tr><th>Shortlisting code</th><th>Requirement</th><th>Method of assessment</th></tr>
    {rows}</table></body></html>"""
    return "staff-investigator.pdf", HTML(string=page).write_pdf()


@cache
def make_headings_ticks():
    """Heading 1 title and a person specification with E / D tick columns and stage ticks."""
    p = HEADINGS_TICKS
    document = docx.Document()
    _headings_top(document, p)
    stages = ["Application Form", "Interview"]
    _table(
        document,
        [("Criteria", "E", "D", "Application form", "Interview")]
        + [
            (
                text,
                "✓" if requirement == "essential" else "",
                "✓" if requirement == "desirable" else "",
                *["✓" if s in methods else "" for s in stages],
            )
            for requirement, text, methods in p["criteria"]
        ],
    )
    return "custody-nurse.docx", _docx_bytes(document)


DOCUMENTS.update(
    {
        "headings, two-column criteria": (make_headings_two_column, HEADINGS_TWO_COLUMN),
        "headings, a column per category": (
            make_headings_category_columns,
            HEADINGS_CATEGORY_COLUMNS,
        ),
        "headings, shortlisting codes (PDF)": (make_headings_codes_pdf, HEADINGS_CODES),
        "headings, E/D tick columns": (make_headings_ticks, HEADINGS_TICKS),
    }
)
