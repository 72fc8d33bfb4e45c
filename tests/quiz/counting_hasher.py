"""A password hasher that counts its work, to show that a refused login
never reaches password hashing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5"
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.calls += 1
        return super().verify(password, encoded)

    def harden_runtime(self, password: str, encoded: str) -> Any:
        CountingHasher.calls += 1
        return super().harden_runtime(password, encoded)
