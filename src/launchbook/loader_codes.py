"""The problem codes of :mod:`launchbook.yamlread` and :mod:`launchbook.loader` (LB100-LB116:
reading a file; LB200-LB212: its fields against the schema), each with its documentation: what
it catches, a failing and a passing example, and the fix. They are emitted through the registry
(:mod:`launchbook.codes`), so a code used there is always one declared here, at its level. The
codes of text that is markup (LB220, LB221) are declared in :mod:`launchbook.markup`.
"""

from __future__ import annotations

from .codes import declare

YAML_SYNTAX = declare(
    "LB100",
    "yaml-syntax",
    """
    The file is not valid YAML.

    The message gives the line and column where the YAML parser gave up and what it expected; the
    hint names the usual cause (an unquoted ': ' inside a value, a tab, a missing ':').

    Example (fails)::

        title: Ask: why?          # LB100 mapping values are not allowed here

    Example (passes)::

        title: "Ask: why?"

    Fix: quote values that contain ': ' or start with a special character, and indent with spaces.
    """,
)

DUPLICATE_KEY = declare(
    "LB101",
    "duplicate-key",
    """
    A key appears twice in one mapping.

    YAML would silently keep only the last value, so one of the two is lost without a word.

    Example (fails)::

        title: Data is missing
        title: No data            # LB101 duplicate key 'title' (first at line 1)

    Example (passes)::

        title: No data

    Fix: keep one of the two.
    """,
)

FILE_TOO_LARGE = declare(
    "LB102",
    "file-too-large",
    """
    The file is over the size limit (1 MiB).

    A playbook file is normally under 20 KB; a larger one is a mistake (a pasted data dump) or an
    attempt to exhaust memory, and it is not read past the limit.

    Example (fails): a failure mode file of 2 MB.

    Example (passes): the same content split into one file per failure mode.

    Fix: split the content into several files.
    """,
)

INVALID_UTF8 = declare(
    "LB103",
    "invalid-utf8",
    """
    The file is not valid UTF-8.

    Playbook files are UTF-8; a file saved as Latin-1 or Windows-1252 has bytes that are not.

    Example (fails): ``title: Caf\\xe9`` saved as Latin-1 (the byte 0xE9 alone).

    Example (passes): ``title: Café`` saved as UTF-8.

    Fix: save the file as UTF-8 (the message gives the position of the first bad byte).
    """,
)

BOM_IN_MIDDLE = declare(
    "LB104",
    "bom-in-middle",
    """
    A byte order mark (U+FEFF) appears inside the file.

    A BOM is allowed only as the file's first character; elsewhere it is an invisible character
    that usually comes from pasting two files together.

    Example (fails)::

        title: No data
        <U+FEFF>summary: ...      # LB104

    Example (passes): the same lines without the invisible character.

    Fix: delete the character (the message gives its line and column).
    """,
)

CONTROL_CHARACTER = declare(
    "LB105",
    "control-character",
    """
    A control character in the text.

    Control characters (and NEL, the line and paragraph separators U+2028/U+2029, and a carriage
    return not followed by a line feed) are invisible, can rewrite what a terminal shows, and mean
    nothing in a playbook.

    Example (fails): ``title: No<U+0007>data`` (a bell character between the words).

    Example (passes): ``title: No data``.

    Fix: delete the character (the message gives its line, column and code point).
    """,
)

TAB_INDENTATION = declare(
    "LB106",
    "tab-indentation",
    """
    A line is indented with a tab.

    YAML does not allow tabs for indentation; editors show them at different widths, so the
    structure a reader sees is not the one the parser reads.

    Example (fails)::

        remediations:
        <TAB>- id: write-plan     # LB106

    Example (passes)::

        remediations:
          - id: write-plan

    Fix: indent with spaces.
    """,
)

EMPTY_FILE = declare(
    "LB107",
    "empty-file",
    """
    The file holds no data: it is empty, only comments, or only ``---`` or ``null``.

    Example (fails): a ``failure-modes/no-data.yml`` with only ``# TODO``.

    Example (passes)::

        id: no-data
        title: No data to learn from
        ...

    Fix: fill in the file's fields, or delete the file.
    """,
)

NOT_A_MAPPING = declare(
    "LB108",
    "not-a-mapping",
    """
    The file's top level (or a value that must hold fields) is not a mapping.

    Example (fails)::

        - id: no-data             # LB108 a list where the file's fields are expected

    Example (passes)::

        id: no-data

    Fix: write the fields as ``name: value`` lines at the top level.
    """,
)

