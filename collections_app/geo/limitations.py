"""Statutes of limitations for suing on a consumer debt, and when a debt becomes time-barred.

Regulation F (12 CFR 1006.26(b)) forbids suing or threatening to sue on a time-barred debt, with
strict liability: not knowing is no defence. So where the law leaves a choice (how a credit card
is classified, which of two periods applies) this table takes the *shorter* period and says so in
the row's note: marking a debt time-barred too early only gives up a lawsuit; marking it too late
breaks the law.

The table holds defaults, not legal advice. Classification of card debt, accrual, tolling,
revival and borrowing statutes vary by state and case law, and a contract may choose another
state's law. Rows taken from the compliance catalogue (``regf-rules.md`` section 12) say so; rows
marked "verify with counsel" are the ones to review first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

__all__ = [
    "LIMITATIONS",
    "OPEN_ACCOUNT",
    "WRITTEN",
    "Limitation",
    "accrual_date",
    "add_years",
    "is_time_barred",
    "limitation_basis",
    "limitation_period_years",
    "sol_expiry",
]

VERIFY: Final = "verify with counsel"
CATALOGUE: Final = "Catalogue section 12."


@dataclass(frozen=True, slots=True)
class Limitation:
    """One state's periods in whole years, the statute sections they come from, and caveats."""

    written_years: int
    open_account_years: int
    citation: str
    note: str = ""


