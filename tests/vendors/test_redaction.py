"""Canary secrets planted in every secret-bearing syntax of every platform must not survive.

For each platform: the model (``to_data`` JSON and ``repr``) and the redacted text hold none
of the canaries; the redacted config parses to the same model; for the ``!``-block platforms
the storage type and the well-known marker of each secret are still known.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netaudit.model import Platform, SecretStorage
from netaudit.model.serialize import to_data
from netaudit.vendors.base import (
    Redactor,
    _replace,
    get_parser,
    parse_bytes,
    parse_config,
    required_words,
)
from tests.vendors._platforms import platform_params

CANARY = re.compile(r"Canary\w*")

CONFIGS: dict[Platform, str] = {
    Platform.CISCO_IOS: """\
hostname R1
enable secret 9 $9$CanaryEnableHash
enable password 7 CanaryEnable7
enable secret level 5 5 $1$CanaryLevel5
username a privilege 15 secret 9 $9$CanaryUserHash
username b password 7 CanaryUser7
username c password 0 Canary User Plain With Spaces
username d algorithm-type scrypt secret CanaryScrypt
snmp-server community CanaryCommunityRO RO 10
snmp-server community CanaryCommunityRW RW
snmp-server user u1 G v3 auth sha CanaryAuth priv aes 128 CanaryPriv
snmp-server user u2 G v3 encrypted auth md5 CanaryAuth2 priv des CanaryPriv2
snmp-server host 10.9.0.5 version 2c CanaryTrapComm
snmp-server host 10.9.0.6 informs version 2c CanaryInformComm
tacacs-server host 10.9.0.49 key 7 CanaryTacHostKey
tacacs-server key CanaryTacKey
radius-server host 10.9.0.50 auth-port 1812 acct-port 1813 key 7 CanaryRadHostKey
radius-server key CanaryRadKey
tacacs server T
 key 7 CanaryTacBlockKey
radius server R
 key CanaryRadBlockKey
key chain K
 key 1
  key-string 7 CanaryKeyString
crypto isakmp key CanaryIsakmp address 198.51.100.9
crypto keyring KR
 pre-shared-key address 198.51.100.10 key CanaryKeyringPsk
crypto ikev2 keyring K2
 peer P
  pre-shared-key local CanaryIkev2Local
  pre-shared-key remote 6 CanaryIkev2Remote
ntp authentication-key 1 md5 CanaryNtpKey 7
key config-key password-encrypt CanaryMasterKey
interface GigabitEthernet0/0
 ip ospf authentication-key 7 CanaryOspfKey
 ip ospf message-digest-key 1 md5 7 CanaryOspfMd5
 standby 1 authentication CanaryHsrpText
 standby 2 authentication md5 key-string 7 CanaryHsrpMd5
 vrrp 1 authentication text CanaryVrrp
interface Dialer1
 ppp chap password 0 CanaryChap
 ppp pap sent-username u password 7 CanaryPap
router bgp 65000
 neighbor 198.51.100.1 password 7 CanaryBgp
ip ftp password CanaryFtp
line con 0
 password CanaryConsolePlain
line vty 0 4
 password 7 CanaryVty7
end
""",
    Platform.RUIJIE_OS: """\
hostname RG
enable secret 5 $1$CanaryRgEnable
enable password level 1 CanaryRgEnablePlain
username admin privilege 15 password 7 CanaryRgUser7
username ops password 0 CanaryRgUserPlain
username net login mode ssh privilege 15 secret 5 $1$CanaryRgUserHash
webmaster level 0 username admin password 7 CanaryRgWeb7
webmaster level 2 username guest password CanaryRgWebPlain
snmp-server community 7 CanaryRgComm7 ro MGMT
snmp-server community CanaryRgCommRW rw
snmp-server user u g v3 auth sha CanaryRgAuth priv des56 CanaryRgPriv
snmp-server host 10.9.0.5 traps version 2c CanaryRgTrap
radius-server host 10.9.0.50 key 7 CanaryRgRadius
radius-server key CanaryRgRadiusKey
tacacs-server key 7 CanaryRgTacacs
interface Dialer 1
 ppp chap password 0 CanaryRgChap
line vty 0 4
 password 7 CanaryRgVty
end
""",
    Platform.HUAWEI: """\
sysname HW
#
super password level 15 cipher CanaryHwSuper
#
aaa
 local-user admin password cipher CanaryHwCipher
 local-user admin2 password irreversible-cipher CanaryHwIrrev
 local-user admin3 password simple CanaryHwSimple
 local-user admin service-type ssh
#
snmp-agent community read CanaryHwRead acl 2000
snmp-agent community write cipher CanaryHwWrite
snmp-agent usm-user v3 u1 g1 authentication-mode sha CanaryHwAuth privacy-mode aes128 CanaryHwPriv
snmp-agent target-host trap address udp-domain 10.9.0.5 params securityname CanaryHwTrap v2c
#
hwtacacs-server template T1
 hwtacacs-server shared-key cipher CanaryHwTac
#
radius-server template R1
 radius-server shared-key cipher CanaryHwRad
