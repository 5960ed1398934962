"""Where PDFs and zips are kept: any Django storage, the file system by default.

Every process (web or worker, on any machine) reads and writes the cache through
`storages["pdfs"]`: a shared folder by default, or S3-compatible object storage through
django-storages (see DEPLOY.md).
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    """A file system storage that replaces a file whole: a reader sees the old or the new one."""

    def __init__(self, **kwargs):
        super().__init__(allow_overwrite=True, **kwargs)

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        with open(temporary, "wb") as file:
            for chunk in content.chunks():
                file.write(chunk if isinstance(chunk, bytes) else chunk.encode())
        os.replace(temporary, path)
        return name


class PdfCacheStorage(AtomicFileSystemStorage):
    """The PDF cache in PDF_CACHE_DIR (default MEDIA_ROOT/pdf-cache), read at each use."""

    @property
    def base_location(self):
        return str(settings.PDF_CACHE_DIR or Path(settings.MEDIA_ROOT) / "pdf-cache")

    @property
    def location(self):
        return os.path.abspath(self.base_location)
