"""The site: a virtual page set over the checked playbooks, a thin MkDocs plugin, and an atomic build."""

import os

# Material 9.8 prints an end-of-life banner unless this is set; launchbook silences it itself.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
