"""Normalising person names (Arabic and Latin script), phones and document numbers for search and linkage.

This is the one place where the registry's name search and the record-linkage engine get their
normal forms and keys from; the rules follow DESIGN.md, section "Names". Everything here is pure
Python without Django, so that a linkage batch can import it in a worker process or a notebook.

Three layers, from faithful to lossy:

- ``normalize_arabic`` / ``normalize_latin`` / ``normalize_name``: spelling noise removed (diacritics,
  letter forms, keyboards, spacing of compounds), but a different name stays a different string.
- ``strict_key``: script-independent; keeps long vowels so that Mohammed/Mahmoud, Hassan/Hussein
  and Saad/Saeed stay apart.
- ``skeleton``: script-independent consonant key; finds candidates, merges different names on
  purpose and is never proof that two names are the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "PersonNameKeys",
    "detect_script",
    "family_variants",
    "name_tokens",
    "normalize_arabic",
    "normalize_document_number",
    "normalize_latin",
    "normalize_name",
    "normalize_phone",
    "person_name_keys",
    "skeleton",
    "strict_key",
    "strip_article",
    "transliterate",
]

# --------------------------------------------------------------------------------------------------
# Character classes

_TATWEEL = "\u0640"

# Harakat, Quranic marks, superscript alef; 08D3-08FF are the extended-A marks some keyboards emit.
_ARABIC_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")

# Zero-width joiners/non-joiners and direction marks are typed inside Kurdish and Persian words;
# they must vanish rather than split a word.
_INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")

_ARABIC_LETTER_MAP = str.maketrans(
    {
        # Hamza seats and wasla: registrars write them inconsistently.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ٵ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ۃ": "ه",
        "ؤ": "و",
        "ٶ": "و",
        "ئ": "ي",
        "ٸ": "ي",
        "ء": "",
        # Kurdish and Persian keyboards: the letter an Arabic keyboard would have produced.
        "ک": "ك",
        "ڪ": "ك",
        "ی": "ي",
        "ې": "ي",
        "ێ": "ي",
        "ە": "ه",
        "ھ": "ه",
        "ہ": "ه",
        "ڕ": "ر",
        "ڵ": "ل",
        "ۆ": "و",
        "ۇ": "و",
        "ۈ": "و",
        "ۉ": "و",
        "ۋ": "و",
        "ڤ": "ف",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        # گ (gaf): in registry_b.csv the only name with گ (زەنگنە, 207 times in the two files) is
        # romanised Zangana/Zangene, never with q; and where Iraqi registrars write the spoken /g/ of
        # a name with an Arabic keyboard they use ك: العكيلي is romanised both Aqeeli and Ugaili.
        # The usual Arabic-keyboard spelling of Zangana is زنكنة for the same reason. ق, by contrast,
        # is romanised q or k (Qassim/Kassem, Tareq/Tarek), never g. Hence گ → ك.
        "گ": "ك",
        "ڭ": "ك",
    }
)

_ARTICLE_AR = "ال"
_ABD_AR = "عبد"
_ABU_AR = "ابو"
_CONNECTORS_AR = frozenset({"بن", "ابن"})

# Given names that begin with ال without it being the article (Ilyas, Ilham, Altaf, Almas, Alaa).
_NOT_ARTICLE_AR = frozenset({"الياس", "اليسع", "الهام", "الطاف", "الماس", "الاء", "الفت"})

_LATIN_ARTICLES = frozenset({"al", "el", "ar", "ash", "as", "at", "ad", "az", "an"})
# Forms the article takes inside an Abd compound (Abd-ul-Rahman, Abdur Rahman, Abd us-Salam).
_ABD_ARTICLES = _LATIN_ARTICLES | frozenset(
    {"ul", "ol", "il", "ur", "us", "ush", "ut", "ud", "uz", "un", "adh"}
)
_ABD_FORMS_LATIN = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdu", "abdou", "abdoul", "abdur", "abdus", "abduz"}
)
_ABU_FORMS_LATIN = frozenset({"abu", "abou"})
_CONNECTORS_LATIN = frozenset({"bin", "ibn", "ben"})

# Letters NFKD does not decompose; Kurdish and Turkish spellings of returnees' names use them.
_LATIN_SPECIALS = {
    "ş": "sh",
    "Ş": "sh",
    "ç": "ch",
    "Ç": "ch",
    "ı": "i",
    "ø": "o",
    "Ø": "o",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ß": "ss",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "ł": "l",
    "Ł": "l",
}
_LATIN_SPECIALS_MAP = str.maketrans(_LATIN_SPECIALS)

# ʿayn and hamza are written as apostrophes in romanisations (Ja'far, Ka'bi, Sa'ad); they belong
# inside the word, so they are deleted rather than turned into a space.
_APOSTROPHES_RE = re.compile("['`´ʹʻʼʽʾʿ‘’‛′]")


def _is_arabic_char(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("ARABIC")


def _ascii_digits(text: str) -> str:
    # Arabic-Indic (٠-٩), Persian (۰-۹) and any other decimal digits to 0-9.
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


def _letters_and_digits_only(text: str) -> str:
    """Everything but letters, marks and digits becomes a space; names contain nothing else."""
    return "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text)


# --------------------------------------------------------------------------------------------------
# Script


def _char_script(ch: str) -> str | None:
    if ch == _TATWEEL or not unicodedata.category(ch).startswith("L"):
        return None
    if _is_arabic_char(ch):
        return "arabic"
    if unicodedata.name(ch, "").startswith("LATIN"):
        return "latin"
    return "other"


def detect_script(text: str) -> str:
    """Return "arabic", "latin", "mixed" or "empty" for the letters of ``text``.

    Digits, spaces, punctuation, diacritics and tatweel are ignored. Letters of a third script
    (Cyrillic, Greek…) count as "mixed": neither normaliser knows them, so a form should refuse
    them like a name part that mixes Arabic and Latin letters.
    """
    scripts = {s for s in map(_char_script, text) if s is not None}
    if not scripts:
        return "empty"
    if len(scripts) == 1 and "other" not in scripts:
        return scripts.pop()
    return "mixed"


# --------------------------------------------------------------------------------------------------
# Arabic script


def _is_word(token: str) -> bool:
    # Compounds, articles and connectors concern words: a token of digits stays out of them, which
    # also keeps the rules stable when a token of digits moves to the next run of another script.
    return any(ch.isalpha() for ch in token)


def _join_compounds(tokens: list[str], prefixes: frozenset[str]) -> list[str]:
    # Right to left, so that ابو عبد الله becomes ابوعبدالله and not ابوعبد الله.
    out = list(tokens)
    for i in range(len(out) - 2, -1, -1):
        if out[i] in prefixes and _is_word(out[i + 1]):
            out[i : i + 2] = [out[i] + out[i + 1]]
    return out


def _drop_connectors(tokens: list[str], connectors: frozenset[str]) -> list[str]:
    # Only between two words: a family name may start with بن/Bin ("Bin Laden"), and keeping the
    # first and last token is what makes the rule idempotent.
    return [
        t
        for i, t in enumerate(tokens)
        if t not in connectors
        or not (0 < i < len(tokens) - 1 and _is_word(tokens[i - 1]) and _is_word(tokens[i + 1]))
    ]


def _arabic_letters(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE_RE.sub("", text)
    text = _ARABIC_MARKS_RE.sub("", text).replace(_TATWEEL, "")
    # Kurdish writes every initial vowel on a hamza seat (ئازاد, ئاراس, ئەحمەد); word-initially ئ is
    # a seat like أ, not the ي the medial ئ of Arabic names stands for (فائز → فايز). With the vowel
    # after it (ئا, ئە) it is one ا in Arabic-keyboard spelling: ئاراس → اراس.
    text = re.sub(r"(?<![^\W\d_])ئ[اأإآٱە]?", "ا", text)
    text = text.translate(_ARABIC_LETTER_MAP)
    text = _ascii_digits(text)
    # Removing marks can bring a Latin letter and its accent together again; compose them once more.
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)  # names repeat a lot: محمد, علي, حسين…
def normalize_arabic(text: str) -> str:
    """Normalise an Arabic-script name (Arabic, Kurdish or Persian keyboard) to one spelling.

    NFKC; diacritics, tatweel and zero-width characters removed; أ إ آ ٱ → ا, ى → ي, ة → ه,
    ؤ → و, ئ → ي (but ئ, ئا, ئە → ا at the start of a word, where Kurdish uses ئ as a hamza seat:
    ئاراس → اراس), bare ء dropped; Kurdish/Persian letters to the Arabic keyboard (ک ی ە ڕ ڵ ۆ ێ
    ڤ پ چ ژ ھ, and گ → ك); Arabic-Indic and Persian digits to 0-9; punctuation to spaces; عبد and
    ابو joined to the next word; بن/ابن between two words dropped. The article ال is kept (see
    :func:`strip_article`). Latin letters in the text are left as they are.
    """
    tokens = _letters_and_digits_only(_arabic_letters(text)).split()
    tokens = _drop_connectors(tokens, _CONNECTORS_AR)
    tokens = _join_compounds(tokens, frozenset({_ABD_AR, _ABU_AR}))
    return " ".join(tokens)


# --------------------------------------------------------------------------------------------------
# Latin script

_ALLAH_RE = re.compile(r"[aeiou]?l{1,2}ah?")
_ABD_ARTICLE_RE = re.compile(r"(?:oul|ul|el|al|ol|il)(?=[a-z]{3})")
_ABD_SUN_RE = re.compile(r"[uoae]([tdrzsnl])\1(?=[a-z]{2})")
_ABD_U_RE = re.compile(r"o?u(?=[^aeiou][a-z]{2})")
_ABU_ARTICLE_RE = re.compile(r"abu(?:l|al|el)(?=[^aeiouwy][a-z]{2})")


def _canonical_abd(token: str) -> str:
    """Abdul-/Abdel-/Abdur-/Abd al-X → "abd" + X without article; any Abd-Allah → "abdallah"."""
    rest = token[3:]
    while True:
        if _ALLAH_RE.fullmatch(rest):
            return "abdallah"
        for pattern in (_ABD_ARTICLE_RE, _ABD_SUN_RE, _ABD_U_RE):
            m = pattern.match(rest)
            if m:
                rest = rest[m.end() :] if pattern is not _ABD_SUN_RE else m.group(1) + rest[m.end() :]
                break
        else:
            return "abd" + rest


def _canonical_abu(token: str) -> str:
    if token.startswith("abou") and len(token) >= 7:  # Aboubakr, but not Aboud (عبود)
        token = "abu" + token[4:]
    while m := _ABU_ARTICLE_RE.match(token):
        token = "abu" + token[m.end() :]
    return token


def _latin_letters(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_LATIN_SPECIALS_MAP)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _INVISIBLE_RE.sub("", text).replace(_TATWEEL, "")
    text = _APOSTROPHES_RE.sub("", _ascii_digits(text))
    # Stripping accents can leave a letter that casefold or the specials table would still change.
    return unicodedata.normalize("NFC", text.translate(_LATIN_SPECIALS_MAP).casefold())


@lru_cache(maxsize=65536)  # names repeat a lot: محمد, علي, حسين…
def normalize_latin(text: str) -> str:
    """Normalise a Latin-script name to one spelling.

    Lower case without accents (ş → sh, ç → ch for Kurdish and Turkish spellings); hyphens and
    punctuation to spaces; apostrophes (ʿayn, hamza) deleted; the articles al/el/ar/ash/as/at/ad/
    az/an dropped before a word; bin/ibn/ben between names dropped; Abd compounds in one canonical
    form, "abd" + the word without article (Abdul Rahman, Abd al-Rahman, Abdelrahman, Abdurrahman
    → abdrahman; Abdullah, Abd Allah, Abdulla → abdallah); abu/abou joined to the next word (abu).
    """
    tokens = _letters_and_digits_only(_latin_letters(text)).split()
    tokens = _drop_connectors(tokens, _CONNECTORS_LATIN)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _LATIN_ARTICLES and i + 1 < len(tokens) and _is_word(tokens[i + 1]):
            i += 1
            continue
        out.append(tok)
        i += 1
    # Joining can produce an Abd form again ("abd u" → "abdu"), so join until nothing changes; a
    # join removes a token and the canonical forms are stable, so this ends.
    while True:
        joined = _join_latin_compounds(out)
        if joined == out:
            return " ".join(out)
        out = joined


def _join_latin_compounds(tokens: list[str]) -> list[str]:
    # Right to left, like the Arabic compounds; an Abd form skips the article forms after it.
    result: list[str] = []
    for tok in reversed(tokens):
        if result and tok in _ABD_FORMS_LATIN and _is_word(result[-1]):
            nxt = result.pop()
            while nxt in _ABD_ARTICLES and result and _is_word(result[-1]):
                nxt = result.pop()
            result.append("abd" + nxt)
        elif result and tok in _ABU_FORMS_LATIN and _is_word(result[-1]):
            result.append("abu" + result.pop())
        else:
            result.append(tok)
    result.reverse()
    result = [_canonical_abd(t) if t.startswith("abd") else t for t in result]
    return [_canonical_abu(t) if t.startswith(("abu", "abou")) else t for t in result]


# --------------------------------------------------------------------------------------------------
# Either script


def _token_script(token: str) -> str:
    scripts = {s for s in map(_char_script, token) if s is not None}
    if not scripts:
        return ""
    return "arabic" if scripts == {"arabic"} else "latin" if "arabic" not in scripts else "mixed"


def _split_mixed_token(token: str) -> list[tuple[str, str]]:
    """Cut a token at each change of script; digits and marks go with the letters after them."""
    pieces: list[tuple[str, str]] = []
    pending = ""
    for ch in token:
        script = _char_script(ch)
        if script is None:
            pending += ch
            continue
        kind = "arabic" if script == "arabic" else "latin"
        if pieces and pieces[-1][0] == kind and not pending:
            pieces[-1] = (kind, pieces[-1][1] + ch)
        else:
            pieces.append((kind, pending + ch))
        pending = ""
    if pending:
        pieces[-1] = (pieces[-1][0], pieces[-1][1] + pending)
    return pieces


def _script_runs(text: str) -> list[tuple[str, str]]:
    """Split text into runs of one script ("arabic" or "latin").

    Words are assigned whole unless they mix scripts; a word without letters (digits) stays with
    the run before it, and a piece that normalises to nothing (a lone ء) is left out, so that
    normalising a normal form again finds the same runs.
    """
    runs: list[tuple[str, str]] = []
    for token in text.split():
        kind = _token_script(token)
        pieces = _split_mixed_token(token) if kind == "mixed" else [(kind, token)]
        for piece_kind, piece in pieces:
            if not (normalize_arabic if piece_kind == "arabic" else normalize_latin)(piece):
                continue
            if runs and piece_kind in ("", runs[-1][0]):
                runs[-1] = (runs[-1][0], f"{runs[-1][1]} {piece}")
            elif runs and runs[-1][0] == "":
                runs[-1] = (piece_kind, f"{runs[-1][1]} {piece}")
            else:
                runs.append((piece_kind, piece))
    return [(kind or "latin", chunk) for kind, chunk in runs]


@lru_cache(maxsize=65536)  # names repeat a lot: محمد, علي, حسين…
def normalize_name(text: str) -> str:
    """Normalise a name in either script; a mixed text is normalised run by run, each by its script."""
    # Compatibility forms first: a symbol such as ﷼ decomposes into Arabic letters.
    text = unicodedata.normalize("NFKC", text)
    script = detect_script(text)
    if script == "arabic":
        return normalize_arabic(text)
    if script in ("latin", "empty"):
        return normalize_latin(text)
    parts = [
        normalize_arabic(chunk) if kind == "arabic" else normalize_latin(chunk)
        for kind, chunk in _script_runs(text)
    ]
    return " ".join(p for p in parts if p)


def name_tokens(text: str) -> list[str]:
    """The normalised words of a name."""
    return normalize_name(text).split()


_GLUED_LATIN_ARTICLE_RE = re.compile(r"(?:al|el)(?=[b-df-hj-np-tv-z][a-z]{3})")


def _strip_article_token(token: str) -> str:
    # Repeated, so that a doubled article (الالجبوري) cannot survive one pass and make this
    # non-idempotent.
    while True:
        if _char_script(token[:1]) == "arabic":
            bare = token[2:] if token.startswith(_ARTICLE_AR) and len(token) > 3 else token
        else:
            m = _GLUED_LATIN_ARTICLE_RE.match(token)
            bare = token[m.end() :] if m else token
        if bare == token:
            return token
        token = bare


def strip_article(token: str) -> str:
    """A family name without its article: الجبوري → جبوري, Al-Jubouri / Aljubouri → jubouri.

    The text is normalised first. For Latin, a separate article is already dropped by
    :func:`normalize_latin`; a glued "al"/"el" is removed when at least four letters follow, the
    first a consonant (Aljubouri, but not Alaa or Alwan).
    """
    tokens = name_tokens(token)
    while len(tokens) > 1 and tokens[0] == _ARTICLE_AR:
        tokens = tokens[1:]  # آل سعود: the family's "Al" written apart
    return " ".join(_strip_article_token(t) for t in tokens)


def family_variants(text: str) -> set[str]:
    """A family name with and without the article, normalised: {"الجبوري", "جبوري"}.

    Registrars write the same family with and without ال (and romanise it with or without Al-),
    so a search and a blocking rule should look for both forms.
    """
    bare = strip_article(text)
    if not bare:
        return set()
    with_article = " ".join(
        (_ARTICLE_AR + t) if _char_script(t[:1]) == "arabic" else ("al" + t) for t in bare.split()
    )
    return {bare, with_article}


def _runs_for_keys(text: str) -> list[tuple[str, list[str]]]:
    """Normalised tokens by script: the keys read the normal form.

    Kurdish ە is therefore read as ه, as an Arabic keyboard writes it (بهختيار). Measured on the
    development set when choosing: the given names of 0.983 of the Arabic-script pairs agreed instead
    of 0.965 with ە read as a vowel, at the price of Bakhtiyar not agreeing with بەختیار (0.962 of
    the Latin pairs instead of 0.982).
    """
    text = unicodedata.normalize("NFKC", text)
    script = detect_script(text)
    if script != "mixed":  # the common case, without cutting the text into runs
        return [
            ("arabic", normalize_arabic(text).split())
            if script == "arabic"
            else ("latin", normalize_latin(text).split())
        ]
    out: list[tuple[str, list[str]]] = []
    for kind, chunk in _script_runs(text):
        if kind == "arabic":
            out.append(("arabic", normalize_arabic(chunk).split()))
        else:
            out.append(("latin", normalize_latin(chunk).split()))
    return out


# --------------------------------------------------------------------------------------------------
# Transliteration

_TRANSLIT = {
    "ا": "a",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "dh",
    "ط": "t",
    "ظ": "dh",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
}


def _transliterate_arabic_token(token: str) -> str:
    out: list[str] = []
    last = len(token) - 1
    for i, ch in enumerate(token):
        prev = token[i - 1] if i else ""
        following = token[i + 1] if i < last else ""
        if ch in "وي":
            # Consonants at the start, before ا (مروان: mrwan, بختيار: bkhtyar) and after ا inside a
            # word (داود: dawd); long vowels elsewhere (حسين: hsin, محمود: mhmud).
            consonant = i == 0 or following == "ا" or (prev == "ا" and i < last)
            out.append(("w" if ch == "و" else "y") if consonant else ("u" if ch == "و" else "i"))
        elif ch == "ه" and i == last and i > 0:
            out.append("a")  # almost always a ta marbuta written as ه
        elif ch == "ع":
            out.append("" if prev == "ا" else "a")
        elif ch.isascii():
            out.append(ch.lower())
        else:
            out.append(_TRANSLIT.get(ch, ""))
    return "".join(out)


@lru_cache(maxsize=65536)  # names repeat a lot: محمد, علي, حسين…
def transliterate(text: str) -> str:
    """A simple lower-case ASCII romanisation of an Arabic-script name; Latin text gets normalize_latin.

    Letter by letter, as nothing recovers the short vowels: محمد → mhmd, حسين → hsin, الجبوري →
    aljburi, فاطمة → fatma, عبد الرحمن → abdrhmn. It serves to compare an Arabic spelling with a
    Latin one and to give staff a readable hint, not to produce the spelling of a document.
    """
    text = unicodedata.normalize("NFKC", text)
    if detect_script(text) in ("latin", "empty"):
        return normalize_latin(text)
    words: list[str] = []
    for kind, tokens in _runs_for_keys(text):
        words.extend(_transliterate_arabic_token(t) for t in tokens) if kind == "arabic" else words.extend(
            tokens
        )
    return normalize_latin(" ".join(words))


# --------------------------------------------------------------------------------------------------
# Keys
#
# Both keys are computed from the normal form (so a key computed later from a stored normalised
# name is the same) and turn each token into a list of symbols, then into a string. Symbols are
# consonant codes (one ASCII letter per class, see the table below) and vowels: a e i o u (Latin
# vowels and Arabic ا), W/Y (w/y or و/ي inside a word, which both scripts use for long vowels and
# diphthongs). w/y (و/ي) at the start of a word are consonants.
# The string a key produces is read again as Latin until it no longer changes, which makes the keys
# idempotent: a strict key such as "sheel" (سهيل, Suhail) reads "sh" as ش the second time.

# Consonant classes. Each class is written as one letter that stands for itself when read again:
#   b  ب پ / b p          t  ت ط / t             d  د ذ ز ض ظ ث ژ / d z dh th zh
#   s  س ص / s            j  ج چ / j ch           h  ح ه / h            x  ش / sh x
#   c  خ / kh c           k  ق ك گ غ / q k g gh   f  ف ڤ / f v ph
#   l r m n as themselves; w y only at the start of a word.
_LATIN_CODES = {
    "b": "b",
    "p": "b",
    "t": "t",
    "d": "d",
    "z": "d",
    "s": "s",
    "j": "j",
    "h": "h",
    "x": "x",
    "c": "c",
    "k": "k",
    "q": "k",
    "g": "k",
    "f": "f",
    "v": "f",
    "l": "l",
    "m": "m",
    "n": "n",
    "r": "r",
}
_LATIN_DIGRAPHS = {"sh": "x", "kh": "c", "th": "d", "dh": "d", "zh": "d", "gh": "k", "ph": "f", "ch": "j"}
_ARABIC_CODES = {
    "ب": "b",
    "ت": "t",
    "ط": "t",
    "ث": "d",
    "د": "d",
    "ذ": "d",
    "ز": "d",
    "ض": "d",
    "ظ": "d",
    "س": "s",
    "ص": "s",
    "ج": "j",
    "ح": "h",
    "ه": "h",
    "خ": "c",
    "ش": "x",
    "ق": "k",
    "ك": "k",
    "غ": "k",
    "ف": "f",
    "ر": "r",
    "ل": "l",
    "م": "m",
    "ن": "n",
}
_VOWELS = frozenset("aeiouWY")
_LONG_I_PAIRS = frozenset({"ee", "ii", "ei", "ie", "ia", "ai", "ae"})
_LONG_U_PAIRS = frozenset({"oo", "uu", "ou"})
_LONG_I, _LONG_U = "ee", "oo"
# Keys of tokens that have letters but no consonant (Aya, آية): one constant instead of an empty key.
_VOWELS_ONLY = "a"


_KEY_LIKE_RE = re.compile(r"[wy]?[bdtsjhxckflmnr]+")


def _latin_symbols(token: str) -> list[str]:
    letters = re.sub("[^a-z]", "", token)
    if _KEY_LIKE_RE.fullmatch(letters):
        # No vowel: a key already (or an abbreviation such as Mhd), read letter by letter. sh, kh,
        # th, dh are digraphs of vowelled spellings; in "bdhd" (عبد الهادي) d and h are two codes.
        return list(letters)
    symbols: list[str] = []
    i = 0
    while i < len(letters):
        ch = letters[i]
        pair = letters[i : i + 2]
        if i and ch == letters[i - 1] and ch not in "aeiou":
            i += 1  # a doubled consonant is Latin's shadda (Mohammed, Hussein); Arabic writes it once
            continue
        if pair in _LATIN_DIGRAPHS:
            symbols.append(_LATIN_DIGRAPHS[pair])
            i += 2
            continue
        if ch in "wy":
            symbols.append(ch if i == 0 else ch.upper())
        elif ch in "aeiou":
            symbols.append(ch)
        else:
            symbols.append(_LATIN_CODES[ch])
        i += 1
    return symbols


def _arabic_symbols(token: str) -> list[str]:
    symbols: list[str] = []
    for i, ch in enumerate(token):
        if ch == "ا":
            symbols.append("a")
        elif ch in "وي":
            latin = "w" if ch == "و" else "y"
            symbols.append(latin if i == 0 else latin.upper())
        elif ch in _ARABIC_CODES:
            symbols.append(_ARABIC_CODES[ch])
        elif ch.isascii():
            symbols.extend(_latin_symbols(ch.lower()))
        # ع and anything else: no symbol (ʿayn is not written in most romanisations)
    return symbols


def _long_vowels(group: list[str]) -> list[str]:
    marks: list[str] = []
    i = 0
    while i < len(group):
        pair = "".join(group[i : i + 2])
        if group[i] == "Y" or pair in _LONG_I_PAIRS:
            mark = _LONG_I
        elif group[i] == "W" or pair in _LONG_U_PAIRS:
            mark = _LONG_U
        else:
            i += 1
            continue
        i += 1 if group[i] in "WY" else 2
        if not marks or marks[-1] != mark:
            marks.append(mark)
    return marks


def _key_from_symbols(symbols: list[str], *, long_vowels: bool) -> str:
    if not symbols:
        return ""
    # Final vowels go: ي and ى are one letter after normalisation, and a final ي is i (Ali) as often
    # as ى is a (Mustafa, Huda); Latin spellings end in i, y, a, e or ah. A final h goes too: it is
    # a ta marbuta (فاطمة: Fatimah, Fatima) or a ح that Latin cannot tell from it (Saleh, Falah).
    while symbols and (symbols[-1] == "h" or symbols[-1] in _VOWELS):
        symbols = symbols[:-1]
    if not symbols:
        return _VOWELS_ONLY
    parts: list[str] = []
    i = 0
    while i < len(symbols):
        if symbols[i] in _VOWELS:
            j = i
            while j < len(symbols) and symbols[j] in _VOWELS:
                j += 1
            if long_vowels:
                parts.extend(_long_vowels(symbols[i:j]))
            i = j
            continue
        parts.append(symbols[i])
        i += 1
    return "".join(parts) or _VOWELS_ONLY


def _settle(key: str, *, long_vowels: bool) -> str:
    # Reading a strict key as Latin can merge two codes into a digraph ("sheel" → "xeel"); repeat
    # until stable. Every change shortens the key, so this ends.
    while True:
        again = _key_from_symbols(_latin_symbols(key), long_vowels=long_vowels)
        if again == key:
            return key
        key = again


def _strip_article_for_key(token: str, arabic: bool) -> str:
    if arabic:
        for compound in (_ABD_AR, _ABU_AR):
            if token.startswith(compound + _ARTICLE_AR) and len(token) > len(compound) + 3:
                return compound + token[len(compound) + 2 :]
        if token.startswith(_ARTICLE_AR) and len(token) >= 5 and token not in _NOT_ARTICLE_AR:
            return token[2:]
        return token
    return _strip_article_token(token)


def _token_symbols(token: str, arabic: bool) -> list[str]:
    if not arabic:
        for particle in ("abd", "abu"):
            if token.startswith(particle) and len(token) > len(particle):
                # The word after the particle is read as a word: the d and h of Abdhussein are two.
                return [*_latin_symbols(particle), *_latin_symbols(token[len(particle) :])]
        return _latin_symbols(token)
    symbols = _arabic_symbols(token)
    if token.startswith(_ABU_AR) and len(token) > len(_ABU_AR):
        symbols[2] = "u"  # the و of ابو is the short u of Abu, not the long ū of محمود
    return symbols


def _keys(text: str, *, long_vowels: bool) -> str:
    keys: list[str] = []
    for kind, tokens in _runs_for_keys(text):
        for token in tokens:
            arabic = kind == "arabic"
            if not any(ch.isalpha() for ch in token):
                continue
            symbols = _token_symbols(_strip_article_for_key(token, arabic), arabic)
            if symbols:  # a token of ع alone, or of letters of a third script, has no key
                keys.append(
                    _settle(_key_from_symbols(symbols, long_vowels=long_vowels), long_vowels=long_vowels)
                )
    return " ".join(keys)


@lru_cache(maxsize=65536)  # names repeat a lot: محمد, علي, حسين…
def skeleton(text: str) -> str:
    """A script-independent consonant key: finds candidates and gives partial credit, never proof.

    Vowels (Latin a e i o u, Arabic ا, and w/y, و/ي inside a word), ع and hamza, a leading article
    (ال with at least three letters after it, except in الياس, الهام…; Latin al/el glued to four or
    more letters), the ال inside عبدال…/ابوال…, final vowels and a final h/ه/ة are dropped; a Latin
    doubled consonant (Mohammed, Hussein) counts once, as Arabic script writes it once (consonants
    that meet only once the vowels are gone stay two: ليلى, Layla → "ll" but علي → "l").
    Consonants that romanisations confuse share one letter:
    د ذ ز ض ظ ث ژ / d dh z th zh → d; س ص / s → s; ت ط / t → t; ح ه / h → h; ش / sh x → x;
    خ / kh c → c; ق ك گ غ / q k g gh → k; ب پ / b p → b; ف ڤ / f v ph → f; ج چ / j ch → j.

    Agree: محمد, Mohammed, Muhammad, Mohamad → "mhmd"; كاظم, Kadhim, Kazim, Kathim, Kadim → "kdm";
    حسين, Hussein, Husain, Hussain → "hsn"; عبد الرحمن, Abdulrahman, Abd al-Rahman → "bdrhmn";
    الجبوري, Al-Juburi, Jubouri → "jbr"; فاطمة, Fatima, Fatimah → "ftm".

    Merges different names, as DESIGN.md says: Mohammed and Mahmoud (mhmd), Hassan and Hussein
    (hsn), Saad, Saeed and Suad (sd), and also Ali, Alaa and Luay (l), Omar and Amir (mr), Hadi and
    Huda (hd), Sara and Israa (sr), Sami and Asmaa (sm), Zaid, Azad and Dawood (dd), Dina and Zina
    (dn); every name without a consonant (Aya, آية) has the key "a". On registry A of the
    development set, two records with different given names share a skeleton with probability
    0.002 (strict key: 0.0008).

    Limits: Kurdish ە is read as the ه an Arabic keyboard writes for it (بەختیار = بهختيار →
    "bhctr"), so it does not agree with Bakhtiyar ("bctr") or Zangana; a Latin sh/kh/th/dh is read
    as one sound, so Fathi ("fd") and Ishaq do not agree with فتحي ("ft") and اسحاق. A token without
    vowels is read letter by letter (that is what makes keys idempotent).
    """
    return _keys(text, long_vowels=False)


@lru_cache(maxsize=65536)  # names repeat a lot: محمد, علي, حسين…
def strict_key(text: str) -> str:
    """A script-independent key like :func:`skeleton` that also keeps the long vowels ī and ū.

    Arabic و/ي inside a word and Latin w/y inside a word, ee ii ei ie ia ai ae (ī → "ee") and oo
    uu ou (ū → "oo") are kept, so محمد/Mohammed ("mhmd") and محمود/Mahmoud ("mhmood"), حسن/Hassan
    ("hsn") and حسين/Hussein/Husain ("hseen"), سعد/Saad ("sd") and سعيد/Saeed/Said ("seed") differ,
    while Mohammed, Muhammad and Mohamad still agree.

    Trade-offs: a single Latin vowel is taken as short, so spellings that write a long vowel with
    one letter (Karim for كريم, Ibrahim for ابراهيم, Mahmud for محمود, and most Kurdish
    romanisations: Shilan for شیلان, Rebwar for ڕێبوار) do not agree with the Arabic, and Mahmud
    agrees with Mohammed. Long ā (ا) is not kept, because Latin writes it like a short a (Kadhim,
    كاظم). Final vowels are not kept either: normalisation makes ى (Mustafa) and ي (Ali) one letter,
    so Ali, Alaa and Luay, Saad and Suad, Hadi and Huda still agree. On the development set it
    agrees for 0.94 of the true links' given names (skeleton: 0.97), 0.84 where the other spelling
    is Latin (skeleton: 0.96).
    """
    return _keys(text, long_vowels=True)


# --------------------------------------------------------------------------------------------------
# Person names


@dataclass(frozen=True)
class PersonNameKeys:
    """The normal forms and keys of one person's name, as the registry stores and indexes them."""

    given: str
    father: str
    grandfather: str
    family: str
    full: str
    given_skeleton: str
    father_skeleton: str
    grandfather_skeleton: str
    family_skeleton: str
    full_skeleton: str
    given_strict: str
    search_tokens: tuple[str, ...]


