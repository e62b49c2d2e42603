"""Text → candidate claims grounded to exokg's entities, for a curator to accept or reject.

Nothing mined is added to the graph: candidates are rows of the curation table.
"""

from __future__ import annotations

from exokg.mine.candidates import CANDIDATE_COLUMNS, MINING_COLUMNS, Candidate, certainty_of
from exokg.mine.lexicon import Lexicon, Mention, ProposedEntity, load_lexicon
from exokg.mine.run import MineResult, mine_text, write_candidates, write_proposed_entities

__all__ = [
    "CANDIDATE_COLUMNS",
    "MINING_COLUMNS",
    "Candidate",
    "Lexicon",
    "Mention",
    "MineResult",
    "ProposedEntity",
    "certainty_of",
    "load_lexicon",
    "mine_text",
    "write_candidates",
    "write_proposed_entities",
]
