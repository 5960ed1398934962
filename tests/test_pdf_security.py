"""The PDF renderer fetches nothing but data: URIs and the app's own static files."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from profiles.printing import pdf

PASSWD = "file:///etc/passwd"


class CountingServer(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), CountingHandler)
        self.paths = []

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class CountingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", PASSWD)
            self.end_headers()
            return
        body = b"LEAKED-FROM-SERVER"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def hostile_html(origin):
    """Every way an HTML/CSS document can ask WeasyPrint to fetch something."""
    targets = [f"{origin}/asset", f"{origin}/redirect", PASSWD, "file:///etc/hostname"]
    parts = []
    for n, url in enumerate(targets):
        parts.append(
            f"""
<link rel="stylesheet" href="{url}?link">
<style>@import url("{url}?import");
@font-face {{ font-family: Leak{n}; src: url("{url}?font"); }}
p.f{n} {{ font-family: Leak{n}; background-image: url("{url}?css"); }}</style>
<p class="f{n}">Font and background {n}</p>
<img src="{url}?img" alt="image {n}">
<div style="background: url('{url}?style'); height: 10px">style attribute {n}</div>
<a rel="attachment" href="{url}?attachment">attachment {n}</a>
<object data="{url}?object" type="text/plain">object {n}</object>
<embed src="{url}?embed" type="text/plain">
<iframe src="{url}?iframe"></iframe>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="{url}?svg" width="10" height="10"/></svg>
"""
        )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Hostile</title>'
        f'<link rel="attachment" href="{PASSWD}"></head><body><h1>Hostile</h1>'
        f"{''.join(parts)}</body></html>"
    )


def read_back(content):
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    images = [image for page in reader.pages for image in page.images]
    return reader, text, images


def test_it_fetches_nothing_from_a_server_or_the_file_system(server):
    content = pdf.html_to_pdf(hostile_html(server.origin))

    reader, text, images = read_back(content)
    assert server.paths == []
    assert "root:" not in text and "LEAKED" not in text
    assert reader.attachments == {}
    assert images == []
    assert b"root:x:" not in content and b"LEAKED-FROM-SERVER" not in content


def test_the_hostile_document_reaches_the_server_without_the_locked_fetcher(server):
    # Proves the test above can fail: WeasyPrint's own fetcher follows every vector.
    from weasyprint import HTML

    content = HTML(string=hostile_html(server.origin)).write_pdf()

    assert any(path.endswith("?img") for path in server.paths)
    assert any(path.endswith("?import") for path in server.paths)
    assert any(path.startswith("/redirect") for path in server.paths)
    assert PdfReader(io.BytesIO(content)).attachments != {}


def test_it_embeds_data_uris_and_the_apps_own_static_files():
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Allowed</title>'
        f'<link rel="stylesheet" href="{pdf.APP_ORIGIN}/static/css/pdf/test-marker.css">'
        f'</head><body><img src="{pixel}" alt="pixel"><p class="marker">x</p></body></html>'
    )

    _reader, text, images = read_back(pdf.html_to_pdf(html))

    assert len(images) == 1
    assert "STATIC-CSS-REACHED" in text


@pytest.mark.parametrize(
    "url",
    [
        f"{pdf.APP_ORIGIN}/static/../config/settings.py",
        f"{pdf.APP_ORIGIN}/static/%2e%2e/config/settings.py",
        f"{pdf.APP_ORIGIN}/static/css/..%2f..%2fconfig/settings.py",
        f"{pdf.APP_ORIGIN}/static//etc/passwd",
        f"{pdf.APP_ORIGIN}/static/css\\..\\..\\config\\settings.py",
        f"{pdf.APP_ORIGIN}/media/logos/x.png",
        "https://role-profiles.invalid.example.com/static/css/site.css",
        "http://127.0.0.1/static/css/site.css",
        PASSWD,
    ],
)
def test_it_refuses_urls_outside_the_static_files(url):
    assert pdf.static_file_path(url) is None
    with pytest.raises(ValueError, match="does not fetch"):
        pdf.LockedURLFetcher().fetch(url)


def test_it_finds_a_static_file_by_its_url():
    path = pdf.static_file_path(f"{pdf.APP_ORIGIN}/static/css/site.css")

    assert path is not None and path.endswith("static/css/site.css")