def person_name_keys(
    *,
    given: str,
    father: str = "",
    grandfather: str = "",
    great_grandfather: str = "",
    family: str = "",
    known_as: str = "",
    latin: str = "",
) -> PersonNameKeys:
    """Normal forms and keys of a name given in parts (Iraqi style: own, father's, grandfather's names).

    The parts stay apart because linkage compares them position by position (DESIGN.md). ``family``
    and ``family_skeleton`` are without the article; ``full`` is the parts in order with the family
    name without article. ``search_tokens`` holds, for a token index, the normalised words and their
    skeletons of every part (the family name with and without article), of ``known_as`` and of
    ``latin`` (the name as romanised on a document, if any).
    """
    parts = [given, father, grandfather, great_grandfather]
    normalised = [normalize_name(p) for p in parts]
    family_bare = strip_article(family)
    full = " ".join(p for p in [*normalised, family_bare] if p)
    skeletons = [skeleton(p) for p in [*parts, family]]

    tokens: set[str] = set()
    for text in [*parts, known_as, latin]:
        for token in name_tokens(text):
            tokens.add(token)
    for variant in family_variants(family):
        tokens.update(variant.split())
    for text in [*parts, family, known_as, latin]:
        tokens.update(skeleton(text).split())

    return PersonNameKeys(
        given=normalised[0],
        father=normalised[1],
        grandfather=normalised[2],
        family=family_bare,
        full=full,
        given_skeleton=skeletons[0],
        father_skeleton=skeletons[1],
        grandfather_skeleton=skeletons[2],
        family_skeleton=skeletons[4],
        full_skeleton=" ".join(s for s in skeletons if s),
        given_strict=strict_key(given),
        search_tokens=tuple(sorted(tokens)),
    )


