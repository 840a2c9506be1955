"""nbgrader course workflow (imported as ``netwise.grading``).

One flat module per concern: ``course`` (folder, config, source assignments),
``roster``, ``release`` (with ``stamp``: what a release was made with), ``collect``, ``grade`` (autograde, feedback, export),
``activities`` (grading's table per activity type: feedback and report rows),
``feedback`` (the learner's HTML), ``report`` (class report), ``gains`` (measured
learning), ``charts`` (inline SVG), ``html`` (the Jinja2 environment of ``templates/``),
``graded_cells`` (the hidden checks that run inside nbgrader's kernel), ``cli`` (``netwise course``).
"""
