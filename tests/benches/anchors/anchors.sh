#!/bin/sh
# The checks of the side-by-side benchmark (tests/benches/anchors.rs) as a plain POSIX sh
# script: the same 10 checks as pack.yaml and test_anchors.py. Prints one line per
# failed assertion and `passed N failed M`; exits 1 when any failed.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
pass=0 fail=0
check() { if eval "$2" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
for u in jdupont mmartin; do
  check "user $u" "getent passwd $u | awk -F: '\$6 == \"/home/$u\" && \$7 == \"/bin/bash\"' | grep -q . && id -nG $u | grep -qw informatique"
done
check group "[ \"\$(getent group informatique | cut -d: -f4 | tr , '\n' | sort | tr '\n' ' ')\" = 'jdupont mmartin ' ]"
check sudo "sudo -l -U jdupont | grep -Eq '\\(ALL( : ALL)?\\) ALL' && sudo -l -U mmartin | grep -q 'not allowed'"
check shared-dir "[ \"\$(stat -c '%F %U %G %a' /home/informatique)\" = 'directory root informatique 2770' ]"
check shadow "[ \"\$(stat -c '%U %a' /etc/shadow)\" = 'root 640' ]"
check ssh-package "dpkg-query -W -f='\${Status}' openssh-server | grep -q 'ok installed'"
check ssh-root "sshd -T | grep -qx 'permitrootlogin no'"
check ssh-port "ss -Hltn | grep -Eq ':22[[:space:]]'"
check no-telnet "! dpkg-query -W -f='\${Status}' telnetd 2>/dev/null | grep -q 'ok installed' && ! ss -Hltn | grep -Eq ':23[[:space:]]'"
echo "passed $pass failed $fail"
[ "$fail" -eq 0 ]