MULTIPLE_DOCUMENTS = declare(
    "LB109",
    "multiple-documents",
    """
    More than one YAML document in a file.

    A ``---`` line between two blocks starts a second document; only one is allowed per file, so
    nothing is silently ignored.

    Example (fails)::

        id: no-data
        ---                       # LB109
        id: other

    Example (passes): each document in a file of its own.

    Fix: remove the ``---`` separator, or split the file.
    """,
)

ANCHOR_OR_ALIAS = declare(
    "LB110",
    "anchor-or-alias",
    """
    An anchor (``&a``) or alias (``*a``).

    Aliases can make a few lines expand into gigabytes ("billion laughs"), and they hide what a
    field holds from a reader; they are refused.

    Example (fails)::

        owner: &po product-owner  # LB110
        involves: [*po]

    Example (passes)::

        owner: product-owner
        involves: [product-owner]

    Fix: write the values out in full.
    """,
)

MERGE_KEY = declare(
    "LB111",
    "merge-key",
    """
    A merge key (``<<``).

    Merge keys copy fields from elsewhere, which hides what a mapping holds; they are refused.

    Example (fails)::

        - <<: *defaults           # LB111
          id: write-plan

    Example (passes)::

        - id: write-plan
          owner: product-owner

    Fix: write the fields out in full.
    """,
)

EXPLICIT_TAG = declare(
    "LB112",
    "explicit-tag",
    """
    An explicit tag such as ``!!python/object`` or ``!foo``.

    Tags ask the parser to build objects; a value's type comes from its field in the schema, so
    tags are refused.

    Example (fails)::

        effort: !!str M           # LB112

    Example (passes)::

        effort: M

    Fix: remove the tag.
    """,
)

TOO_DEEP = declare(
    "LB113",
    "too-deep",
    """
    Nesting deeper than the limit (16 levels).

    Real playbook files nest at most four levels; a deeper structure is a mistake or an attempt to
    exhaust the parser.

    Example (fails): ``x: [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]`` (17 nested lists).

    Example (passes): ``tags: [data, planning]``.

    Fix: flatten the structure.
    """,
)

MIXED_LINE_ENDINGS = declare(
    "LB114",
    "mixed-line-endings",
    """
    CRLF (Windows) and LF (Unix) line endings mixed in one file.

    Usually the sign of an edit on another system; a diff of such a file shows every line as
    changed.

    Example (fails): a file whose first line ends with ``\\r\\n`` and its second with ``\\n``.

    Example (passes): every line ending with ``\\n``.

    Fix: convert the file to LF line endings (``dos2unix``, or your editor's line-ending setting).
    """,
)

UNREADABLE_FILE = declare(
    "LB115",
    "unreadable-file",
    """
    The file cannot be read, or is refused.

    Only regular files are read: a FIFO, device or socket is refused without being opened, and a
    symbolic link only while it stays inside the playbook folder. A file without read permission,
    a folder with a file's name and a broken link cannot be read.

    Example (fails): ``failure-modes/no-data.yml -> /etc/passwd`` (a link out of the folder).

    Example (passes): ``failure-modes/no-data.yml`` a regular file of the folder.

    Fix: make the file a regular, readable file inside the playbook folder (the hint names the
    cause).
    """,
)

MISSING_FILE = declare(
    "LB116",
    "missing-file",
    """
    A required file of the playbook folder is missing.

    A playbook folder needs ``launchbook.yml`` (the manifest), ``roles.yml`` and ``sources.yml``;
    without one, nothing that refers to it can be checked.

    Example (fails): a folder with ``launchbook.yml`` and ``failure-modes/`` but no ``roles.yml``.

    Example (passes): the same folder with a ``roles.yml`` listing the roles.

    Fix: add the file; ``launchbook init`` writes a starting point.
    """,
)

UNKNOWN_FIELD = declare(
    "LB200",
    "unknown-field",
    """
    A field that the file's schema does not define.

    Usually a typo, which would otherwise be silently ignored; the hint suggests the closest name.

    Example (fails)::

        sumary: Models never reach production.   # LB200 did you mean 'summary'?

    Example (passes)::

        summary: Models never reach production.

    Fix: correct the name (``launchbook schema`` prints every field of every file kind).
    """,
)

MISSING_FIELD = declare(
    "LB201",
    "missing-field",
    """
    A required field is missing or empty.

    Example (fails)::

        id: write-plan
        title: Write the plan     # LB201 'owner' is required

    Example (passes)::

        id: write-plan
        title: Write the plan
        owner: product-owner

    Fix: add the field with a value.
    """,
)

