"""Checks of the links from remediations to the questions they answer (``answers``), which the
assessment's "do next" follows: every link leads to a question, and every question is answered by
some remediation."""

from __future__ import annotations

from collections.abc import Iterator

from ..codes import Code
from ..errors import Problem, did_you_mean
from .registry import Context, check


@check("LB325", "dangling-answers")
def dangling_answers(ctx: Context, code: Code) -> Iterator[Problem]:
    """A remediation's ``answers`` names a question the playbooks do not have.

    ``answers`` lists the questions a remediation gets answered yes; the assessment's "do next"
    recommends a remediation only while one of them is not answered yes. An id there must be a
    question's id, or a former id the question keeps in its ``aliases``.

    Example::

        remediations:
          - id: set-sponsor-checkpoints
            answers: [sponsor-checkpoint-held]    # LB325: did you mean sponsor-checkpoints-held?

    Fix: write the id of an existing question (the hint names the closest one), or remove it.
    """
    known = set(ctx.questions) | {a for q in ctx.questions.values() for a in q.aliases}
    for r in ctx.pb.remediations():
        for i, qid in enumerate(r.answers):
            if qid not in known:
                hint = did_you_mean(qid, known) or "list ids of questions of any failure mode"
                yield code.at(
                    r.locs.get(f"answers.{i}", r.loc),
                    f"remediation '{r.id}' answers unknown question '{qid}'",
                    hint,
                )


@check("LB326", "question-without-remediation", "warning")
def question_without_remediation(ctx: Context, code: Code) -> Iterator[Problem]:
    """A question that no remediation answers.

    Every question should name, through some remediation's ``answers``, what to do when it is
    not answered yes; else the assessment's "do next" falls back to every remediation of the
    question's failure mode, including work already done.

    Example: the question ``sponsor-checkpoints-held`` while no remediation lists it in
    ``answers``.

    The check applies to a playbook set that links questions at all (one remediation with
    ``answers`` or more): a set written before the field, a fork of an older upstream say, keeps
    the fallback quietly.

    Fix: add the question's id to ``answers`` of the remediation that gets it answered yes
    (a remediation of any failure mode).
    """
    answered: set[str] = set()
    for r in ctx.pb.remediations():
        answered.update(r.answers)
    if not answered:
        return
    for q in ctx.pb.questions():
        if q.id not in answered and not answered.intersection(q.aliases):
            yield code.at(
                q.loc,
                f"no remediation answers question '{q.id}'",
                f"add '{q.id}' to 'answers' of the remediation that gets it answered yes",
            )
