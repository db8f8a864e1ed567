"""API token authentication: DRF's ``TokenAuthentication`` semantics, with the token and its user
read by one fixed SQL statement (the ORM compiles its ``select_related`` query anew on every
request, which costs more than the query itself on the compliance check's hot path)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

_USER = get_user_model()
_USER_FIELDS = [f.attname for f in _USER._meta.concrete_fields]
_TOKEN_FIELDS = [f.attname for f in Token._meta.concrete_fields]
TOKEN_USER_SQL = "select {token}, {user} from {token_table} t join {user_table} u on u.{user_pk} = t.user_id where t.{key} = %s".format(
    key=connection.ops.quote_name(Token._meta.pk.column),
    token=", ".join(f"t.{connection.ops.quote_name(f.column)}" for f in Token._meta.concrete_fields),
    user=", ".join(f"u.{connection.ops.quote_name(f.column)}" for f in _USER._meta.concrete_fields),
    token_table=connection.ops.quote_name(Token._meta.db_table),
    user_table=connection.ops.quote_name(_USER._meta.db_table),
    user_pk=connection.ops.quote_name(_USER._meta.pk.column),
)


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; same answers as DRF's (invalid token, inactive user)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        with connection.cursor() as cur:
            cur.execute(TOKEN_USER_SQL, [key])
            row = cur.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        split = len(_TOKEN_FIELDS)
        token = Token.from_db(connection.alias, _TOKEN_FIELDS, row[:split])
        user = _USER.from_db(connection.alias, _USER_FIELDS, row[split:])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token.user = user
        return user, token
