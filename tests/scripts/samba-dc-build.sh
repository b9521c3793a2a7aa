#!/bin/bash
# Provision and populate a throw-away Samba AD DC for the real AD tests, then archive it.
#   usage: samba-dc-build.sh DIR TARBALL NETNS
# DIR is where the DC lives (absolute; smb.conf records it), TARBALL the .tar.zst written,
# NETNS a network namespace name that must not exist yet (created here, deleted on exit).
# All traffic stays inside NETNS: samba listens on 10.204.0.10 there and every client
# command below runs inside the same namespace. Recipes: /work/shared/notes/lab.md §1.
set -euo pipefail
DIR=$1; OUT=$2; NS=$3
HERE=$(cd "$(dirname "$0")" && pwd)
IP=10.204.0.10
PASS='Passw0rd!TSSR'
A=(-H "ldap://$IP" -U "Administrator%$PASS")
LDAP=(-x -H "ldap://$IP" -D Administrator@tssr.lan -w "$PASS")
. "$(cd "$(dirname "$0")" && pwd)/dc-netns.sh"

rm -rf "$DIR"
in_ns samba-tool domain provision --targetdir="$DIR" \
  --realm=TSSR.LAN --domain=TSSR --server-role=dc --dns-backend=SAMBA_INTERNAL \
  --adminpass="$PASS" --host-name=dc01 --host-ip=$IP --use-rfc2307 \
  --option="interfaces=lo vn-dc" --option="bind interfaces only=yes" \
  --option="dns forwarder=127.0.0.1" > "$DIR.provision.log" 2>&1
# 'ldap server require strong auth' stays at its default (yes): simple binds need TLS.
sed -i '/^\[global\]/a\	log file = '"$DIR"'/log/log.%m\n\tpid directory = '"$DIR"'/run\n\tntp signd socket directory = '"$DIR"'/run/ntp_signd' "$DIR/etc/smb.conf"
mkdir -p "$DIR/cache" "$DIR/run" "$DIR/log"
printf '[global]\n\tworkgroup = TSSR\n\trealm = TSSR.LAN\n\tnetbios name = GRADER\n' > "$DIR/client-smb.conf"

# Started through `ip netns exec` directly (not a shell function) so that $! is the
# unshare process and its child is samba, PID 1 of the new pid namespace.
ip netns exec "$NS" unshare --mount --propagation private --pid --fork --kill-child=SIGTERM --mount-proc \
  sh -c "mount -t tmpfs tmpfs /run/samba && exec samba -s $DIR/etc/smb.conf -F --debug-stdout" \
  > "$DIR/log/samba-fg.log" 2>&1 < /dev/null &
UNSHARE_PID=$!
for _ in $(seq 300); do
  LDAPTLS_REQCERT=never in_ns ldapsearch -x -LLL -H ldaps://$IP -D Administrator@tssr.lan -w "$PASS" -s base -b '' dnsHostName >/dev/null 2>&1 && break
  sleep 0.1
done
for _ in $(seq 300); do in_ns smbclient -L "//$IP" -U "Administrator%$PASS" >/dev/null 2>&1 && break; sleep 0.2; done

