"""Printable checklists: tailor a playbook checklist, then render it as PDF, HTML, Markdown or CSV.

>>> t = tailor(pb, "project-kickoff", role="product-owner")   # doctest: +SKIP
>>> pdf = render(pb, t, "pdf", paper="letter")                 # doctest: +SKIP
"""

from __future__ import annotations

from .render import CSV_COLUMNS, FORMATS, PAPER_NAMES, PAPERS, render, render_html, render_pdf_many
from .tailor import Group, Tailored, TailoredItem, Why, tailor

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "PAPERS",
    "PAPER_NAMES",
    "Group",
    "Tailored",
    "TailoredItem",
    "Why",
    "render",
    "render_html",
    "render_pdf_many",
    "tailor",
]
