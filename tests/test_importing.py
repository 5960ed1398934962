"""Importing role profiles from text, Word and PDF: every field in its place, no word lost."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from profiles.importing.parser import parse
from profiles.importing.readers import MAX_FILE_BYTES, UnreadableDocument, read_document
from profiles.importing.save import vocabulary_for
from profiles.importing.service import import_files, words
from profiles.models import Force, HouseStyle, ImportedDocument, RoleProfile, Status
from profiles.printing import pdf
from tests.fidelity import coverage, missing
from tests.patching import patch

SEEDS = Path(__file__).resolve().parent / "seeds"
SEED_FILES = sorted(path.name for path in SEEDS.glob("*.txt"))


@pytest.fixture
def new_force(national_data):
    return Force.objects.create(slug="new-force", name="New Force Police")


def import_seed(force, name):
    [result] = import_files(force, [(name, (SEEDS / name).read_bytes())], create_grades=True)
    assert result.ok, result.error
    return RoleProfile.objects.get(pk=result.profile.pk)


def responsibilities(profile):
    section = profile.sections.filter(kind="responsibilities").order_by("order").first()
    return [(item.text, item.weighting) for item in section.items.order_by("order")]


def criteria(profile):
    return [
        (c.requirement, c.text, sorted(m.name for m in c.methods.all()), c.shortlisting_code)
        for c in profile.criteria.order_by("order")
    ]


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_word_of_a_seed_is_in_the_draft_or_named_as_structure(new_force, name):
    document = read_document(name, (SEEDS / name).read_bytes())
    parsed = parse(document, vocabulary_for(new_force))

    draft = words(parsed.draft_text() + "\n" + "\n".join(parsed.structure))

    assert words(document.text) == draft


@pytest.mark.parametrize("name", SEED_FILES)
def test_each_seed_imports_into_a_fresh_force_and_its_pdf_keeps_98_percent_of_its_words(
    new_force, name, settings, tmp_path
):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"
    # The seeds print their empty skills and NOS tables; so does this force.
    HouseStyle.objects.create(force=new_force, show_empty=True)
    profile = import_seed(new_force, name)

    reader = PdfReader(io.BytesIO(pdf.cached_pdf(profile).content))
    text = "\n".join(page.extract_text() for page in reader.pages)

    seed = (SEEDS / name).read_text(encoding="utf-8")
    assert profile.status == Status.DRAFT
    assert coverage(seed, text) >= 0.98, missing(seed, text).most_common(20)


def test_avon_seed_lands_field_by_field(new_force):
    profile = import_seed(new_force, "000_94024340a64cd7f0.txt")
    assert (profile.title, profile.reference_code) == (
        "Citizens in Policing Administrator",
        "C3932",
    )
    assert profile.grade.code == "Scale 3" and profile.vetting_level.code == "RV"
    assert profile.purpose.startswith("To provide comprehensive administrative and clerical")
    assert (profile.reports_to, profile.people_responsibility) == (
        "Citizens Programme Coordinator",
        "None",
    )
    items = responsibilities(profile)
    assert len(items) == 8 and all(weighting is None for _, weighting in items)
    assert items[0][0].startswith("To undertake documented administrative processes")
    assert [(r, code) for r, _, _, code in criteria(profile)] == [
        ("essential", "EE2"), ("essential", "EE3"), ("essential", "EE4"),
        ("essential", "EE5"), ("essential", "EE6"), ("desirable", "EA1"),
    ]  # fmt: skip
    assert profile.skills.count() == 6 and profile.framework.code == "ppf"


def test_county_seed_lands_field_by_field_as_clean_text(new_force):
    profile = import_seed(new_force, "001_0d0a989b81e28e52.txt")
    assert profile.title == "Police Community Support Officer"
    assert (profile.grade.code, profile.grade_note) == ("A3", "(non supervisory)")
    assert (profile.job_family, profile.reports_to) == ("Operational", "Neighbourhood Sergeant")
    assert profile.purpose.startswith("To be a visible foot patrolling representative")
    items = [text for text, _ in responsibilities(profile)]
    assert len(items) == 10
    assert items[1].startswith("Reduce crime") and items[8].startswith("Utilise range")
    assert not [t for t in items if "<" in t or ">" in t]
    assert list(profile.post_details.values_list("label", "value")) == [
        ("Agile Working", "To be confirmed"),
        ("Psychological Assessment", "To be confirmed"),
        ("Return on Investment", "To be confirmed"),
        ("Limited Duties", "To be confirmed"),
    ]
    assert [b.level.competency.name for b in profile.behaviours.order_by("order")][0] == (
        "We are emotionally aware"
    )
    assert profile.behaviours.count() == 6 and profile.framework.code == "cvf-2016"


def test_gwent_seed_keeps_every_weighting_and_method(new_force):
    profile = import_seed(new_force, "002_b3dea0175c6ba269.txt")
    assert profile.title == "Community Support Officer"
    assert profile.grade.code == "4" and profile.vetting_level.code == "RV"
    assert (profile.service_area, profile.working_arrangement) == (
        "Neighbourhood Policing",
        "Field",
    )
    assert str(profile.date_reviewed) == "2020-12-01"
    assert profile.purpose.startswith("To form part of a Neighbourhood Policing Team")
    items = responsibilities(profile)
    assert [int(w) for _, w in items] == [30, 15, 10, 2, 5, 5, 3, 2, 1, 3, 2, 1, 1]
    sections = {s.kind: s for s in profile.sections.all()}
    assert sections["responsibilities"].weighting == Decimal(80)
    assert sections["general_tasks"].weighting == Decimal(20)
    found = criteria(profile)
    assert len(found) == 12
    assert found[0][:1] + found[0][2:3] == (
        "essential",
        ["Application Form", "Interview", "Online Tests"],
    )
    assert found[11][0] == "desirable" and found[11][1] == "Ability to speak Welsh is desirable."
    assert {m.name for b in profile.behaviours.all() for m in b.methods.all()} == {"Interview"}


def test_lancashire_seed_reads_its_tables(new_force):
    profile = import_seed(new_force, "003_71239bd9c7f6cf67.txt")
    assert profile.title == "CSE (Child Sexual Exploitation) Administration Assistant"
    assert (profile.grade.code, profile.grade_to.code) == ("LC 4", "LC 5")
    assert profile.job_evaluation_ref == "1537" and profile.location == "East/South and West BCU"
    assert len(responsibilities(profile)) == 8
    found = criteria(profile)
    assert len(found) == 23
    assert found[0] == (
        "essential",
        "Must possess full UK driving licence",
        ["Application Form", "Typing Test"],
        "",
    )
    assert found[1][0] == "desirable"
    assert found[6][2] == ["Application Form", "Interview"]  # "Application Form /" + "Interview"
    assert [b.level.number for b in profile.behaviours.all()] == [1] * 6
    assert profile.sections.get(kind="progression").items.count() == 6


def test_btp_seed_lands_field_by_field(new_force):
    profile = import_seed(new_force, "004_c136dcd95c8f927e.txt")
    assert profile.title == "Governance Process Assistant"
    assert profile.grade.code == "A004" and profile.vetting_level.code == "MV"
    assert (profile.department, profile.location, profile.number_of_posts) == (
        "Governance",
        "B Division",
        1,
    )
    assert profile.prepared_by == "Temporary Inspector Anton Hunte"
    assert str(profile.prepared_on) == "2017-08-02"
    assert len(responsibilities(profile)) == 10
    found = criteria(profile)
    assert [r for r, *_ in found].count("essential") == 10 and len(found) == 19
    kinds = list(profile.sections.values_list("kind", flat=True))
    assert {"dimensions", "decision_making", "contacts", "additional_information"} <= set(kinds)


# Word documents in two house styles and a printed PDF ------------------------------------

TITLE = "Digital Forensics Triage Officer"
DUTIES = [
    ("Examine seized devices using approved triage tools", "40"),
    ("Record exhibits and continuity on the case system", "25"),
    ("Give advice to investigators on digital evidence", "20"),
    ("Keep up to date with legislation and guidance", "15"),
]
ESSENTIAL = ["Experience of handling digital exhibits", "Full UK driving licence"]
DESIRABLE = ["A degree in computer forensics"]


def docx_bytes(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def table_style_docx():
    document = docx.Document()
    document.add_paragraph("Job Description")
    details = document.add_table(rows=0, cols=4)
    for row in [
        ("Job Title", TITLE, "Grade", "SO1"),
        ("Role Code", "DF042", "Vetting Level", "Management Vetting (MV)"),
        ("Reports To", "Digital Forensics Manager", "Home Office Function", "Investigations"),
    ]:
        cells = details.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph("Overall Purpose")
    document.add_paragraph("To recover and preserve digital evidence for investigations.")
    document.add_paragraph("Main Duties")
    duties = document.add_table(rows=1, cols=3)
    for cell, text in zip(duties.rows[0].cells, ["No.", "Duty", "Time %"], strict=True):
        cell.text = text
    for n, (text, weight) in enumerate(DUTIES, start=1):
        cells = duties.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(n), text, f"{weight}%"
    document.add_paragraph("Person Specification")
    criteria_table = document.add_table(rows=1, cols=3)
    for cell, text in zip(
        criteria_table.rows[0].cells, ["Criteria", "E/D", "Assessed by"], strict=True
    ):
        cell.text = text
    for text, ed in [(ESSENTIAL[0], "E"), (ESSENTIAL[1], "E"), (DESIRABLE[0], "D")]:
        cells = criteria_table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = text, ed, "Application Form / Interview"
    return docx_bytes(document)


def heading_style_docx():
    document = docx.Document()
    document.add_heading("Role Profile", level=0)
    document.add_paragraph(f"Role title: {TITLE}")
    document.add_paragraph("Reference: DF042")
    document.add_paragraph("Grade: SO1")
    document.add_paragraph("Status: Approved")
    document.add_heading("Role Purpose", level=1)
    document.add_paragraph("To recover and preserve digital evidence for investigations.")
    document.add_heading("Key Responsibilities", level=1)
    for text, weight in DUTIES:
        document.add_paragraph(f"{text} ({weight}%)", style="List Bullet")
    document.add_heading("Essential Criteria", level=1)
    for text in ESSENTIAL:
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("Desirable Criteria", level=1)
    for text in DESIRABLE:
        document.add_paragraph(text, style="List Bullet")
    return docx_bytes(document)


def printed_pdf():
    from weasyprint import HTML

    duties = "".join(f"<li>{text} – {weight}%</li>" for text, weight in DUTIES)
    page = f"""<html><body>
    <h1>Role Profile</h1>
    <p>Job Title: {TITLE}</p><p>Reference: DF042</p><p>Grade: SO1</p>
    <h2>Job Purpose</h2><p>To recover and preserve digital evidence for investigations.</p>
    <h2>Main Responsibilities</h2><ul>{duties}</ul>
    <h2>Essential Criteria</h2><ul>{"".join(f"<li>{t}</li>" for t in ESSENTIAL)}</ul>
    <h2>Desirable Criteria</h2><ul>{"".join(f"<li>{t}</li>" for t in DESIRABLE)}</ul>
    </body></html>"""
    return HTML(string=page).write_pdf()


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("tables.docx", table_style_docx),
        ("headings.docx", heading_style_docx),
        ("printed.pdf", printed_pdf),
    ],
)
def test_word_and_pdf_documents_in_other_house_styles_import_with_every_field_in_place(
    new_force, name, make
):
    new_force.grades.create(code="SO1", name="Senior Officer 1")
    [result] = import_files(new_force, [(name, make())])

    assert result.ok, result.error
    profile = result.profile
    assert profile.title == TITLE and profile.reference_code == "DF042"
    assert profile.grade.code == "SO1"
    assert profile.purpose == "To recover and preserve digital evidence for investigations."
    assert [(t, str(int(w))) for t, w in responsibilities(profile)] == DUTIES
    assert [(r, t) for r, t, *_ in criteria(profile)] == [
        ("essential", ESSENTIAL[0]),
        ("essential", ESSENTIAL[1]),
        ("desirable", DESIRABLE[0]),
    ]
    assert result.unplaced_words == 0


def test_home_office_function_goes_to_its_field_and_vetting_is_matched_by_name(new_force):
    new_force.grades.create(code="SO1")
    [result] = import_files(new_force, [("tables.docx", table_style_docx())])

    profile = result.profile
    assert profile.vetting_level.code == "MV"
    assert profile.home_office_function == "Investigations"
    assert list(profile.post_details.values_list("label", "value")) == []
    assert [m.name for m in profile.criteria.first().methods.all()] == [
        "Application Form",
        "Interview",
    ]


def test_an_hr_import_does_not_invent_a_grade_but_keeps_it_as_a_post_detail(new_force):
    [result] = import_files(new_force, [("headings.docx", heading_style_docx())])

    assert result.profile.grade is None and not new_force.grades.exists()
    assert ("Grade", "SO1") in result.profile.post_details.values_list("label", "value")


# The command ------------------------------------------------------------------------------


def test_the_command_prints_a_line_per_file_and_a_second_import_gets_a_new_slug(
    national_data, tmp_path, capsys
):
    seed = str(SEEDS / "004_c136dcd95c8f927e.txt")
    args = ["import_profiles", "--force", "btp-test", "--force-name", "BTP Test"]

    call_command(*args, seed)
    call_command(*args, seed)

    out = capsys.readouterr().out
    assert "btp-test/governance-process-assistant (draft)" in out
    assert "btp-test/governance-process-assistant-2 (draft)" in out
    assert "10 criteria" not in out and "19 criteria" in out and "words unplaced" in out
    assert RoleProfile.objects.filter(force__slug="btp-test").count() == 2


def test_the_command_names_a_bad_file_loads_the_others_and_fails(national_data, tmp_path, capsys):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip at all")
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(SEEDS / "003_71239bd9c7f6cf67.txt", "lancs.txt")

    with pytest.raises(CommandError, match="1 file"):
        call_command("import_profiles", "--force", "x", "--force-name", "X", str(bad), str(archive))

    out = capsys.readouterr().out
    assert "broken.docx: FAILED – the Word file is damaged" in out
    assert "lancs.txt: x/cse-child-sexual-exploitation-administration-assistant" in out


def test_the_command_refuses_an_unknown_force_without_a_name(national_data):
    with pytest.raises(CommandError, match="--force-name"):
        call_command("import_profiles", "--force", "nowhere", str(SEEDS / SEED_FILES[0]))


# Bad input ----------------------------------------------------------------------------------


def zip_of(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return out.getvalue()


def with_part(data, name, content):
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {item.filename: source.read(item) for item in source.infolist()}
    members[name] = content
    return zip_of(members)


def encrypted_pdf():
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(printed_pdf())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def external_docx():
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
        b' Target="http://127.0.0.1:9/template.dotm" TargetMode="External"/></Relationships>'
    )
    return with_part(heading_style_docx(), "word/_rels/settings.xml.rels", rels)


BAD_FILES = [
    ("empty.txt", b"", "empty"),
    ("corrupt.docx", b"PK\x03\x04 broken", "damaged"),
    ("corrupt.pdf", b"%PDF-1.7 garbage", "damaged"),
    ("big.txt", b"a" * (MAX_FILE_BYTES + 1), "larger than"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "only .docx"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_reason_and_creates_nothing(new_force, name, data, reason):
    [result] = import_files(new_force, [(name, data)])

    assert not result.ok and reason in result.error
    assert not RoleProfile.objects.exists()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("secret.pdf", encrypted_pdf, "encrypted"),
        ("scan.pdf", image_only_pdf, "no text"),
        ("linked.docx", external_docx, "external content"),
        (
            "macros.docx",
            lambda: with_part(heading_style_docx(), "word/vbaProject.bin", b"\x00macro"),
            "macros",
        ),
        ("bomb.zip", lambda: zip_of({"bomb.txt": b"0" * 30_000_000}), "zip bomb"),
    ],
)
def test_hostile_files_are_refused_and_nothing_is_created(new_force, name, make, reason):
    [result] = import_files(new_force, [(name, make())])

    assert not result.ok and reason in result.error, result.error
    assert not RoleProfile.objects.exists() and not ImportedDocument.objects.exists()


def test_reading_an_unknown_type_says_which_types_work():
    with pytest.raises(UnreadableDocument, match=r"\.docx, \.pdf, \.txt, \.md"):
        read_document("image.png", b"\x89PNG")


# The browser --------------------------------------------------------------------------------


def upload(client, *files, **extra):
    payload = [io.BytesIO(data) for _, data in files]
    for handle, (name, _) in zip(payload, files, strict=True):
        handle.name = name
    return client.post(reverse("profiles:import"), {"files": payload, **extra}, follow=True)


def test_an_hr_editor_imports_into_their_force_and_reviews_the_draft(
    client, hr_user, force, national_data
):
    client.force_login(hr_user)
    seed = (SEEDS / "000_94024340a64cd7f0.txt").read_bytes()

    response = upload(client, ("avon.txt", seed), ("bad.pdf", b"%PDF broken"))

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Citizens in Policing Administrator" in page and "Not imported: the PDF is damaged" in page
    )
    profile = RoleProfile.objects.get(force=force)
    assert profile.status == Status.DRAFT
    review = client.get(reverse("profiles:import_review", args=[force.slug, profile.slug]))
    assert review.status_code == 200
    assert "C3932 SC3 Citizens in Policing Administrator" in review.content.decode()
    assert reverse("profiles:edit", args=[force.slug, profile.slug]) in review.content.decode()


def test_the_review_highlights_unplaced_text(client, hr_user, force, national_data):
    client.force_login(hr_user)
    text = b"Job Title: Custody Detention Officer\nA loose remark nobody labelled.\n"
    upload(client, ("custody.txt", text))
    profile = RoleProfile.objects.get(force=force)

    review = client.get(reverse("profiles:import_review", args=[force.slug, profile.slug]))

    assert "<mark>A loose remark nobody labelled.</mark>" in review.content.decode()


def test_staff_choose_the_force_and_create_a_missing_grade(
    client, admin_user, other_force, national_data
):
    client.force_login(admin_user)
    data = heading_style_docx()

    upload(client, ("headings.docx", data), force=other_force.pk)

    profile = RoleProfile.objects.get(force=other_force)
    assert profile.grade.code == "SO1"


def test_a_hiring_manager_may_not_import(client, manager_user):
    client.force_login(manager_user)
    assert client.get(reverse("profiles:import")).status_code == 403
    assert upload(client, ("a.txt", b"Job Title: X")).status_code == 403
    assert not RoleProfile.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("profiles:import"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_forces_editor_cannot_review_an_import(
    client, hr_user, other_hr_user, force, national_data
):
    client.force_login(hr_user)
    upload(client, ("a.txt", b"Job Title: Custody Detention Officer\n"))
    profile = RoleProfile.objects.get(force=force)
    url = reverse("profiles:import_review", args=[force.slug, profile.slug])

    client.force_login(other_hr_user)
    assert client.get(url).status_code == 404


def test_a_manager_of_the_force_cannot_review_an_import(
    client, hr_user, manager_user, force, national_data
):
    client.force_login(hr_user)
    upload(client, ("a.txt", b"Job Title: Custody Detention Officer\n"))
    profile = RoleProfile.objects.get(force=force)

    client.force_login(manager_user)
    url = reverse("profiles:import_review", args=[force.slug, profile.slug])
    assert client.get(url).status_code == 404  # a draft: managers see published profiles only


def test_a_markdown_profile_of_an_unseen_force_lands_field_by_field(new_force):
    new_force.grades.create(code="E", name="Band E")
    path = Path(__file__).resolve().parent / "import_documents" / "control-room-supervisor.md"
    data = path.read_bytes()
    parsed = parse(read_document(path.name, data), vocabulary_for(new_force))

    [result] = import_files(new_force, [(path.name, data)])

    profile = result.profile
    assert words(data.decode()) == words(parsed.draft_text() + "\n" + "\n".join(parsed.structure))
    assert (profile.title, profile.reference_code) == ("Control Room Supervisor", "FCR-0193")
    assert profile.grade.code == "E" and profile.vetting_level.code == "RV"
    assert (profile.location, str(profile.date_reviewed)) == ("Force HQ", "2024-03-01")
    assert profile.purpose.startswith("To lead a team of call handlers")
    assert [int(w) for _, w in responsibilities(profile)] == [30, 25, 20, 15, 10]
    assert [(r, t) for r, t, *_ in criteria(profile)] == [
        ("essential", "Experience of supervising staff in a contact centre"),
        ("essential", "Ability to make quick decisions under pressure"),
        ("desirable", "ITIL Foundation qualification"),
    ]
    # "Status: Current" says nothing of officer or staff: it stays a row of its own
    assert list(profile.post_details.values_list("label", "value")) == [
        ("Section", "Contact Management"),
        ("Status", "Current"),
    ]
    assert profile.home_office_function == "Call handling"
    assert [(b.level.competency.name, b.level.number) for b in profile.behaviours.all()] == [
        ("We take ownership", 2),
        ("We are collaborative", 2),
    ]
    contacts = profile.sections.get(kind="contacts").items.order_by("order")
    assert [(i.subheading, i.text) for i in contacts] == [
        ("Internal", "Duty Inspector, response teams"),
        ("External", "Ambulance and fire control rooms"),
    ]
    # the heading's wording of the title differs from the labelled title: kept as a note
    assert result.unplaced == ["Force Control Room Supervisor"]


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(
    client, hr_user, force, national_data, monkeypatch
):
    from profiles.importing import batches

    patch(monkeypatch, batches, "MAX_UPLOAD_BYTES", 10)
    client.force_login(hr_user)

    response = upload(client, ("big.txt", b"Job Title: Custody Detention Officer\n"))

    assert "Not imported: the file is larger than" in response.content.decode()
    assert not RoleProfile.objects.exists()


ODD_TEXTS = [
    "\t\t\t\n\t\n\t\t",
    "· \n- \n* \n1.\n2)\n(a)\n%\n100%\nTotal: 80%\n",
    "Essential\nDesirable\nEE1\nEA2\nWe take ownership\n1\nInterview\n",
    "Grade:\nGrade:\nJob Title:\n:\n::\nA.\tB.\tC.\n",
    "<ul><li>one</li><li>Two three</li></ul><p></p><br>&amp; &nbsp;\n",
    "\n".join(f"Line {n}\tcell {n % 7}\t{n % 3}%" for n in range(400)),
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_never_breaks_the_parser_and_loses_no_word(new_force, text):
    vocabulary = vocabulary_for(new_force)
    try:
        document = read_document("odd.txt", text.encode())
    except UnreadableDocument as error:
        assert str(error) in {"the file is empty", "the document has no text"}
        return
    parsed = parse(document, vocabulary)

    assert words(document.text) == words(parsed.draft_text() + "\n" + "\n".join(parsed.structure))
    [result] = import_files(new_force, [("odd.txt", text.encode())])
    assert result.ok or result.error.startswith("The imported profile breaks a rule")


def test_a_profile_printed_in_a_house_layout_imports_back_with_its_fields(
    seed_forces, settings, tmp_path
):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"
    printed = RoleProfile.objects.select_related("force").get(force__slug="county-constabulary")
    data = pdf.cached_pdf(printed).content
    force = Force.objects.create(slug="re-import", name="Re-import Constabulary")
    document = read_document("county.pdf", data)
    parsed = parse(document, vocabulary_for(force))

    [result] = import_files(force, [("county.pdf", data)])

    profile = result.profile
    assert words(document.text) == words(parsed.draft_text() + "\n" + "\n".join(parsed.structure))
    assert profile.title == "Police Community Support Officer"
    assert profile.purpose == printed.purpose.replace("\n\n", " ")
    expected = [item.text for item in printed.sections.get(kind="responsibilities").items.all()]
    assert [text for text, _ in responsibilities(profile)] == expected