WRONG_TYPE = declare(
    "LB202",
    "wrong-type",
    """
    A value of the wrong shape: a list where text is expected, a mapping for a list, and so on.

    Example (fails)::

        tags: data                # LB202 'tags' must be a list

    Example (passes)::

        tags: [data]

    Fix: write the value in the shape the message names.
    """,
)

BAD_ID = declare(
    "LB203",
    "bad-id",
    """
    An id that is not plain kebab-case.

    Ids are lower-case letters and digits joined by single hyphens; they become file names and
    page addresses, and other items refer to them.

    Example (fails)::

        id: No_Data               # LB203

    Example (passes)::

        id: no-data

    Fix: write the id in kebab-case (the hint suggests one).
    """,
)

BAD_NUMBER = declare(
    "LB204",
    "bad-number",
    """
    Not a plain decimal number.

    YAML 1.1 reads ``0755`` as an octal number and ``1:30`` as a base-60 one, and a quoted
    ``"2"`` is text; all are refused where a number is expected, as are numbers out of range.

    Example (fails)::

        level: "2"                # LB204 remove the quotes

    Example (passes)::

        level: 2

    Fix: write a plain decimal number.
    """,
)

BAD_BOOLEAN = declare(
    "LB205",
    "bad-boolean",
    """
    A yes/no field with a value other than ``true`` or ``false``.

    YAML 1.1 also reads ``yes``, ``no``, ``on`` and ``off`` as booleans (the "Norway problem");
    they are refused so a value means what it says.

    Example (fails), a statistic in sources.yml::

        chart: yes                # LB205

    Example (passes)::

        chart: true

    Fix: write ``true`` or ``false``.
    """,
)

BAD_CHOICE = declare(
    "LB206",
    "bad-choice",
    """
    A value that is not one of the field's allowed choices.

    Example (fails)::

        effort: XXL               # LB206 not allowed for 'effort'

    Example (passes)::

        effort: L

    Fix: use one of the values the hint lists.
    """,
)

RAW_HTML = declare(
    "LB207",
    "raw-html",
    """
    Raw HTML in a Markdown field.

    The site sanitizes HTML away and a checklist prints it as written; Markdown says the same
    safely.

    Example (fails)::

        summary: Models <b>never</b> ship.      # LB207

    Example (passes)::

        summary: Models **never** ship.

    Fix: write Markdown only.
    """,
)

ID_FILE_MISMATCH = declare(
    "LB208",
    "id-file-mismatch",
    """
    A failure mode's or checklist's id differs from its file name.

    The file name is how people find an item; the id is how others refer to it. They must agree.

    Example (fails): ``failure-modes/no-data.yml`` holding ``id: missing-data``.

    Example (passes): ``failure-modes/no-data.yml`` holding ``id: no-data``.

    Fix: rename the file to the id, or set the id to the file's name.
    """,
)

BAD_FORMAT = declare(
    "LB209",
    "bad-format",
    """
    A text that does not match its format (a URL, a date, a version) or is too long.

    Example (fails)::

        url: www.example.org/study      # LB209 not a valid url
        date: 2024-13-01                # LB209 not a valid date

    Example (passes)::

        url: https://www.example.org/study
        date: 2024-12-01

    Fix: write the value in the format the hint gives (a full https:// URL, YYYY or YYYY-MM-DD,
    a version such as 1.2.0), or shorten the text.
    """,
)

TOO_FEW_ITEMS = declare(
    "LB210",
    "too-few-items",
    """
    A list with fewer items than required.

    Example (fails)::

        phases: []                # LB210 a failure mode is in at least one phase

    Example (passes)::

        phases: [frame]

    Fix: add the missing items.
    """,
)

DUPLICATE_ITEM = declare(
    "LB211",
    "duplicate-item",
    """
    The same value listed twice in one list.

    Example (fails)::

        involves: [data-engineer, data-engineer]   # LB211

    Example (passes)::

        involves: [data-engineer]

    Fix: remove one.
    """,
)

CHECKLIST_ITEM_SHAPE = declare(
    "LB212",
    "checklist-item-shape",
    """
    A checklist item without exactly one of ``question`` or ``remediation``.

    Each item of a checklist asks one question or lists one remediation; both or neither is
    ambiguous.

    Example (fails)::

        items:
          - question: plan-written
            remediation: write-plan   # LB212

    Example (passes)::

        items:
          - question: plan-written
          - remediation: write-plan

    Fix: split the item in two, or give it the one it needs.
    """,
)
