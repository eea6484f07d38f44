"""Accounts: registration by household invite code, sign-in, preferences."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from civic.accounts import views  # noqa: E402,F401
