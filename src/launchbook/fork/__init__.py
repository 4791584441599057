"""Forks: ``launchbook init`` starts one (:mod:`.init`, :mod:`.templates`), ``launchbook diff``
follows upstream (:mod:`.diff`). The overlay semantics themselves live in :mod:`launchbook.overlay`;
the commands' arguments and output in :mod:`launchbook.commands.init` and
:mod:`launchbook.commands.diff`.
"""
