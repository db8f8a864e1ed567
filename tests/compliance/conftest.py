import datetime as dt

import pytest
import time_machine

from accounts.constants import Role
from tests.compliance.regulatory_harness import Player
from tests.conftest import api_for
from tests.factories import UserFactory


@pytest.fixture
def player(db):  # type: ignore[no-untyped-def]
    """The regulatory reviews' examiner: an administrator's API client (token only: no password to
    hash), on 10 January 2028 so that every event of their tables, 2027's included, lies in the past."""
    examiner = UserFactory(username="examiner", role=Role.ADMIN, is_superuser=True, is_staff=True, password=None)
    with time_machine.travel(dt.datetime(2028, 1, 10, 12, tzinfo=dt.UTC), tick=True):
        yield Player(api_for(examiner))
