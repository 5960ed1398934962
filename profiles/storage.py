"""Where PDFs and zips are kept: any Django storage, the file system by default.

Every process (web or worker, on any machine) reads and writes the cache through
`storages["pdfs"]`: a shared folder by default, or S3-compatible object storage through
django-storages (see DEPLOY.md).
"""

import os
import uuid
from functools import lru_cache
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
        # Every read asks for it: worked out once for each value of the settings.
        return _absolute(settings.PDF_CACHE_DIR, settings.MEDIA_ROOT)

    def read_with_time(self, name):
        """The file's bytes and when it was written, both from one open (a file replaced
        meanwhile is read whole, old or new, with its own time); FileNotFoundError if none."""
        with open(self.path(name), "rb") as file:
            return file.read(), self._datetime_from_timestamp(os.fstat(file.fileno()).st_mtime)


@lru_cache(maxsize=8)
def _absolute(cache_dir, media_root):
    return os.path.abspath(cache_dir or Path(media_root) / "pdf-cache")
