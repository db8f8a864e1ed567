"""Reading message text for the statements the rules require or forbid.

Deliberately simple, documented patterns: they decide on what a message says, not on what a
lawyer could read into it, so a template that fails one is shown the reason.
"""

import re

_SPACE = re.compile(r"\s+")


def normalized(text: str) -> str:
    """Lower case, straight quotes, single spaces."""
    return (
        _SPACE.sub(" ", text.replace("\u2019", "'").replace("\u2018", "'"))
        .strip()
        .lower()
    )


# 1006.18(e)(1) and (e)(2).
_ATTEMPT_TO_COLLECT = re.compile(r"attempt(?:ing)? to collect a debt")
_INFORMATION_USED = re.compile(r"information obtained will be used for that purpose")
_FROM_DEBT_COLLECTOR = re.compile(r"\bdebt collector\b")


def has_initial_disclosure(text: str) -> bool:
    """1006.18(e)(1): attempting to collect a debt; information obtained used for that purpose."""
    body = normalized(text)
    return bool(_ATTEMPT_TO_COLLECT.search(body) and _INFORMATION_USED.search(body))


def has_debt_collector_disclosure(text: str) -> bool:
    """1006.18(e)(2): the communication is from a debt collector."""
    return bool(_FROM_DEBT_COLLECTOR.search(normalized(text)))


# 1006.6(e): "Reply STOP", "click here to opt out", "unsubscribe", "stop" in the subject line.
_OPT_OUT = re.compile(
    r"\b(?:reply|text|send|respond|type|write)\b[^.]{0,40}\bstop\b|\bopt[ -]?out\b|\bunsubscribe\b"
)


def has_opt_out_instructions(text: str) -> bool:
    return bool(_OPT_OUT.search(normalized(text)))


# 1006.6(e): the method may not require "any fee" or "any information other than the consumer's
# opt-out preferences and the email address, telephone number ... subject to the opt-out request".
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_OPT_OUT_BURDEN = re.compile(
    r"\bfees?\b"
    r"|\b(?:with|provide|providing|include|including|enter|send|plus|and|give)\b(?:\s+[\w']+){0,3}?\s+"
    r"(?:social security|ssn|date of birth|birth ?date|dob|account number|pin|password|mother's maiden name)\b"
)


def opt_out_burden(text: str) -> str | None:
    """What a sentence describing the opt-out method asks of the consumer beyond the preference
    (a fee; a Social Security number, date of birth, account number ... to give with it), or
    None. A sentence that only names the account ("texts about account number ending 1234") asks
    for nothing."""
    for sentence in _SENTENCE_END.split(normalized(text)):
        if _OPT_OUT.search(sentence):
            burden = _OPT_OUT_BURDEN.search(sentence)
            if burden:
                return burden.group(0)
    return None


# 1006.2(j): a limited-content message says nothing about a debt.
_DEBT_WORDS = re.compile(
    r"\$\s*\d|\b(?:debts?|collect\w*|owe[sd]?|owing|balances?|payments?|pay|paid|accounts?|overdue"
    r"|past due|delinquen\w*|receivables?|amount|bills?|loans?|judg\w*|lawsuits?|sue|legal)\b"
)
_CALLBACK_NUMBER = re.compile(r"(?:\d[\s().-]*){7,}")
_REPLY_REQUEST = re.compile(r"\b(?:call|contact|reach|return|reply|phone|ring)\b")


def mentions_debt(text: str) -> str | None:
    """The first word of ``text`` that speaks of the debt itself (an amount, a balance, a
    payment, ...), or None. "Account" alone is not counted: "no more emails about your account"
    only names what the message is about."""
    for found in _DEBT_WORDS.finditer(normalized(text)):
        if found.group(0) not in ("account", "accounts"):
            return found.group(0)
    return None


