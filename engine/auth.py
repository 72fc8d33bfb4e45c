"""Tokens: players, hosts and screens prove who they are with a random token;
Redis keeps only its SHA-256, so a leaked dump cannot be replayed."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, expected_hash: str) -> bool:
    return bool(expected_hash) and hmac.compare_digest(hash_token(token), expected_hash)
