"""Sealing an online ballot while the vote is open.

A cast ballot's register row ("has voted") and its sealed ballot are written in one
transaction, so in the database they share a transaction id (``xmin``): anyone reading
the database during the vote can pair them. What they pair the voter with is this: an
AES-GCM ciphertext of the tracking code and the marks, under a key derived from the
server's secret (``ELECTION_SEAL_KEY``, or ``SECRET_KEY``), which lives in the server's
environment and never in the database or its backups. The plaintext is padded to a
fixed length, so the size of the ciphertext does not tell how many candidates were
marked (nor whether a name was written in), and it carries no time (unlike a Fernet token).

At the close the server opens the sealed ballots, writes them shuffled as ``Ballot`` rows
and deletes the sealed rows; see ``services.election_close_voting``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

PURPOSE = "association.elections.sealing"
NONCE_BYTES = 12
BLOCK = 8192  # every plaintext is padded to this length (a ballot that does not fit is refused)


def _secrets() -> list[str]:
    current = getattr(settings, "ELECTION_SEAL_KEY", "") or settings.SECRET_KEY
    # Rotating SECRET_KEY during a vote must not lose the ballots sealed before it.
    return [current, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _key(election_id: int, secret: str) -> bytes:
    return salted_hmac(
        PURPOSE, f"election:{election_id}", secret=secret, algorithm="sha256"
    ).digest()


def _aad(election_id: int) -> bytes:
    return f"election:{election_id}".encode()


@dataclass(frozen=True)
class Marks:
    """What a ballot says: the candidates marked yes (``yes``, the only mark on a
    competitive ballot), no and abstain (``no``, ``abstain``: single-candidate ballots),
    and the names written in, as ``(position id, name)``."""

    yes: list[int]
    no: list[int] = field(default_factory=list)
    abstain: list[int] = field(default_factory=list)
    write_ins: list[tuple[int, str]] = field(default_factory=list)


def seal(election_id: int, tracking_code: str, marks: Marks) -> bytes:
    body = json.dumps(
        {
            "c": tracking_code,
            "m": sorted(marks.yes),
            "n": sorted(marks.no),
            "a": sorted(marks.abstain),
            "w": sorted([p, n] for p, n in marks.write_ins),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )
    raw = body.encode()
    if len(raw) + 4 > BLOCK:
        # One length for every ballot: a longer one would stand out.
        raise ValueError("a ballot longer than the sealing block")
    size = BLOCK
    padded = len(raw).to_bytes(4, "big") + raw + b"\0" * (size - len(raw) - 4)
    nonce = os.urandom(NONCE_BYTES)
    cipher = AESGCM(_key(election_id, _secrets()[0]))
    return nonce + cipher.encrypt(nonce, padded, _aad(election_id))


def unseal(election_id: int, sealed: bytes) -> tuple[str, Marks]:
    sealed = bytes(sealed)
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for secret in _secrets():
        try:
            padded = AESGCM(_key(election_id, secret)).decrypt(nonce, body, _aad(election_id))
        except InvalidTag:
            continue
        length = int.from_bytes(padded[:4], "big")
        data = json.loads(padded[4 : 4 + length])
        return data["c"], Marks(
            yes=list(data["m"]),
            no=list(data.get("n", [])),
            abstain=list(data.get("a", [])),
            write_ins=[(p, n) for p, n in data.get("w", [])],
        )
    # Never silently drop a ballot: the close fails and the vote stays open.
    raise ImproperlyConfigured(
        "A sealed ballot cannot be opened with the current ELECTION_SEAL_KEY/SECRET_KEY "
        "or SECRET_KEY_FALLBACKS; restore the key it was sealed with."
    )
