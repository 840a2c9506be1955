"""nbgrader course workflow (imported as ``netwise.grading``).

One flat module per concern: ``course`` (folder, config, source assignments),
``roster``, ``release``, ``collect``, ``grade`` (autograde, feedback, export),
``feedback`` (the learner's HTML), ``report`` (class report), ``graded_cells``
(the hidden checks that run inside nbgrader's kernel), ``cli`` (``netwise course``).
"""