st() { in_ns samba-tool "$@" "${A[@]}" >/dev/null; }
# --- OUs, users, groups (AGDLP), computer ---------------------------------------------
st ou create "OU=Comptabilite,DC=tssr,DC=lan" --description="Service comptable"
st ou create "OU=Informatique,DC=tssr,DC=lan"
st ou create "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan"
st user create jdupont 'Compta2024!' --given-name=Jean --surname=Dupont --userou="OU=Comptabilite" --department=Comptabilite --mail-address=jdupont@tssr.lan --job-title=Comptable --telephone-number=0102030405 --profile-path='\\srv-file01\profils$\jdupont' --home-directory='\\srv-file01\perso$\jdupont' --home-drive=H: --script-path=logon.bat
st user create mmartin 'Compta2024!' --given-name=Marie --surname=Martin --userou="OU=Comptabilite" --must-change-at-next-login
st user create pdurand 'Compta2024!' --given-name=Paul --surname=Durand --userou="OU=Comptabilite"
st user create adminit 'Info2024!!' --given-name=Admin --surname=IT --userou="OU=Informatique" --description="Administrateur du SI"
st user disable pdurand
st user setexpiry jdupont --noexpiry
st group add GG_Compta --groupou="OU=Comptabilite" --description="Groupe global comptabilite"
st group add DL_Partage_Compta_RW --groupou="OU=Comptabilite" --group-scope=Domain --group-type=Security
st group add U_Tous --group-scope=Universal --group-type=Distribution
st group addmembers GG_Compta jdupont,mmartin,pdurand
st group addmembers DL_Partage_Compta_RW GG_Compta
st group addmembers U_Tous GG_Compta,adminit
st group addmembers "Domain Admins" adminit
st computer create PC-COMPTA01 --computerou="OU=Postes,OU=Comptabilite" --description="Poste client Windows 10"
st domain passwordsettings set --min-pwd-length=12 --account-lockout-threshold=5 --max-pwd-age=90
st domain passwordsettings pso create PSO_Admins 10 --min-pwd-length=15 --complexity=on --account-lockout-threshold=3
st domain passwordsettings pso apply PSO_Admins adminit

