#!/bin/bash
# What a candidate does on SRV-AD for the subject of tssr-2023-msp-titre (tasks 1-8 of
# /work/prompts/subject.md), run inside the lab DC's network namespace.
#   usage: exam-candidate-dc.sh a|b DC_IP LINUX_IP DC_DIR
# `a` does everything right; `b` makes the subject's listed mistakes (cgarcia in CN=Users,
# GG_Commercial without bmoreau, GPO_Commercial not linked, logon hours in UTC).
set -euo pipefail
VARIANT=$1; IP=$2; LINUX_IP=$3; DC_DIR=$4
HERE=$(cd "$(dirname "$0")" && pwd)
PASS='Passw0rd!TSSR'
A=(-H "ldap://$IP" -U "Administrator%$PASS")
G=(-s "$DC_DIR/client-smb.conf" "${A[@]}")
LDAP=(-x -H "ldap://$IP" -D Administrator@tssr.lan -w "$PASS" -ZZ -o tls_reqcert=never)
BASE=DC=tssr,DC=lan
st() { samba-tool "$@" "${A[@]}" >/dev/null; }
# LDIF "dn::" line (base64: DNs with accents).
dn() { printf 'dn:: %s' "$(printf '%s' "$1" | base64 -w0)"; }

# 1. Ticket: dlambert enabled again, password change forced at next logon.
st user enable dlambert
ldapmodify "${LDAP[@]}" >/dev/null <<LDIF
$(dn "CN=Denis Lambert,OU=Informatique,$BASE")
changetype: modify
replace: pwdLastSet
pwdLastSet: 0
LDIF

# 2. OUs.
st ou create "OU=Commercial,$BASE" --description="Service commercial"
st ou create "OU=Postes,OU=Commercial,$BASE"

# 3. Users (B: cgarcia lands in CN=Users).
user() { # sam given surname
  local ou=(--userou="OU=Commercial")
  if [ "$VARIANT" = b ] && [ "$1" = cgarcia ]; then ou=(); fi
  st user create "$1" 'Commercial2026!' --given-name="$2" --surname="$3" "${ou[@]}" \
    --department=Commercial --must-change-at-next-login
}
user alefevre Alice 'Lefèvre'
user bmoreau Bruno Moreau
user cgarcia 'Chloé' Garcia

# 4. Logon hours Mon-Fri 08:00-19:00 local. AD stores the grid in UTC and Windows reads it
# at the offset in force today (constat too: Europe/Paris at the collection's date), so the
# grid A enters is 08:00 local minus today's offset: 07:00-18:00 UTC in winter, 06:00-17:00
# UTC in summer. B's grid is an hour late, 09:00-20:00 local: what entering the hours as if
# the grid were in UTC gives in winter (the test grades the same in any season).
HOURS=$(/usr/bin/python3 -c '
import base64, sys, datetime, zoneinfo
offset = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")).utcoffset()
first = (8 if sys.argv[1] == "a" else 9) - offset // datetime.timedelta(hours=1)
bits = bytearray(21)
for day in range(1, 6):
    for hour in range(first, first + 11):
        i = day * 24 + hour
        bits[i // 8] |= 1 << (i % 8)
print(base64.b64encode(bytes(bits)).decode())' "$VARIANT")
CG_OU="OU=Commercial"; [ "$VARIANT" = b ] && CG_OU="CN=Users"
for d in "CN=Alice Lefèvre,OU=Commercial" "CN=Bruno Moreau,OU=Commercial" "CN=Chloé Garcia,$CG_OU"; do
  ldapmodify "${LDAP[@]}" >/dev/null <<LDIF
$(dn "$d,$BASE")
changetype: modify
replace: logonHours
logonHours:: $HOURS
LDIF
done

# 5. AGDLP groups (B forgets bmoreau).
st group add GG_Commercial --groupou="OU=Commercial" --group-scope=Global --group-type=Security
st group add DL_Commercial_RW --groupou="OU=Commercial" --group-scope=Domain --group-type=Security
if [ "$VARIANT" = a ]; then MEMBERS=alefevre,bmoreau,cgarcia; else MEMBERS=alefevre,cgarcia; fi
st group addmembers GG_Commercial "$MEMBERS"
st group addmembers DL_Commercial_RW GG_Commercial

# 6. Computer account.
st computer create PC-01 --computerou="OU=Postes,OU=Commercial"

# 7. DNS record.
samba-tool dns add "$IP" tssr.lan intranet A "$LINUX_IP" -U "Administrator%$PASS" >/dev/null

# 8. GPO_Commercial: drive map S: and NoControlPanel (B does not link it).
. "$HERE/gpo-create.sh"
GUID=$(gpo_create GPO_Commercial "${G[@]}")
if [ "$VARIANT" = a ]; then
  samba-tool gpo setlink "OU=Commercial,$BASE" "$GUID" "${G[@]}" >/dev/null
fi
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
/usr/bin/python3 "$HERE/make_registry_pol.py" "$W/user.pol" \
  'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer;NoControlPanel;DWORD;1' >/dev/null
printf '<?xml version="1.0" encoding="utf-8"?>\r\n<Drives clsid="{8FDDCC1A-0C3C-43cd-A6B4-71A6DF20DA8C}"><Drive clsid="{935D1B74-9CB8-4e3c-9914-7DD559B7A417}" name="S:" status="S:" image="2" changed="2026-11-23 10:00:00" uid="{6A1C2B3D-2222-4C4B-9B1E-000000000001}"><Properties action="U" thisDrive="NOCHANGE" allDrives="NOCHANGE" userName="" path="\\\\SRV-AD\\Commercial" label="Commercial" persistent="1" useLetter="1" letter="S"/></Drive></Drives>\r\n' > "$W/Drives.xml"
printf '[General]\r\nVersion=131072\r\n' > "$W/GPT.INI"
smbclient "//$IP/sysvol" -U "Administrator%$PASS" -c "cd \"tssr.lan\\Policies\\$GUID\"; put \"$W/user.pol\" User\\Registry.pol; mkdir User\\Preferences; mkdir User\\Preferences\\Drives; put \"$W/Drives.xml\" User\\Preferences\\Drives\\Drives.xml; put \"$W/GPT.INI\" GPT.INI" >/dev/null
ldapmodify "${LDAP[@]}" >/dev/null <<LDIF
dn: CN=$GUID,CN=Policies,CN=System,$BASE
changetype: modify
replace: versionNumber
versionNumber: 131072
-
replace: gPCUserExtensionNames
gPCUserExtensionNames: [{00000000-0000-0000-0000-000000000000}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}][{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}][{5794DAFD-BE60-433F-88A2-1A31939AC01F}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}]
LDIF
echo "candidate $VARIANT: SRV-AD configured (GPO_Commercial $GUID)"
