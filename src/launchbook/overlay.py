"""Fork support: an organization's overlay on upstream playbooks (see issue #7)."""

from __future__ import annotations

OVERLAY_CODES: dict[str, tuple[str, str]] = {}
