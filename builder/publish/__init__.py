"""Publish stage: site generator, pages rendered directly, search index, privacy audit, one swap."""


class SiteBuildError(Exception):
    """The site could not be built or published; the existing site is left as it was."""