# logonHours: Mon-Fri 08:00-18:00 Europe/Paris winter time (UTC+1) = 07:00-17:00 UTC.
# 21 bytes, bit (day*24 + hour) with Sunday 00:00 UTC = bit 0, least significant bit first.
HOURS=$(/usr/bin/python3 -c '
import base64
bits = bytearray(21)
for day in range(1, 6):
    for hour in range(7, 17):
        i = day * 24 + hour
        bits[i // 8] |= 1 << (i % 8)
print(base64.b64encode(bytes(bits)).decode())')
in_ns ldapmodify "${LDAP[@]}" -ZZ -o tls_reqcert=never >/dev/null <<LDIF
dn: CN=Marie Martin,OU=Comptabilite,DC=tssr,DC=lan
changetype: modify
replace: logonHours
logonHours:: $HOURS
-
replace: accountExpires
accountExpires: 133801632000000000

dn: CN=PC-COMPTA01,OU=Postes,OU=Comptabilite,DC=tssr,DC=lan
changetype: modify
replace: operatingSystem
operatingSystem: Windows 10 Professionnel
-
replace: operatingSystemVersion
operatingSystemVersion: 10.0 (19045)
-
replace: dNSHostName
dNSHostName: pc-compta01.tssr.lan
LDIF

# --- GPOs -----------------------------------------------------------------------------
G=(-s "$DIR/client-smb.conf" "${A[@]}")
. "$HERE/gpo-create.sh"
SAMBA_TOOL="in_ns samba-tool"
G1=$(gpo_create GPO_Compta_Securite "${G[@]}")
G2=$(gpo_create GPO_Informatique_Restrictions "${G[@]}")
G3=$(gpo_create GPO_Lecteurs "${G[@]}")
G4=$(gpo_create GPO_Lecteurs_NonApplique "${G[@]}")
in_ns samba-tool gpo setlink "OU=Comptabilite,DC=tssr,DC=lan" "$G1" "${G[@]}" >/dev/null
in_ns samba-tool gpo setlink "OU=Comptabilite,DC=tssr,DC=lan" "$G3" "${G[@]}" >/dev/null
in_ns samba-tool gpo setlink "OU=Informatique,DC=tssr,DC=lan" "$G2" --enforce "${G[@]}" >/dev/null
in_ns samba-tool gpo setlink "OU=Informatique,DC=tssr,DC=lan" "$G4" "${G[@]}" >/dev/null
in_ns samba-tool gpo setlink "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan" "$G2" --disable "${G[@]}" >/dev/null
in_ns samba-tool gpo setinheritance "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan" block "${G[@]}" >/dev/null
in_ns samba-tool gpo manage security set "$G1" MinimumPasswordLength 12 "${G[@]}" >/dev/null
in_ns samba-tool gpo manage security set "$G1" PasswordComplexity 1 "${G[@]}" >/dev/null

W=$DIR.work; rm -rf "$W"; mkdir -p "$W"
/usr/bin/python3 "$HERE/make_registry_pol.py" "$W/machine.pol" \
 'Software\Policies\Microsoft\Windows\WindowsUpdate;WUServer;SZ;http://srv-wsus.tssr.lan:8530' \
 'Software\Policies\Microsoft\Windows\WindowsUpdate;WUStatusServer;SZ;http://srv-wsus.tssr.lan:8530' \
 'Software\Policies\Microsoft\Windows\WindowsUpdate\AU;UseWUServer;DWORD;1' \
 'Software\Policies\Microsoft\Windows\WindowsUpdate\AU;AUOptions;DWORD;4' >/dev/null
/usr/bin/python3 "$HERE/make_registry_pol.py" "$W/user.pol" \
 'Software\Microsoft\Windows\CurrentVersion\Policies\System;DisableTaskMgr;DWORD;1' \
 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer;RestrictRun;DELETE;' \
 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer;NoDrives;DWORD;4' \
 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer;NoControlPanel;DWORD;1' >/dev/null
printf '[General]\r\nVersion=65537\r\n' > "$W/GPT1.INI"
printf '[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordLength = 10\r\nPasswordComplexity = 1\r\nLockoutBadCount = 5\r\n[Privilege Rights]\r\nSeRemoteInteractiveLogonRight = *S-1-5-32-544,*S-1-5-32-555\r\n[Version]\r\nsignature="$CHICAGO$"\r\nRevision=1\r\n' \
  | iconv -f UTF-8 -t UTF-16LE | { printf '\xff\xfe'; cat; } > "$W/GptTmpl.inf"
printf '[General]\r\nVersion=1\r\n' > "$W/GPT2.INI"
printf '<?xml version="1.0" encoding="utf-8"?>\r\n<Drives clsid="{8FDDCC1A-0C3C-43cd-A6B4-71A6DF20DA8C}"><Drive clsid="{935D1B74-9CB8-4e3c-9914-7DD559B7A417}" name="S:" status="S:" image="2" changed="2026-11-23 10:00:00" uid="{0B4E6C1A-1111-4C4B-9B1E-000000000001}"><Properties action="U" thisDrive="NOCHANGE" allDrives="NOCHANGE" userName="" path="\\\\srv-file01\\Compta" label="Partage Compta" persistent="1" useLetter="1" letter="S"/></Drive></Drives>\r\n' > "$W/Drives.xml"
printf '[General]\r\nVersion=65536\r\n' > "$W/GPT3.INI"
# Group Policy Preferences Registry items (GPO_Lecteurs, user part) in GPMC's format: NoDrives
# = 0x3FFFFFF (all drives hidden) as eight hex digits, ScreenSaveTimeOut as a string.
printf '<?xml version="1.0" encoding="utf-8"?>\r\n<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}"><Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="NoDrives" status="NoDrives" image="12" changed="2026-11-23 10:00:00" uid="{0B4E6C1A-2222-4C4B-9B1E-000000000002}"><Properties action="U" displayDecimal="0" default="0" hive="HKEY_CURRENT_USER" key="Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer" name="NoDrives" type="REG_DWORD" value="03ffffff"/></Registry><Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="ScreenSaveTimeOut" status="ScreenSaveTimeOut" image="7" changed="2026-11-23 10:00:00" uid="{0B4E6C1A-2222-4C4B-9B1E-000000000003}"><Properties action="U" displayDecimal="0" default="0" hive="HKEY_CURRENT_USER" key="Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop" name="ScreenSaveTimeOut" type="REG_SZ" value="600"/></Registry></RegistrySettings>\r\n' > "$W/Registry.xml"
smb() { in_ns smbclient "//$IP/sysvol" -U "Administrator%$PASS" -c "$1" >/dev/null; }
smb "cd \"tssr.lan\\Policies\\$G1\"; put \"$W/machine.pol\" Machine\\Registry.pol; put \"$W/user.pol\" User\\Registry.pol; put \"$W/GPT1.INI\" GPT.INI"
smb "cd \"tssr.lan\\Policies\\$G2\"; mkdir Machine\\Microsoft; mkdir \"Machine\\Microsoft\\Windows NT\"; mkdir \"Machine\\Microsoft\\Windows NT\\SecEdit\"; put \"$W/GptTmpl.inf\" \"Machine\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf\"; put \"$W/GPT2.INI\" GPT.INI"
for g in "$G3" "$G4"; do
  smb "cd \"tssr.lan\\Policies\\$g\"; mkdir User\\Preferences; mkdir User\\Preferences\\Drives; put \"$W/Drives.xml\" User\\Preferences\\Drives\\Drives.xml; put \"$W/GPT3.INI\" GPT.INI"
done
smb "cd \"tssr.lan\\Policies\\$G3\"; mkdir User\\Preferences\\Registry; put \"$W/Registry.xml\" User\\Preferences\\Registry\\Registry.xml"
in_ns ldapmodify "${LDAP[@]}" -ZZ -o tls_reqcert=never >/dev/null <<LDIF
dn: CN=$G1,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: modify
replace: versionNumber
versionNumber: 65537
-
replace: gPCMachineExtensionNames
gPCMachineExtensionNames: [{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}][{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]
-
replace: gPCUserExtensionNames
gPCUserExtensionNames: [{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]

dn: CN=$G2,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: modify
replace: versionNumber
versionNumber: 1
-
replace: gPCMachineExtensionNames
gPCMachineExtensionNames: [{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]
-
replace: flags
flags: 1

dn: CN=$G3,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: modify
replace: versionNumber
versionNumber: 65536
-
replace: gPCUserExtensionNames
gPCUserExtensionNames: [{00000000-0000-0000-0000-000000000000}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}][{5794DAFD-BE60-433F-88A2-1A31939AC01F}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}]

dn: CN=$G4,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: modify
replace: versionNumber
versionNumber: 65536
LDIF

# --- GPO security filtering and a WMI filter ------------------------------------------
# GPO_Compta_Securite filtered to GG_Compta as GPMC does it: Authenticated Users keeps Read
# only, GG_Compta gets Read + Apply Group Policy; GPO_Lecteurs denies Apply to PC-COMPTA01.
# The DACL is rewritten over LDAP (signed and sealed) with Samba's own bindings.
in_ns /usr/bin/python3 - "$IP" "$PASS" "$DIR/client-smb.conf" "$G1" "$G3" <<'PY'
import sys
import ldb
from samba import Ldb
from samba.credentials import Credentials
from samba.dcerpc import security
from samba.ndr import ndr_pack, ndr_unpack
from samba.param import LoadParm
ip, password, conf, g1, g3 = sys.argv[1:]
lp = LoadParm(); lp.load(conf)
creds = Credentials(); creds.guess(lp)
creds.set_username("Administrator"); creds.set_password(password); creds.set_domain("TSSR")
db = Ldb(url="ldap://" + ip, credentials=creds, lp=lp)
base = "DC=tssr,DC=lan"
def sid(filt):
    res = db.search(base=base, expression=filt, attrs=["objectSid"])
    return str(ndr_unpack(security.dom_sid, res[0]["objectSid"][0]))
domain = security.dom_sid(sid("(objectClass=domainDNS)"))
apply_gp = "edacfd8f-ffb3-11d1-b41d-00a0c968f939"
def rewrite(guid, edit):
    dn = "CN=%s,CN=Policies,CN=System,%s" % (guid, base)
    res = db.search(base=dn, scope=ldb.SCOPE_BASE, attrs=["nTSecurityDescriptor"], controls=["sd_flags:1:4"])
    sddl = ndr_unpack(security.descriptor, res[0]["nTSecurityDescriptor"][0]).as_sddl(domain)
    new = edit(sddl)
    assert new != sddl, sddl
    m = ldb.Message(); m.dn = ldb.Dn(db, dn)
    m["nTSecurityDescriptor"] = ldb.MessageElement(ndr_pack(security.descriptor.from_sddl(new, domain)), ldb.FLAG_MOD_REPLACE, "nTSecurityDescriptor")
    db.modify(m, controls=["sd_flags:1:4"])
grp = sid("(sAMAccountName=GG_Compta)")
pc = sid("(sAMAccountName=PC-COMPTA01$)")
rewrite(g1, lambda s: s.replace("(OA;CI;CR;%s;;AU)" % apply_gp, "(A;CI;RPLCLORC;;;%s)(OA;CI;CR;%s;;%s)" % (grp, apply_gp, grp)))
rewrite(g3, lambda s: s.replace("D:P", "D:P(OD;;CR;%s;;%s)" % (apply_gp, pc), 1))
PY
WMI='{6B1F3A3C-5D2E-4F10-9A7B-0C1D2E3F4A5B}'
WQL='SELECT * FROM Win32_OperatingSystem WHERE ProductType = 1'
in_ns ldapmodify "${LDAP[@]}" -ZZ -o tls_reqcert=never >/dev/null <<LDIF
dn: CN=$WMI,CN=SOM,CN=WMIPolicy,CN=System,DC=tssr,DC=lan
changetype: add
objectClass: msWMI-Som
msWMI-ID: $WMI
msWMI-Name: Postes clients uniquement
msWMI-Parm1: Windows client editions (ProductType 1)
msWMI-Parm2: 1;3;10;${#WQL};WQL;root\\CIMv2;$WQL;
msWMI-Author: Administrator@tssr.lan
showInAdvancedViewOnly: TRUE

dn: CN=$G2,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: modify
replace: gPCWQLFilter
gPCWQLFilter: [tssr.lan;$WMI;0]
LDIF

# --- Software installation (class store packages, [MS-GPSI] 2.2.2.4) --------------------
# As the Software Installation snap-in writes them: CN=Class Store (classStore, appSchemaVersion
# 1740 = 0x6CC) and CN=Packages under the GPO's CN=Machine or CN=User, one packageRegistration
# per package. 7-Zip assigned to computers in GPO_Informatique_Restrictions (packageFlags 0xC30 =
# Assigned + OrphanOnPolicyRemoval + UserInstall + 0x10), Google Chrome published to users in
# GPO_Lecteurs (0x1078 = Published + UninstallOnPolicyRemoval + OnDemandInstall + UserInstall +
# 0x10). Product codes and deployment ids are fixed (kept by the test's GUID normaliser); the .aas
# files are placeholders (their format is Windows Installer's, not reproducible here).
P7='{5E7C0A11-0000-4000-8000-0000000007A1}'; PC='{5E7C0A11-0000-4000-8000-00000000C4E0}'
b64guid() { /usr/bin/python3 -c 'import base64,sys,uuid; print(base64.b64encode(uuid.UUID(sys.argv[1]).bytes_le).decode())' "$1"; }
PROD7=$(b64guid '{23170F69-40C1-2702-2301-000001000000}'); PRODC=$(b64guid '{5E7C0A11-0000-4000-8000-0000C4120E00}')
classstore() { # $1 = GPO GUID, $2 = Machine|User
  cat <<LDIF
dn: CN=Class Store,CN=$2,CN=$1,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: add
objectClass: classStore
appSchemaVersion: 1740

dn: CN=Packages,CN=Class Store,CN=$2,CN=$1,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: add
objectClass: classStore

LDIF
}
{ classstore "$G2" Machine; classstore "$G3" User; cat <<LDIF
dn: CN=$P7,CN=Packages,CN=Class Store,CN=Machine,CN=$G2,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: add
objectClass: packageRegistration
packageName: 7-Zip 23.01 (x64 edition)
packageFlags: 3120
packageType: 5
productCode:: $PROD7
msiFileList: 0:\\\\srv-file01\\Deploiement\\7z2301-x64.msi
msiScriptPath: \\\\tssr.lan\\SysVol\\tssr.lan\\Policies\\$G2\\Machine\\Applications\\$P7.aas
msiScriptName: A
versionNumberHi: 23
versionNumberLo: 1
localeID: 0
machineArchitecture: 9
installUiLevel: 5

dn: CN=$PC,CN=Packages,CN=Class Store,CN=User,CN=$G3,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: add
objectClass: packageRegistration
packageName: Google Chrome
packageFlags: 4216
packageType: 5
productCode:: $PRODC
msiFileList: 0:\\\\srv-file01\\Deploiement\\googlechromestandaloneenterprise64.msi
msiScriptPath: \\\\tssr.lan\\SysVol\\tssr.lan\\Policies\\$G3\\User\\Applications\\$PC.aas
msiScriptName: P
versionNumberHi: 120
versionNumberLo: 0
localeID: 0
machineArchitecture: 9
installUiLevel: 5

dn: CN=$G2,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: modify
replace: gPCMachineExtensionNames
gPCMachineExtensionNames: [{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}][{C6DC5466-785A-11D2-84D0-00C04FB169F7}{942A8E4F-A261-11D1-A760-00C04FB9603F}]

dn: CN=$G3,CN=Policies,CN=System,DC=tssr,DC=lan
changetype: modify
replace: gPCUserExtensionNames
gPCUserExtensionNames: [{00000000-0000-0000-0000-000000000000}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}][{5794DAFD-BE60-433F-88A2-1A31939AC01F}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}][{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}][{C6DC5466-785A-11D2-84D0-00C04FB169F7}{BACF5C8A-A3C7-11D1-A760-00C04FB9603F}]
LDIF
} | in_ns ldapmodify "${LDAP[@]}" -ZZ -o tls_reqcert=never >/dev/null
printf 'constat placeholder advertise script\r\n' > "$W/placeholder.aas"
smb "cd \"tssr.lan\\Policies\\$G2\"; mkdir Machine\\Applications; put \"$W/placeholder.aas\" \"Machine\\Applications\\$P7.aas\""
smb "cd \"tssr.lan\\Policies\\$G3\"; mkdir User\\Applications; put \"$W/placeholder.aas\" \"User\\Applications\\$PC.aas\""

# --- DNS records ----------------------------------------------------------------------
dns() { in_ns samba-tool dns "$@" -U "Administrator%$PASS" >/dev/null; }
dns add $IP tssr.lan srv-wsus A 10.204.0.20
dns add $IP tssr.lan srv-wsus AAAA fd00:204::20
dns add $IP tssr.lan intranet CNAME srv-wsus.tssr.lan
dns add $IP tssr.lan @ MX "mail.tssr.lan 10"
dns add $IP tssr.lan @ TXT '"v=spf1 mx -all"'
dns add $IP tssr.lan _http._tcp SRV "srv-wsus.tssr.lan 8530 0 100"
dns zonecreate $IP 0.204.10.in-addr.arpa
dns add $IP 0.204.10.in-addr.arpa 20 PTR srv-wsus.tssr.lan

# --- stop and archive -----------------------------------------------------------------
cleanup
UNSHARE_PID=
trap - EXIT
rm -rf "$W" "$DIR/log"/* "$DIR/run"/*
tar --warning=no-file-ignored --xattrs --xattrs-include='*' --acls -C "$(dirname "$DIR")" -cf - "$(basename "$DIR")" | zstd -q -3 -o "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
rm -rf "$DIR" "$DIR.provision.log"
echo "built $OUT from $DIR (GPOs: $G1 $G2 $G3 $G4)"
