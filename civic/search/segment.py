"""Chinese word segmentation with jieba, done the same way for the index and for the search box.

Changing DOMAIN_WORDS changes how text is cut: run `flask search reindex` afterwards.
"""
from __future__ import annotations

import logging
import re
import threading

import jieba

# Words of this domain that jieba's dictionary lacks; cut_for_search then also yields their parts
# (加装电梯 → 加装 / 电梯 / 加装电梯), so both the whole word and its parts are found.
DOMAIN_WORDS = ("加装电梯", "垃圾厢房", "充电桩", "停车棚", "电动车", "新能源车", "微更新", "业委会", "居委会",
                "物业费", "楼组长", "议事会", "小圆桌", "回音壁", "会客厅")
MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 12
MAX_TOKEN_CHARS = 64  # longer runs are noise (pasted links, keyboard mashing) and bloat the index

# Letters and digits only: punctuation, symbols and underscores are dropped, so FTS5's unicode61
# tokenizer and PostgreSQL's parser see exactly the words we cut and nothing they could read as syntax.
_WORD = re.compile(r"[^\W_]+")
_lock = threading.Lock()
_ready = False


def _tokenizer() -> jieba.Tokenizer:
    """jieba's dictionary loads once (about a second), on first use, whichever thread gets there first."""
    global _ready
    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
                for word in DOMAIN_WORDS:
                    jieba.dt.add_word(word)
                _ready = True
    return jieba.dt


def _words(text: str) -> list[str]:
    # HMM off: only dictionary words, so a sentence and a query containing the same word cut it alike.
    words = []
    for piece in _tokenizer().cut_for_search(text or "", HMM=False):
        words.extend(w for w in _WORD.findall(piece.lower()) if len(w) <= MAX_TOKEN_CHARS)
    return words


def tokens(text: str) -> str:
    """Index form of a text: its words and search sub-words, lowercased, without punctuation, space-joined."""
    return " ".join(_words(text))


def query_terms(q: str) -> list[str]:
    """Words of a search box query, each of which a document must contain; duplicates dropped."""
    terms = list(dict.fromkeys(_words((q or "")[:MAX_QUERY_CHARS])))
    return terms[:MAX_QUERY_TERMS]