LIMITATIONS: Final = MappingProxyType(
    {
        "AL": Limitation(
            6,
            3,
            "Ala. Code § 6-2-34(4) (promises in writing, 6 yrs); § 6-2-37(1) (open or "
            "unliquidated account, 3 yrs)",
        ),
        "AK": Limitation(3, 3, "Alaska Stat. § 09.10.053 (contract actions, 3 yrs)"),
        "AZ": Limitation(
            6,
            3,
            "A.R.S. § 12-548 (debt evidenced by a written contract, 6 yrs); § 12-543 (open "
            "account / not in writing, 3 yrs)",
            "Card debt is often held to be on the written card agreement (6 yrs, § 12-548); "
            f"3 yrs is used for open-ended credit as the conservative default; {VERIFY}",
        ),
        "AR": Limitation(
            5,
            3,
            "Ark. Code Ann. § 16-56-111 (written obligations, 5 yrs); § 16-56-105 (not in "
            "writing, 3 yrs)",
        ),
        "CA": Limitation(
            4,
            4,
            "Cal. Code Civ. Proc. § 337(a) (written contract, 4 yrs); § 337(b) (book account, "
            "account stated, open account, 4 yrs); § 339 (oral, 2 yrs)",
            f"No suit or arbitration after the period (§ 337(d)). {CATALOGUE}",
        ),
        "CO": Limitation(
            6,
            6,
            "C.R.S. § 13-80-103.5(1)(a) (liquidated debt or determinable amount of money, 6 yrs)",
            "General contract actions are 3 yrs (§ 13-80-101(1)(a)); secondary tables disagree "
            f"(3 vs 6); {VERIFY}",
        ),
        "CT": Limitation(
            6,
            3,
            "Conn. Gen. Stat. § 52-576 (written contract, 6 yrs); § 52-581 (oral contract, 3 yrs)",
        ),
        "DE": Limitation(3, 3, "Del. Code Ann. tit. 10, § 8106 (contract actions, 3 yrs)"),
        "DC": Limitation(3, 3, "D.C. Code § 12-301(7) (simple contract, 3 yrs)"),
        "FL": Limitation(
            5,
            4,
            "Fla. Stat. § 95.11(2)(b) (written contract, 5 yrs); § 95.11(3) (not founded on a "
            "written instrument, 4 yrs)",
            "Courts have treated card debt without a complete signed writing as unwritten. "
            + CATALOGUE,
        ),
        "GA": Limitation(
            6,
            4,
            "O.C.G.A. § 9-3-24 (simple written contract, 6 yrs); § 9-3-25 (open account, 4 yrs)",
            CATALOGUE,
        ),
        "HI": Limitation(6, 6, "Haw. Rev. Stat. § 657-1(1) (debt founded on contract, 6 yrs)"),
        "ID": Limitation(
            5,
            4,
            "Idaho Code § 5-216 (written contract, 5 yrs); § 5-217 (open account / not in "
            "writing, 4 yrs)",
        ),
        "IL": Limitation(
            10,
            5,
            "735 ILCS 5/13-206 (written contract, 10 yrs); 735 ILCS 5/13-205 (unwritten "
            "contract, open account, 5 yrs)",
            "Illinois courts often treat card debt as unwritten; the 5-year figure is from "
            f"secondary sources. {CATALOGUE} {VERIFY}",
        ),
        "IN": Limitation(
            6,
            6,
            "Ind. Code § 34-11-2-9 (written contract for the payment of money, 6 yrs); "
            "§ 34-11-2-7(1) (accounts and contracts not in writing, 6 yrs)",
        ),
        "IA": Limitation(
            10,
            5,
            "Iowa Code § 614.1(5) (written contract, 10 yrs); § 614.1(4) (unwritten contract, "
            "5 yrs)",
        ),
        "KS": Limitation(
            5,
            3,
            "K.S.A. § 60-511(1) (written agreement, 5 yrs); § 60-512(1) (contract not in "
            "writing, 3 yrs)",
        ),
        "KY": Limitation(
            10,
            5,
            "Ky. Rev. Stat. § 413.090(2) (written contract, 10 yrs); § 413.120(1) (contract "
            "not in writing, 5 yrs)",
            f"Written contracts made before 15 Jul 2014 have 15 yrs; {VERIFY}",
        ),
        "LA": Limitation(
            3,
            3,
            "La. Civ. Code art. 3494 (money lent, open account: 3 yrs); art. 3498 (negotiable "
            "instruments: 5 yrs); art. 3499 (personal actions: 10 yrs)",
            "Loans use the 3-year prescription for money lent as the conservative default; a "
            f"debt on a promissory note may have 5 yrs; {VERIFY}",
        ),
        "ME": Limitation(6, 6, "Me. Rev. Stat. tit. 14, § 752 (civil actions, 6 yrs)"),
        "MD": Limitation(
            3,
            3,
            "Md. Code, Cts. & Jud. Proc. § 5-101 (civil actions, 3 yrs)",
            "Specialties (contracts under seal) have 12 yrs (§ 5-102).",
        ),
        "MA": Limitation(
            6,
            6,
            "Mass. Gen. Laws ch. 260, § 2 (contract actions, 6 yrs)",
            f"Secondary sources only. {CATALOGUE} {VERIFY}",
        ),
        "MI": Limitation(
            6,
            6,
            "Mich. Comp. Laws § 600.5807(9) (breach of contract, 6 yrs)",
            f"The subsection has been renumbered over time (formerly (8)); {VERIFY}",
        ),
        "MN": Limitation(6, 6, "Minn. Stat. § 541.05, subd. 1(1) (contract, 6 yrs)"),
        "MS": Limitation(
            3,
            3,
            "Miss. Code Ann. § 15-1-49 (general, 3 yrs); § 15-1-29 (open account, account "
            "stated, unwritten contract, 3 yrs)",
        ),
        "MO": Limitation(
            10,
            5,
            "Mo. Rev. Stat. § 516.110(1) (writing for the payment of money, 10 yrs); "
            "§ 516.120(1) (other contracts, 5 yrs)",
        ),
        "MT": Limitation(
            8,
            5,
            "Mont. Code Ann. § 27-2-202(1) (instrument in writing, 8 yrs); § 27-2-202(2) "
            "(contract or account not in writing, 5 yrs)",
        ),
        "NE": Limitation(
            5,
            4,
            "Neb. Rev. Stat. § 25-205 (written contract, 5 yrs); § 25-206 (unwritten contract, "
            "4 yrs)",
        ),
        "NV": Limitation(
            6,
            4,
            "Nev. Rev. Stat. § 11.190(1)(b) (instrument in writing, 6 yrs); § 11.190(2)(c) "
            "(not founded on a writing, 4 yrs)",
        ),
        "NH": Limitation(3, 3, "N.H. Rev. Stat. Ann. § 508:4 (personal actions, 3 yrs)"),
        "NJ": Limitation(
            6,
            6,
            "N.J. Stat. Ann. § 2A:14-1 (contract, 6 yrs)",
            "Sales of goods have 4 yrs (N.J. Stat. Ann. § 12A:2-725).",
        ),
        "NM": Limitation(
            6,
            4,
            "N.M. Stat. Ann. § 37-1-3(A) (written contract, 6 yrs); § 37-1-4 (accounts and "
            "unwritten contracts, 4 yrs)",
        ),
        "NY": Limitation(
            6,
            3,
            "N.Y. CPLR 213(2) (contract, 6 yrs); CPLR 214-i (consumer credit transaction, 3 yrs)",
            "Consumer credit: 3 yrs whatever the product (from 7 Apr 2022); payment or "
            f"affirmation after expiry does not revive the debt. {CATALOGUE}",
        ),
        "NC": Limitation(3, 3, "N.C. Gen. Stat. § 1-52(1) (contract, 3 yrs)"),
        "ND": Limitation(6, 6, "N.D. Cent. Code § 28-01-16(1) (contract, 6 yrs)"),
        "OH": Limitation(
            6,
            6,
            "Ohio Rev. Code § 2305.06 (written contract, 6 yrs); § 2305.07(C) (consumer "
            "transaction, account stated, 6 yrs); § 2305.07(A) (not in writing, 4 yrs)",
            "§ 2305.07(C) accrues 30 days after the later of the last charge or payment; claims "
            "accrued before 16 Jun 2021 keep the earlier of 16 Jun 2027 or the old period. "
            + CATALOGUE,
        ),
        "OK": Limitation(
            5,
            3,
            "Okla. Stat. tit. 12, § 95(A)(1) (written contract, 5 yrs); § 95(A)(2) (contract "
            "not in writing, 3 yrs)",
        ),
        "OR": Limitation(6, 6, "Or. Rev. Stat. § 12.080(1) (contract, 6 yrs)"),
        "PA": Limitation(
            4,
            4,
            "42 Pa. Cons. Stat. § 5525(a) (contract, 4 yrs)",
            f"Secondary source. {CATALOGUE} {VERIFY}",
        ),
        "RI": Limitation(10, 10, "R.I. Gen. Laws § 9-1-13(a) (civil actions, 10 yrs)"),
        "SC": Limitation(3, 3, "S.C. Code Ann. § 15-3-530(1) (contract, 3 yrs)"),
        "SD": Limitation(6, 6, "S.D. Codified Laws § 15-2-13(1) (contract, 6 yrs)"),
        "TN": Limitation(6, 6, "Tenn. Code Ann. § 28-3-109(a)(3) (contracts, 6 yrs)"),
        "TX": Limitation(
            4,
            4,
            "Tex. Civ. Prac. & Rem. Code § 16.004(a)(3) (debt, 4 yrs); § 16.051 (residual, 4 yrs)",
            "Debt buyers may not sue after the period and it is not revived (Tex. Fin. Code "
            f"§ 392.307). {CATALOGUE}",
        ),
        "UT": Limitation(
            6,
            4,
            "Utah Code Ann. § 78B-2-309(2) (written contract, 6 yrs); § 78B-2-307(1) (open "
            "account / not in writing, 4 yrs)",
        ),
        "VT": Limitation(6, 6, "Vt. Stat. Ann. tit. 12, § 511 (civil actions, 6 yrs)"),
        "VA": Limitation(
            5,
            3,
            "Va. Code Ann. § 8.01-246(2) (written contract, 5 yrs); § 8.01-246(4) (unwritten "
            "contract, 3 yrs)",
        ),
        "WA": Limitation(
            6,
            3,
            "RCW 4.16.040(1)-(2) (written contract; account receivable, 6 yrs); RCW 4.16.080(3) "
            "(oral contract, 3 yrs)",
            "Accounts receivable from the ordinary course of business have 6 yrs "
            "(4.16.040(2)); 3 yrs is used for open-ended credit as the conservative default. "
            f"{CATALOGUE} {VERIFY}",
        ),
        "WV": Limitation(
            10,
            5,
            "W. Va. Code § 55-2-6 (written contract, 10 yrs; unwritten contract, 5 yrs)",
        ),
        "WI": Limitation(6, 6, "Wis. Stat. § 893.43 (contract, 6 yrs)"),
        "WY": Limitation(
            10,
            8,
            "Wyo. Stat. Ann. § 1-3-105(a)(i) (written contract, 10 yrs); § 1-3-105(a)(ii)(A) "
            "(contract not in writing, 8 yrs)",
            VERIFY,
        ),
    }
)

