"""nbgrader course workflow (see issue 3)."""