#
ike peer P1
 pre-shared-key cipher CanaryHwPsk
#
user-interface con 0
 authentication-mode password
 set authentication password cipher CanaryHwCon
user-interface vty 0 4
 authentication-mode password
 set authentication password simple CanaryHwVty
#
return
""",
    Platform.HUAWEI_VRPV8: """\
sysname HW8
#
aaa
 local-user admin password irreversible-cipher CanaryV8Irrev
 local-user admin2 password cipher CanaryV8Cipher
#
snmp-agent community read cipher CanaryV8Read
{V8_USM}
#
radius-server template R1
 radius-server shared-key cipher CanaryV8Rad
#
user-interface vty 0 4
 authentication-mode password
 set authentication password cipher CanaryV8Vty
#
return
""",
    Platform.HP_COMWARE: """\
 sysname H3C
#
 super password role network-admin simple CanaryH3cSuper
#
local-user admin class manage
 password hash $h$6$CanaryH3cHash
 service-type ssh
local-user admin2 class manage
 password cipher $c$3$CanaryH3cCipher
local-user admin3
 password simple CanaryH3cSimple
#
 snmp-agent community read CanaryH3cRead
 snmp-agent community write simple CanaryH3cWrite
 {H3C_USM}
#
radius scheme R1
 key authentication simple CanaryH3cRadKey
hwtacacs scheme T1
 key authentication cipher $c$3$CanaryH3cTacKey
#
ike keychain K1
 pre-shared-key address 198.51.100.1 255.255.255.255 key simple CanaryH3cPsk
#
user-interface vty 0 4
 authentication-mode password
 set authentication password simple CanaryH3cVty
#
line vty 0 63
 authentication-mode password
 set authentication password hash $h$6$CanaryH3cLine
