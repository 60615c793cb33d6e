"""Inventory models (SPEC §4): what ``city.yaml`` and ``units/<unit>.yaml`` may contain.

Input: YAML data already loaded by ``loader.py``. Output: validated pydantic models; every model
forbids unknown keys so a typo is reported with its file and line. Secrets are never values in
these files: a credential field is a reference, ``{env: VAR}`` (the value is in the environment)
or ``{env_file: VAR}`` (the environment names a file holding the value).
"""

from __future__ import annotations

from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netaudit.model import Platform

RFC1918_AND_CGNAT = [
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.168.0.0/16"),
    IPv4Network("100.64.0.0/10"),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SecretRef(_Model):
    """Where a secret comes from: an environment variable, or a file named by one."""

    env: str | None = None
    env_file: str | None = None

    @field_validator("env", "env_file")
    @classmethod
    def _name(cls, v: str | None) -> str | None:
        if v is not None and not v.replace("_", "").isalnum():
            raise ValueError(f"{v!r} is not an environment variable name")
        return v


class CredentialProfile(_Model):
    username: SecretRef | None = None
    password: SecretRef | None = None
    secret: SecretRef | None = None  # enable secret (IOS / RGOS)
    user: SecretRef | None = None  # SNMPv3 user
    auth_key: SecretRef | None = None
    priv_key: SecretRef | None = None
    auth_protocol: str | None = None  # e.g. SHA, SHA-256 (not secret)
    priv_protocol: str | None = None  # e.g. AES (not secret)
    community: SecretRef | None = None  # SNMP v2c


class Platforms(_Model):
    intranet: list[IPv4Network] = Field(default_factory=list)
    extranet: list[IPv4Network] = Field(default_factory=list)


class ProbeSettings(_Model):
    reflectors: list[IPv4Address] = Field(default_factory=list)
    targets: list[IPv4Address] = Field(default_factory=list)
    reflector_port: int = 33434
    rate: float = Field(default=20.0, gt=0, description="packets per second, at most")


ParamValue = int | float | str | bool | list[str] | list[int]


class City(_Model):
    id: str
    name: str
    internal_space: list[IPv4Network] = Field(default_factory=lambda: list(RFC1918_AND_CGNAT))
    platforms: Platforms = Field(default_factory=Platforms)
    probe: ProbeSettings = Field(default_factory=ProbeSettings)
    credentials: dict[str, CredentialProfile] = Field(default_factory=dict)
    parameters: dict[str, dict[str, ParamValue]] = Field(default_factory=dict)
    policies: list[str] | None = None  # rule pack files; default: every pack in policies/


class UnitKind(StrEnum):
    MUNICIPAL = "municipal"
    DISTRICT = "district"
    COUNTY = "county"
    DEVZONE = "devzone"
    DEPARTMENT = "department"


class Campus(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"


class Role(StrEnum):
    CORE = "core"
    DISTRIBUTION = "distribution"
    ACCESS = "access"
    ROUTER = "router"
    FIREWALL = "firewall"


class Transport(StrEnum):
    SSH = "ssh"
    SNMP = "snmp"


class PrivateNetwork(_Model):
    name: str
    prefixes: list[IPv4Network]


class Networks(_Model):
    intranet: list[IPv4Network] = Field(default_factory=list)
    extranet: list[IPv4Network] = Field(default_factory=list)
    office: list[IPv4Network] = Field(default_factory=list)
    private: list[PrivateNetwork] = Field(default_factory=list)
    management: list[IPv4Network] = Field(default_factory=list)


class DeclaredExit(_Model):
    id: str
    device: str
    interface: str
    isp: str | None = None
    public_ips: list[IPv4Address] = Field(default_factory=list)


class SnmpAccess(_Model):
    version: str = Field(pattern=r"^(v2c|v3)$")
    credentials: str
    port: int = 161


class DeviceSpec(_Model):
    name: str
    platform: Platform
    role: Role | None = None
    host: IPv4Address | None = None
    port: int = 22
    transports: list[Transport] = Field(default_factory=list)
    credentials: str | None = None
    snmp: SnmpAccess | None = None
    config: Path | None = None
    routing_table: Path | None = None


class Link(_Model):
    """An explicit L3 link the addresses cannot show (e.g. an unnumbered or L2-only hop)."""

    a: str = Field(pattern=r"^[^:\s]+:\S+$", description="device:interface")
    b: str = Field(pattern=r"^[^:\s]+:\S+$", description="device:interface")


class ProbeSpec(_Model):
    id: str
    network: str  # office | intranet | extranet | a private network's name
    address: IPv4Address
    interface: str | None = None  # the probe host's interface on that LAN
    gateway: IPv4Address | None = None  # the LAN's sanctioned gateway


class Unit(_Model):
    id: str
    name: str
    kind: UnitKind
    responsible: str | None = None
    campus: Campus | None = None
    networks: Networks = Field(default_factory=Networks)
    exits: list[DeclaredExit] = Field(default_factory=list)
    devices: list[DeviceSpec] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    probes: list[ProbeSpec] = Field(default_factory=list)