OPEN_ACCOUNT: Final = "open_account"
WRITTEN: Final = "written"
Basis = Literal["open_account", "written"]

# Open-ended products (revolving credit) → the open-account period.
_OPEN_ENDED_PHRASES: Final = (
    "card",  # credit, charge, store, retail, private-label card
    "line of credit",
    "credit line",
    "loc",
    "heloc",
    "revolving",
    "overdraft",
    "open account",
    "open end",
    "charge account",
)
# Closed-end credit and services billed under a contract → the written-contract period.
_WRITTEN_PHRASES: Final = (
    "loan",
    "installment",
    "instalment",
    "medical",
    "hospital",
    "auto",
    "automobile",
    "vehicle",
    "mortgage",
    "note",
)
_SEPARATORS: Final = re.compile(r"[\s_\-/]+")


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {text} "
    return any(f" {phrase} " in padded or f" {phrase}s " in padded for phrase in phrases)


def limitation_basis(product: str | None) -> Basis | None:
    """Which period a product takes: "open_account", "written", or None when unrecognised."""
    text = _SEPARATORS.sub(" ", (product or "").lower()).strip()
    words = text.split()
    if _has_phrase(text, _OPEN_ENDED_PHRASES) or any(w.endswith("card") for w in words):
        return OPEN_ACCOUNT
    if _has_phrase(text, _WRITTEN_PHRASES):
        return WRITTEN
    return None