#
return
""",
}
# Lines longer than the house line length, spliced in.
_LONG = {
    "{V8_USM}": "snmp-agent usm-user v3 u1 authentication-mode sha cipher CanaryV8Auth "
    "privacy-mode aes128 cipher CanaryV8Priv",
    "{H3C_USM}": "snmp-agent usm-user v3 u1 g1 simple authentication-mode sha CanaryH3cAuth "
    "privacy-mode aes128 CanaryH3cPriv",
}
for _plat, _text in CONFIGS.items():
    for _key, _value in _LONG.items():
        _text = _text.replace(_key, _value)
    CONFIGS[_plat] = _text


@pytest.mark.parametrize("platform", platform_params())
def test_no_canary_survives(platform: Platform) -> None:
    text = CONFIGS[platform]
    planted = set(CANARY.findall(text))
    assert planted, "the fixture plants canaries"
    parser = get_parser(platform)
    device = parse_bytes(text.encode(), platform, "canary.cfg")
    blob = json.dumps(to_data(device), ensure_ascii=False) + repr(device)
    redacted = parser.redact(text)
    leaked_model = sorted(c for c in planted if c in blob)
    leaked_text = sorted(c for c in planted if c in redacted)
    assert not leaked_model, f"secrets reached the model: {leaked_model}"
    assert not leaked_text, f"secrets survived redaction: {leaked_text}"
    assert redacted.count("\n") == text.count("\n")


@pytest.mark.parametrize("platform", platform_params())
def test_redacted_config_parses_to_the_same_model(platform: Platform) -> None:
    text = CONFIGS[platform]
    redacted = get_parser(platform).redact(text)
    assert get_parser(platform).redact(redacted) == redacted  # idempotent
    original = to_data(parse_bytes(text.encode(), platform, "canary.cfg"))
    again = to_data(parse_bytes(redacted.encode(), platform, "canary.cfg"))
    assert original == again


def test_ios_storage_types_survive_redaction() -> None:
    device = parse_bytes(CONFIGS[Platform.CISCO_IOS].encode(), Platform.CISCO_IOS, "c.cfg")
    m = device.mgmt
    users = {u.name: u.password_storage for u in m.users}
    assert users == {
        "a": SecretStorage.HASH,
        "b": SecretStorage.TYPE7,
        "c": SecretStorage.PLAIN,
        "d": SecretStorage.HASH,
    }
    assert m.enable_secret is SecretStorage.TYPE7  # the weakest enable secret counts
    assert [ln.password_storage for ln in m.lines] == [SecretStorage.PLAIN, SecretStorage.TYPE7]
    assert [c.well_known for c in m.snmp.communities] == [False, False]
    assert [(u.auth, u.priv) for u in m.snmp.users] == [(True, True), (True, True)]


def test_ruijie_storage_types_survive_redaction() -> None:
    device = parse_bytes(CONFIGS[Platform.RUIJIE_OS].encode(), Platform.RUIJIE_OS, "r.cfg")
    m = device.mgmt
    assert [(u.name, u.password_storage) for u in m.users] == [
        ("admin", SecretStorage.TYPE7),
        ("ops", SecretStorage.PLAIN),
        ("net", SecretStorage.HASH),
        ("admin", SecretStorage.TYPE7),
        ("guest", SecretStorage.PLAIN),
    ]
    assert m.enable_secret is SecretStorage.PLAIN


@pytest.mark.parametrize("platform", [Platform.CISCO_IOS, Platform.RUIJIE_OS])
def test_well_known_community_keeps_only_the_marker(platform: Platform) -> None:
    text = "snmp-server community public RO\nsnmp-server community private RW\nend\n"
    redacted = get_parser(platform).redact(text)
    assert "public" not in redacted and "private" not in redacted
    comms = parse_bytes(text.encode(), platform, "c.cfg").mgmt.snmp.communities
    assert [(c.access, c.well_known) for c in comms] == [("ro", True), ("rw", True)]


@pytest.mark.parametrize(
    "platform", [Platform.HUAWEI, Platform.HUAWEI_VRPV8, Platform.HP_COMWARE], ids=str
)
def test_the_any_secret_precheck_matches_wherever_a_pattern_does(platform: Platform) -> None:
    # The redactor skips a line unless one regex made of all its patterns matches; that regex
    # must match every line any single pattern matches (else a secret would be kept).
    redactor = get_parser(platform).redactor
    assert type(redactor).redact_line is Redactor.redact_line
    combined = redactor._any_secret  # the pre-check itself is under test
    assert combined is not None
    root = Path(__file__).parents[2]
    lines = CONFIGS[platform].splitlines()
    for cfg in sorted((root / "tests" / "vendors" / platform.value).rglob("*.cfg")):
        lines.extend(cfg.read_text(encoding="utf-8", errors="replace").splitlines())
    hits = 0
    for line in lines:
        single = any(p.regex.search(line) for p in redactor.patterns)
        assert bool(combined.search(line)) == single, line
        hits += single
    assert hits >= 5


def _corpus(platform: Platform) -> list[str]:
    root = Path(__file__).parents[2]
    lines = CONFIGS[platform].splitlines()
    for cfg in sorted((root / "tests" / "vendors" / platform.value).rglob("*.cfg")):
        lines.extend(cfg.read_text(encoding="utf-8", errors="replace").splitlines())
    for cfg in sorted((root / "inventories" / "xian" / "configs").glob("*.cfg")):
        lines.extend(cfg.read_text(encoding="utf-8", errors="replace").splitlines())
    return lines


@pytest.mark.parametrize("platform", platform_params())
def test_patterns_run_only_where_their_words_are_yet_redact_the_same(platform: Platform) -> None:
    # A pattern runs on a line only when the line holds a word the pattern requires (read from
    # the regex): every line a pattern matches must hold one, and the redacted lines must be
    # those of running every pattern in turn (else a secret would be kept).
    redactor = get_parser(platform).redactor
    required = [(pat, required_words(pat.regex)) for pat in redactor.patterns]
    hits = 0
    for line in _corpus(platform):
        expected = line
        for pat in redactor.patterns:
            expected = pat.regex.sub(lambda m, p=pat: _replace(m, p), expected)
        assert redactor.redact_line(line) == expected, line
        assert redactor.redact(line) == expected, line
        if line.isascii():
            low = line.lower()
            for pat, words in required:
                if pat.regex.search(line):
                    hits += 1
                    assert not words or any(w in low for w in words), (pat.regex.pattern, line)
    assert hits >= 20


def test_required_words_read_from_the_regex() -> None:
    def words(pattern: str) -> tuple[str, ...]:
        return required_words(re.compile(pattern, re.IGNORECASE))

    assert words(r"^\s*(?:undo\s+)?snmp-agent\s+community\s+(?P<secret>\S+)") == (
        "snmp-agent",
    )  # the longest
    assert words(r"\b(?:pre-shared-key|shared-key)\s+(?P<secret>\S+)") == (
        "pre-shared-key",
        "shared-key",
    )
    assert words(r"(?:password|secret)?\s+(?P<secret>\S+)") == ()  # optional: nothing required
    assert words(r"(?:a|\d+)x") == ("x",)  # one alternative without a word: the next literal
    assert words(r"\$1[a-d]\$") == ("$1",)
    assert words(r"Password:\s*(?P<secret>.+)") == ("password:",)


@pytest.mark.parametrize("platform", platform_params())
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_the_stored_snapshot_is_the_file_redacted_line_for_line(
    platform: Platform, ending: str
) -> None:
    # The snapshot reuses the lines the parse redacted; lines that cleaning changed (trailing
    # blanks, terminal escapes, a pager marker) are redacted from the file's own text.
    lines = CONFIGS[platform].splitlines()
    lines = [f"{line}   " if i % 3 == 0 else line for i, line in enumerate(lines)]
    lines.insert(2, "  ---- More ----\x1b[16D                \x1b[16D" + lines[3].strip())
    lines.insert(4, lines[5] + "\x1b[K")
    text = ending.join(lines) + ending
    decoded = text.replace("\r\n", "\n")
    redactor = get_parser(platform).redactor
    _, snapshot = parse_config(text.encode(), platform, "s.cfg")
    assert snapshot == redactor.redact(decoded)
    assert not CANARY.search(snapshot.replace("\x1b[16D", ""))
