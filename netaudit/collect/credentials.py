"""Credentials for live collection, resolved from environment profiles only.

Stage: live collection (and the simulator, which accepts the same credentials). Input: the
inventory's credential profiles (``city.yaml`` ``credentials:``, each field ``{env: VAR}`` or
``{env_file: VAR}``) and the process environment. Output: ``SshCredentials`` /
``SnmpCredentials`` whose secret fields never appear in a ``repr``, a log line or an exception.
A missing variable or file raises ``UsageError`` naming the profile, the field and the variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from netaudit.errors import UsageError
from netaudit.inventory.models import City, CredentialProfile, SecretRef, SnmpAccess


@dataclass(frozen=True, slots=True)
class SshCredentials:
    profile: str
    username: str
    password: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)  # enable secret (IOS/RGOS)

    @property
    def enable_secret(self) -> str:
        """The enable secret; when the profile has none, the login password (common practice)."""
        return self.secret if self.secret is not None else self.password


@dataclass(frozen=True, slots=True)
class SnmpCredentials:
    profile: str
    version: str  # v2c | v3
    community: str | None = field(default=None, repr=False)
    user: str | None = None
    auth_key: str | None = field(default=None, repr=False)
    priv_key: str | None = field(default=None, repr=False)
    auth_protocol: str = "SHA"
    priv_protocol: str = "AES"


def resolve_secret(ref: SecretRef, profile: str, fieldname: str, environ: Mapping[str, str]) -> str:
    where = f"credential profile {profile!r} field {fieldname!r}"
    if ref.env is not None:
        value = environ.get(ref.env)
        if value is None:
            raise UsageError(f"{where}: environment variable {ref.env} is not set")
        return value
    if ref.env_file is not None:
        file = environ.get(ref.env_file)
        if file is None:
            raise UsageError(f"{where}: environment variable {ref.env_file} is not set")
        try:
            return Path(file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UsageError(
                f"{where}: cannot read the file named by {ref.env_file} ({exc.strerror})"
            ) from None
    raise UsageError(f"{where}: neither `env` nor `env_file` is given")


def _profile(city: City, name: str) -> CredentialProfile:
    profile = city.credentials.get(name)
    if profile is None:
        known = ", ".join(sorted(city.credentials)) or "none"
        raise UsageError(f"credential profile {name!r} is not in city.yaml (profiles: {known})")
    return profile


def ssh_credentials(city: City, name: str, environ: Mapping[str, str]) -> SshCredentials:
    profile = _profile(city, name)
    if profile.username is None or profile.password is None:
        raise UsageError(f"credential profile {name!r}: SSH needs `username` and `password`")
    return SshCredentials(
        profile=name,
        username=resolve_secret(profile.username, name, "username", environ),
        password=resolve_secret(profile.password, name, "password", environ),
        secret=(
            resolve_secret(profile.secret, name, "secret", environ)
            if profile.secret is not None
            else None
        ),
    )


def snmp_credentials(city: City, access: SnmpAccess, environ: Mapping[str, str]) -> SnmpCredentials:
    name = access.credentials
    profile = _profile(city, name)
    if access.version == "v2c":
        if profile.community is None:
            raise UsageError(f"credential profile {name!r}: SNMP v2c needs `community`")
        return SnmpCredentials(
            profile=name,
            version="v2c",
            community=resolve_secret(profile.community, name, "community", environ),
        )
    if profile.user is None or profile.auth_key is None or profile.priv_key is None:
        raise UsageError(
            f"credential profile {name!r}: SNMPv3 authPriv needs `user`, `auth_key` and `priv_key`"
        )
    return SnmpCredentials(
        profile=name,
        version="v3",
        user=resolve_secret(profile.user, name, "user", environ),
        auth_key=resolve_secret(profile.auth_key, name, "auth_key", environ),
        priv_key=resolve_secret(profile.priv_key, name, "priv_key", environ),
        auth_protocol=(profile.auth_protocol or "SHA").upper(),
        priv_protocol=(profile.priv_protocol or "AES").upper(),
    )
