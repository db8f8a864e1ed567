"""Deterministic demo people: names, places (real ZIP codes with their area codes), balances."""

import random
from dataclasses import dataclass
from functools import cache

import zipcodes

FIRST = ("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
         "Joseph Jessica Thomas Sarah Carlos Maria Luis Ana Jose Sofia Wei Mei Ahmed Fatima Kwame Amara Ivan "
         "Olga Noah Emma Liam Olivia Mateo Camila Hiroshi Yuki Priya Arjun Grace Daniel Chloe Samuel Leah").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
        "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
        "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
        "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Chen Kim Patel Okafor Kowalski").split()
BUSINESS = ("Bakery Plumbing Landscaping Auto Repair Dental Consulting Trucking Printing Catering Salon "
            "Hardware Electric Roofing Florist Fitness").split()
STREETS = "Main Oak Maple Cedar Pine Elm Washington Lake Hill Park Sunset Ridge Highland River Church".split()
SUFFIX = "St Ave Rd Blvd Dr Ln Ct Way".split()
PRODUCTS = (("credit card", 0.45), ("personal loan", 0.15), ("medical", 0.15), ("auto loan", 0.08),
            ("utility", 0.07), ("telecom", 0.06), ("retail installment", 0.04))
# Weighted toward populous states, but every state and DC appears.
HEAVY_STATES = {"CA": 12, "TX": 9, "FL": 7, "NY": 6, "PA": 4, "IL": 4, "OH": 4, "GA": 3, "NC": 3, "MI": 3,
                "NJ": 3, "VA": 3, "WA": 2, "AZ": 2, "MA": 2, "TN": 2, "IN": 2, "MO": 2}


@dataclass(frozen=True)
class Place:
    zip_code: str
    city: str
    state: str
    area_codes: tuple[str, ...]


@cache
def places_by_state() -> dict[str, list[Place]]:
    result: dict[str, list[Place]] = {}
    for row in zipcodes.list_all():
        if row["zip_code_type"] != "STANDARD" or not row["active"] or not row["area_codes"]:
            continue
        place = Place(row["zip_code"], row["city"].title(), row["state"], tuple(row["area_codes"]))
        result.setdefault(row["state"], []).append(place)
    return result


@cache
def state_weights() -> tuple[list[str], list[int]]:
    states = sorted(places_by_state())
    return states, [HEAVY_STATES.get(s, 1) for s in states]


def pick_place(rng: random.Random) -> Place:
    states, weights = state_weights()
    state = rng.choices(states, weights)[0]
    return rng.choice(places_by_state()[state])


def pick_product(rng: random.Random) -> str:
    return rng.choices([p for p, _ in PRODUCTS], [w for _, w in PRODUCTS])[0]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def business_name(rng: random.Random) -> str:
    return f"{rng.choice(LAST)} {rng.choice(BUSINESS)} LLC"


def street(rng: random.Random) -> str:
    return f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIX)}"


def phone_for(rng: random.Random, place: Place) -> str:
    """A number in the place's area code, on the 555 exchange used for fiction."""
    return f"+1{rng.choice(place.area_codes)}555{rng.randint(0, 9999):04d}"


ORIGINAL_CREDITORS = {
    "credit card": ("Northwind Card Services", "Contoso Bank", "Fabrikam Financial"),
    "medical": ("St. Mercy Hospital", "Lakeside Clinic", "Riverside Imaging"),
    "utility": ("Metro Power & Light", "City Water"),
    "telecom": ("Tailspin Wireless", "Litware Cable"),
}


def original_creditor(rng: random.Random, product: str, client_name: str) -> str:
    """Banks and retailers often place their own debts; hospitals and utilities their patients'."""
    choices = ORIGINAL_CREDITORS.get(product)
    return rng.choice(choices) if choices and rng.random() < 0.6 else client_name
