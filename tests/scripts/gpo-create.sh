# Sourced (sh or bash): gpo_create NAME [samba-tool options…] creates the GPO NAME and prints
# its GUID ({…}) on stdout. Every script of the AD tests creates GPOs through it.
#
# `samba-tool gpo create` once failed in CI with nothing on stderr and no GUID printed, so
# each attempt's output is kept: a failed attempt is shown on stderr (exit status and
# output) and retried, three attempts at most, 2 s apart. The creation is one LDAP
# transaction (a failure leaves no GPO object), but should an attempt have created the GPO
# without saying so, the next one is refused as "already existing": the GUID is then read
# back with `gpo listall` (on the first attempt, "already existing" fails at once: the
# name was taken before). After the last attempt, the function fails (status 1) naming the
# GPO. SAMBA_TOOL is the command that runs samba-tool (default `samba-tool`; a build script
# may set it to `in_ns samba-tool`).
gpo_create() {
  gpo_name=$1
  shift
  gpo_try=1
  while [ "$gpo_try" -le 3 ]; do
    gpo_status=0
    gpo_out=$(${SAMBA_TOOL:-samba-tool} gpo create "$gpo_name" "$@" 2>&1) || gpo_status=$?
    gpo_guid=$(printf '%s\n' "$gpo_out" | grep -o '{[0-9A-Fa-f-]*}' | head -n 1) || true
    if [ "$gpo_status" -eq 0 ] && [ -n "$gpo_guid" ]; then
      printf '%s\n' "$gpo_guid"
      return 0
    fi
    echo "samba-tool gpo create $gpo_name (attempt $gpo_try of 3, exit status $gpo_status): $gpo_out" >&2
    case $gpo_out in
      *"already existing"*)
        if [ "$gpo_try" -eq 1 ]; then
          echo "samba-tool gpo create $gpo_name: the GPO existed before this script created it" >&2
          return 1
        fi
        gpo_guid=$(${SAMBA_TOOL:-samba-tool} gpo listall "$@" 2>&1 \
          | awk -v n="$gpo_name" '/^GPO/{g=$3} $0 ~ "display name : "n"$" {print g}' \
          | head -n 1) || true
        if [ -n "$gpo_guid" ]; then
          printf '%s\n' "$gpo_guid"
          return 0
        fi
        ;;
    esac
    gpo_try=$((gpo_try + 1))
    [ "$gpo_try" -gt 3 ] || sleep 2
  done
  echo "samba-tool gpo create $gpo_name failed 3 times (output above)" >&2
  return 1
}