def limitation_period_years(
    state: str | None, product: str | None, *, consumer: bool = True
) -> int | None:
    """Years to sue on a debt governed by ``state``'s law; None when the state is not in the table.

    Open-ended products take the open-account period, loans and other closed-end products the
    written-contract period, and an unrecognised product the shorter of the two. New York
    consumer credit is always 3 years (CPLR 214-i).
    """
    code = (state or "").strip().upper()
    limitation = LIMITATIONS.get(code)
    if limitation is None:
        return None
    if code == "NY" and consumer:
        return limitation.open_account_years
    basis = limitation_basis(product)
    if basis == OPEN_ACCOUNT:
        return limitation.open_account_years
    if basis == WRITTEN:
        return limitation.written_years
    return min(limitation.written_years, limitation.open_account_years)


def accrual_date(
    last_payment_date: date | None,
    delinquency_date: date | None,
    charge_off_date: date | None,
) -> date | None:
    """When the period starts: the later of last payment and delinquency, else charge-off."""
    known = [d for d in (last_payment_date, delinquency_date) if d is not None]
    if known:
        return max(known)
    return charge_off_date


def add_years(start: date, years: int) -> date:
    """``start`` plus whole years; 29 February lands on 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 Feb → a year without one
        return start.replace(year=start.year + years, day=28)


def sol_expiry(
    state: str | None,
    product: str | None,
    last_payment_date: date | None,
    delinquency_date: date | None,
    charge_off_date: date | None,
    *,
    consumer: bool = True,
) -> date | None:
    """The last day on which suit may be brought; None when the state or every date is unknown.

    ``consumer=False`` (a commercial debt) switches off New York's consumer-credit rule, under
    which a payment after the period expired does not revive it (CPLR 214-i).
    """
    years = limitation_period_years(state, product, consumer=consumer)
    if years is None:
        return None
    return expiry_after(years, last_payment_date, delinquency_date, charge_off_date,
                        late_payment_revives=late_payment_revives(state, consumer=consumer))


def late_payment_revives(state: str | None, *, consumer: bool = True) -> bool:
    """Whether a payment made after the period ran out starts it again: everywhere this table
    covers but New York consumer credit (CPLR 214-i: "any subsequent payment ... does not revive
    or extend the limitations period")."""
    return not ((state or "").strip().upper() == "NY" and consumer)


def expiry_after(years: int, last_payment_date: date | None, delinquency_date: date | None,
                 charge_off_date: date | None, *, late_payment_revives: bool = True) -> date | None:
    """The last day to sue, ``years`` from when the period started (``accrual_date``); where a late
    payment does not revive the debt, a payment counts only if made before the period ran out."""
    if late_payment_revives:
        start = accrual_date(last_payment_date, delinquency_date, charge_off_date)
        return None if start is None else add_years(start, years)
    first = delinquency_date or charge_off_date or last_payment_date
    if first is None:
        return None
    expiry = add_years(first, years)
    if last_payment_date is not None and first < last_payment_date <= expiry:
        expiry = add_years(last_payment_date, years)
    return expiry


def is_time_barred(expiry: date | None, today: date) -> bool:
    """True once ``today`` is past the expiry date; False when the expiry is unknown (None)."""
    return expiry is not None and today > expiry
