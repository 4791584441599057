"""launchbook: checked YAML playbooks for getting ML projects into production."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The one version is [project] version in pyproject.toml; installing (also `pip install -e .`)
    # records it in the package metadata, read here.
    __version__ = version("launchbook")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