# --------------------------------------------------------------------------------------------------
# Phones and documents

_PHONE_SEPARATORS_RE = re.compile("[\\s\\-\u2010-\u2015./()\\[\\]]")
_IRAQ = "964"


def _valid_national(country: str, national: str) -> bool:
    if not national or national[0] == "0":
        return False
    if country == _IRAQ:
        # Mobile 7XX XXX XXXX; Baghdad 1 XXX XXXX; other governorates XX XXX XXXX (Erbil 66, Basra 40…).
        return re.fullmatch(r"7\d{9}|1\d{7}|[2-6]\d{8}", national) is not None
    return 8 <= len(country) + len(national) <= 15


def normalize_phone(text: str, default_country: str = "964") -> str | None:
    """A phone number in E.164 (+9647701234567), or None if it is not a plausible phone number.

    Takes the ways Iraqi numbers are written: 0770 123 4567, 07701234567, +964 770 123 4567,
    00964-770-1234567, 964 7701234567, 7701234567, with Arabic-Indic digits or parentheses, and
    +964 0770… (a trunk 0 kept after the country code). Iraqi numbers must be a mobile (7 + 9
    digits) or a landline (1 + 7 digits in Baghdad, area code + 7 digits elsewhere). A foreign
    number written with + or 00 keeps its country code and must have 8-15 digits.
    """
    compact = _PHONE_SEPARATORS_RE.sub("", _ascii_digits(unicodedata.normalize("NFKC", text)))
    compact = _INVISIBLE_RE.sub("", compact)
    if not re.fullmatch(r"\+?\d+", compact):
        return None
    if compact.startswith("+") or compact.startswith("00"):
        digits = compact[1:] if compact.startswith("+") else compact[2:]
        if default_country and digits.startswith(default_country):
            national = digits[len(default_country) :]
            if national.startswith("0") and not national.startswith("00"):
                national = national[1:]
            return f"+{default_country}{national}" if _valid_national(default_country, national) else None
        if digits[:1] in ("", "0") or not 8 <= len(digits) <= 15:
            return None
        return f"+{digits}"
    candidates = []
    if default_country and compact.startswith(default_country):
        candidates.append(compact[len(default_country) :])
    candidates.append(compact[1:] if compact.startswith("0") else compact)
    for national in candidates:
        if _valid_national(default_country, national):
            return f"+{default_country}{national}"
    return None


_DOCUMENT_SEPARATORS_RE = re.compile("[\\s\\-\u2010-\u2015\u2212./\\\\_]")


def normalize_document_number(text: str) -> str:
    """A document number as compared: upper case, accents removed, digits 0-9, no separators.

    Spaces, dashes, dots, slashes (and underscores, backslashes, invisible marks) are removed;
    Arabic-Indic digits become 0-9. Letters of another script (an Arabic series letter on an old
    civil ID) are kept as they are, since dropping them would merge different documents.
    """
    text = _ascii_digits(unicodedata.normalize("NFKC", text))
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _INVISIBLE_RE.sub("", _DOCUMENT_SEPARATORS_RE.sub("", text))
    return unicodedata.normalize("NFC", text.upper())
