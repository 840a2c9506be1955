"""Building from the curriculum: lesson and form notebooks (``notebooks``) and the teacher guide (``guide``).

Above content, i18n and scoring; used by grading (its source notebooks), the lesson app and the CLI.
"""
