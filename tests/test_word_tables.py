"""Word tables keep the PDF's grid: a cell spanning rows holds its column in the rows below."""

import io

import docx
from lxml import html as lxml_html

from profiles.models import RoleProfile, Status
from profiles.printing import word


def test_a_rowspan_cell_keeps_its_column_and_the_cells_beside_it_stay_aligned():
    table = lxml_html.fromstring(
        "<table><tr><th rowspan='3'>Skills</th><td>a</td><td>EE2</td></tr>"
        "<tr><td>b</td><td>EE3</td></tr><tr><td colspan='2'>c</td></tr>"
        "<tr><td>d</td><td>e</td><td>f</td></tr></table>"
    )

    placed = [
        (row, column, rowspan, colspan, cell.text_content())
        for row, column, rowspan, colspan, cell in word._place_cells(table.findall(".//tr"))
    ]

    assert placed == [
        (0, 0, 3, 1, "Skills"),
        (0, 1, 1, 1, "a"),
        (0, 2, 1, 1, "EE2"),
        (1, 1, 1, 1, "b"),
        (1, 2, 1, 1, "EE3"),
        (2, 1, 1, 2, "c"),
        (3, 0, 1, 1, "d"),
        (3, 1, 1, 1, "e"),
        (3, 2, 1, 1, "f"),
    ]


def test_the_avon_shortlisting_table_keeps_every_code_in_its_code_column(seed_forces):
    avon = RoleProfile.objects.get(force__slug="avon-and-somerset", status=Status.PUBLISHED)

    document = docx.Document(io.BytesIO(word.render(avon)))

    [table] = [t for t in document.tables if t.rows[0].cells[0].text.strip() == "Shortlist"]
    header = [cell.text.strip() for cell in table.rows[0].cells]
    assert header == ["Shortlist", "Essential", "Code", "Additional/ Useful", "Code"]
    body = [[cell.text.strip() for cell in row.cells] for row in table.rows[1:]]
    assert len(body) > 1
    assert all(len(row) == 5 for row in body)
    essential_codes = [row[2] for row in body if row[2]]
    desirable_codes = [row[4] for row in body if row[4]]
    assert essential_codes == ["EE2", "EE3", "EE4", "EE5", "EE6"]
    assert desirable_codes == ["EA1"]
    # Each criterion sits beside its code, in the column of its kind.
    assert all(row[1] for row in body if row[2])
    assert all(row[3] for row in body if row[4])
    # The category heading spans its rows: one merged cell, read as its text in each row.
    first_column = table.columns[0].cells[1:]
    assert all(cell._tc is first_column[0]._tc for cell in first_column)
    assert all(row[0] == body[0][0] != "" for row in body)
