#!/bin/bash
# Provision the START state of the exam subject's DC (tssr-2023-msp-titre, see
# tests/src/exam_lab.rs) and archive it: domain tssr.lan, OU Informatique with user dlambert
# (Denis Lambert) disabled, and a lab CA whose server certificate names the DC's lab
# addresses (so that `tls: verify` with `ca_file` works by IP).
#   usage: exam-dc-build.sh DIR TARBALL NETNS
# Same contract as samba-dc-build.sh: NETNS is created here and deleted on exit, samba
# listens only inside it, every client command runs inside it.
set -euo pipefail
DIR=$1; OUT=$2; NS=$3
IP=10.205.0.10
# Addresses the DC gets in the exam lab (cand-a, cand-b): in the certificate.
LAB_IPS=(10.205.1.10 10.205.2.10)
PASS='Passw0rd!TSSR'
A=(-H "ldap://$IP" -U "Administrator%$PASS")
. "$(cd "$(dirname "$0")" && pwd)/dc-netns.sh"

rm -rf "$DIR"
in_ns samba-tool domain provision --targetdir="$DIR" \
  --realm=TSSR.LAN --domain=TSSR --server-role=dc --dns-backend=SAMBA_INTERNAL \
  --adminpass="$PASS" --host-name=srv-ad --host-ip=$IP --use-rfc2307 \
  --option="interfaces=lo vn-dc" --option="bind interfaces only=yes" \
  --option="dns forwarder=127.0.0.1" > "$DIR.provision.log" 2>&1

# Lab CA + server certificate for SRV-AD.tssr.lan and the lab addresses.
T=$DIR/private/lab-tls; mkdir -p "$T"
SAN="DNS:srv-ad.tssr.lan,DNS:tssr.lan"; for a in "${LAB_IPS[@]}" $IP; do SAN="$SAN,IP:$a"; done
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/O=constat lab/CN=constat lab CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$T/ca-key.pem" -out "$T/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=srv-ad.tssr.lan" -keyout "$T/key.pem" -out "$T/req.pem" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' "$SAN" > "$T/ext.cnf"
openssl x509 -req -in "$T/req.pem" -CA "$T/ca.pem" -CAkey "$T/ca-key.pem" -CAcreateserial -days 3650 \
  -extfile "$T/ext.cnf" -out "$T/cert.pem" 2>/dev/null
rm -f "$T/ca-key.pem" "$T/req.pem" "$T/ext.cnf" "$T/ca.srl"
chmod 600 "$T/key.pem"

sed -i '/^\[global\]/a\	log file = '"$DIR"'/log/log.%m\n\tpid directory = '"$DIR"'/run\n\tntp signd socket directory = '"$DIR"'/run/ntp_signd\n\ttls enabled = yes\n\ttls keyfile = '"$T"'/key.pem\n\ttls certfile = '"$T"'/cert.pem\n\ttls cafile = '"$T"'/ca.pem' "$DIR/etc/smb.conf"
mkdir -p "$DIR/cache" "$DIR/run" "$DIR/log"
printf '[global]\n\tworkgroup = TSSR\n\trealm = TSSR.LAN\n\tnetbios name = GRADER\n' > "$DIR/client-smb.conf"

ip netns exec "$NS" unshare --mount --propagation private --pid --fork --kill-child=SIGTERM --mount-proc \
  sh -c "mount -t tmpfs tmpfs /run/samba && exec samba -s $DIR/etc/smb.conf -F --debug-stdout" \
  > "$DIR/log/samba-fg.log" 2>&1 < /dev/null &
UNSHARE_PID=$!
for _ in $(seq 300); do
  LDAPTLS_CACERT="$T/ca.pem" in_ns ldapsearch -x -LLL -H ldaps://$IP -D Administrator@tssr.lan -w "$PASS" -s base -b '' dnsHostName >/dev/null 2>&1 && break
  sleep 0.1
done

st() { in_ns samba-tool "$@" "${A[@]}" >/dev/null; }
# --- the start state of the subject ----------------------------------------------------
st ou create "OU=Informatique,DC=tssr,DC=lan"
st user create dlambert 'Lambert2024!' --given-name=Denis --surname=Lambert --userou="OU=Informatique"
st user disable dlambert

# --- stop and archive -----------------------------------------------------------------
cleanup
UNSHARE_PID=
trap - EXIT
rm -rf "$DIR/log"/* "$DIR/run"/*
tar --warning=no-file-ignored --xattrs --xattrs-include='*' --acls -C "$(dirname "$DIR")" -cf - "$(basename "$DIR")" | zstd -q -3 -o "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
rm -rf "$DIR" "$DIR.provision.log"
echo "built $OUT from $DIR"
