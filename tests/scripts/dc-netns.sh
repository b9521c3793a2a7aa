# Sourced by the DC build scripts (samba-dc-build.sh, exam-dc-build.sh): the network
# namespace NS where the DC is provisioned, with one veth end at $IP and no default route,
# its resolv.conf, `in_ns`, and the cleanup (samba's unshare tree, the namespace) on exit.
# Expects NS and IP to be set; sets UNSHARE_PID (the caller fills it when it starts samba).
UNSHARE_PID=
cleanup() {
  if [ -n "$UNSHARE_PID" ] && [ -e "/proc/$UNSHARE_PID" ]; then
    C=$(ps --ppid "$UNSHARE_PID" -o pid= | tr -d ' ' || true)
    [ -n "$C" ] && kill -TERM "$C" 2>/dev/null || true
    for _ in $(seq 50); do [ -e "/proc/$UNSHARE_PID" ] || break; sleep 0.2; done
    kill -KILL "$UNSHARE_PID" 2>/dev/null || true
  fi
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "/etc/netns/$NS"
}
trap cleanup EXIT
in_ns() { ip netns exec "$NS" "$@"; }

ip netns add "$NS"
ip -n "$NS" link add vn-dc type veth peer name vn-peer
ip -n "$NS" link set vn-peer up
ip -n "$NS" addr add $IP/24 dev vn-dc
ip -n "$NS" link set vn-dc up
ip -n "$NS" link set lo up
mkdir -p "/etc/netns/$NS" && printf 'nameserver %s\nsearch tssr.lan\n' $IP > "/etc/netns/$NS/resolv.conf"