def limited_content_problem(text: str) -> str | None:
    """Why ``text`` is not a limited-content message, or None when it is one."""
    body = normalized(text)
    debt_word = _DEBT_WORDS.search(body)
    if debt_word:
        return f"it mentions {debt_word.group(0)!r}, which a limited-content message may not"
    if not _CALLBACK_NUMBER.search(body):
        return "it has no telephone number to call back"
    if not _REPLY_REQUEST.search(body):
        return "it does not ask the consumer to reply"
    return None


# 1006.26(b) and the state overlays: threats or implications of suit.
_STATUTORY_NOTICE_SENTENCES = re.compile(
    r"the law limits how long you can be sued on a debt\.?"
    r"|because of the age of your debt,[^.]*\b(?:will not|cannot|can't|won't) sue you for it[^.]*\.?"
)
_SUIT = re.compile(
    r"\b(?:sue|sued|suing|lawsuits?|legal action|legal proceedings?|litigation|court"
    r"|judgments?|garnish\w*|file (?:a )?(?:suit|claim|complaint)|arbitration)\b"
)
_CLAUSE = re.compile(r"[.;:!?,\n]")
_SUBJECT_OR_CONDITION = re.compile(
    r"\b(?:if|unless|or|otherwise|then|and|but|so|we|they|our)\b"
)
_NEGATIONS = frozenset({"not", "never", "no", "cannot", "can't", "won't", "unable"})
_NEGATION_REACH = 5


def _negated(before: str) -> bool:
    """Is the suit word negated by the words just before it, within its own clause part?

    "If you do not pay we will sue" is a threat: the negation belongs to the condition, so only
    the words after the last subject or conjunction count ("we will never take you to court").
    """
    tail = _SUBJECT_OR_CONDITION.split(before)[-1].split()[-_NEGATION_REACH:]
    return any(word in _NEGATIONS for word in tail)


def threatens_suit(text: str) -> bool:
    """A clause that mentions suing (or court, judgment, garnishment) without negating it.

    The statutory time-barred notices ("we will not sue you for it") are removed first.
    """
    body = _STATUTORY_NOTICE_SENTENCES.sub(" ", normalized(text))
    for clause in _CLAUSE.split(body):
        for match in _SUIT.finditer(clause):
            if not _negated(clause[: match.start()]):
                return True
    return False


# 1006.38(b): a demand for payment by a deadline (in days from the message).
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
}
_PAY = re.compile(r"\bpay(?:s|ing|ment)?\b|\bpaid\b")
_WITHIN_DAYS = re.compile(
    r"\bwithin (\d+|" + "|".join(_NUMBERS) + r")\s*(?:\(\d+\)\s*)?(?:calendar |business )?days?\b"
)
_AT_ONCE = re.compile(r"\bimmediately\b|\bright away\b|\bat once\b|\bwithin 24 hours\b")


def payment_deadline_days(text: str) -> int | None:
    """Days from the message by which a sentence about paying demands payment ("pay within 10
    days": 10; "pay immediately": 0), the shortest if several, or None when none is demanded."""
    deadlines = []
    for sentence in _SENTENCE_END.split(normalized(text)):
        if not _PAY.search(sentence):
            continue
        if _AT_ONCE.search(sentence):
            deadlines.append(0)
        for found in _WITHIN_DAYS.finditer(sentence):
            count = found.group(1)
            deadlines.append(int(count) if count.isdigit() else _NUMBERS[count])
    return min(deadlines, default=None)


# Cal. Civ. Code 1788.14(d) and Tex. Fin. Code 392.307 notices share these two sentences.
_LIMITS_SENTENCE = re.compile(r"the law limits how long you can be sued on a debt")
_AGE_SENTENCE = re.compile(r"because of the age of your debt")


def has_time_barred_notice(text: str) -> bool:
    body = normalized(text)
    return bool(_LIMITS_SENTENCE.search(body) and _AGE_SENTENCE.search(body))


_ROSENTHAL = re.compile(r"rosenthal fair debt collection practices act")


def has_rosenthal_notice(text: str) -> bool:
    """Cal. Civ. Code 1812.700: the Rosenthal/FDCPA notice in the first written notice."""
    return bool(_ROSENTHAL.search(normalized(text)))
