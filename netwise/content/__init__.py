"""The curriculum as data: the model, its YAML source, loading, validation, links and assessment forms.

The bottom layer: it imports nothing from the rest of NetWise but ``errors`` and ``paths``.
"""

from netwise.content.load import load, load_curriculum
from netwise.content.loader import Curriculum, load_structure, module_of_lesson

__all__ = ["Curriculum", "load", "load_curriculum", "load_structure", "module_of_lesson"]
