"""Checks that every part is covered and owned: roles own something, a remediation has one owner,
each failure mode has remediations and questions, questions sit in their failure mode's phases,
checklists list what exists."""

from __future__ import annotations

from collections.abc import Iterator

from ..codes import Code
from ..errors import Problem, did_you_mean
from .registry import Context, check, unloaded_hint


@check("LB305", "orphan-role", "warning")
def orphan_role(ctx: Context, code: Code) -> Iterator[Problem]:
    """A role that owns nothing and is involved in nothing.

    Example: ``roles.yml`` defines ``security-officer`` but no question or
    remediation names it as owner or in ``involves``.

    Fix: give the role something to own, or delete it (or exclude it in a fork).
    """
    used: set[str] = set()
    for q in ctx.pb.questions():
        used.add(q.owner)
    for r in ctx.pb.remediations():
        used.add(r.owner)
        used.update(r.involves)
    for role in ctx.pb.roles:
        if role.id not in used:
            yield code.at(
                role.loc,
                f"role '{role.id}' owns nothing",
                unloaded_hint(ctx.pb.unloaded, "it may own items in")
                or "assign it questions or remediations, or remove it",
            )


@check("LB308", "orphan-question", "warning")
def orphan_question(ctx: Context, code: Code) -> Iterator[Problem]:
    """A question asked in a phase where its failure mode does not occur.

    Phase views and phase-tailored checklists show a failure mode's questions
    only in the failure mode's phases; a question outside them is orphaned and
    never shown there.

    Example: failure mode with ``phases: [frame]`` and a question with ``phase: operate``.

    Fix: add the phase to the failure mode's ``phases``, or move the question.
    """
    for fm in ctx.pb.failure_modes:
        for q in fm.questions:
            if q.phase in ctx.phases and q.phase not in fm.phases:
                yield code.at(
                    q.locs["phase"],
                    f"question '{q.id}' is in phase '{q.phase}', not one of {fm.id}'s phases",
                    f"add '{q.phase}' to phases of '{fm.id}', or use one of: {', '.join(fm.phases)}",
                )


@check("LB309", "no-remediation")
def no_remediation(ctx: Context, code: Code) -> Iterator[Problem]:
    """A failure mode with no remediation.

    A reader who recognizes the failure needs to know what to do about it.

    Example: ``remediations: []``.

    Fix: add at least one remediation with an owner, a phase and an effort.
    """
    for fm in ctx.pb.failure_modes:
        if not fm.remediations:
            yield code.at(fm.locs.get("remediations", fm.loc), f"'{fm.id}' has no remediation", "add one")


@check("LB311", "no-key-question")
def no_key_question(ctx: Context, code: Code) -> Iterator[Problem]:
    """A failure mode whose key question is blank, or has no question at all.

    The key question is what a facilitator asks first; checklists print it in bold.

    Example: ``key_question: ""``.

    Fix: write the one question that would reveal this failure mode early.
    """
    for fm in ctx.pb.failure_modes:
        if not fm.key_question.strip():
            yield code.at(fm.locs.get("key_question", fm.loc), f"'{fm.id}' has no key question", "write one")
        elif not fm.questions:
            yield code.at(
                fm.locs.get("questions", fm.loc), f"'{fm.id}' has no questions", "add at least one question"
            )


@check("LB312", "owner-not-single")
def owner_not_single(ctx: Context, code: Code) -> Iterator[Problem]:
    """A remediation without one single accountable owner.

    ``owner`` names exactly one accountable role; others go in ``involves``. A
    role that is both owner and involved blurs who is accountable.

    Example: ``owner: ml-engineer`` with ``involves: [ml-engineer, data-engineer]``.

    Fix: keep the accountable role in ``owner`` and remove it from ``involves``.
    """
    for r in ctx.pb.remediations():
        if r.owner in r.involves:
            i = r.involves.index(r.owner)
            yield code.at(
                r.locs[f"involves.{i}"],
                f"'{r.owner}' is both owner and involved in '{r.id}'",
                "remove the owner from involves",
            )


@check("LB313", "missing-checklist-item")
def missing_checklist_item(ctx: Context, code: Code) -> Iterator[Problem]:
    """A checklist item that names a question or remediation that does not exist.

    Example::

        items:
          - question: deployment-plan-writen   # did you mean 'deployment-path-written'?

    Fix: correct the id, or remove the item.
    """
    for cl in ctx.pb.checklists:
        seen: set[tuple[str, str]] = set()
        for it in cl.items:
            known = ctx.questions if it.kind == "question" else ctx.remediations
            if it.ref not in known:
                yield code.at(
                    it.loc,
                    f"checklist '{cl.id}' lists unknown {it.kind} '{it.ref}'",
                    did_you_mean(it.ref, known)
                    or unloaded_hint(ctx.pb.unloaded)
                    or "fix the id or remove the item",
                )
            elif (it.kind, it.ref) in seen:
                yield code.at(it.loc, f"checklist '{cl.id}' lists {it.kind} '{it.ref}' twice", "remove one")
            seen.add((it.kind, it.ref))
