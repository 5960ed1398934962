"""Storage for the collected static files: whitenoise's compressed, hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keeps(pattern):
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in regex

    return tuple(
        (extension, tuple(p for p in extension_patterns if keeps(p)))
        for extension, extension_patterns in patterns
    )


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashes and compresses; leaves alone the source maps that vendored files name.

    Bootstrap's files end with a sourceMappingURL comment, but npm's packages we vendor ship
    no .map files: browsers only fetch them with the developer tools open.
    """

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
