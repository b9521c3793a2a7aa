# Host state of the side-by-side benchmark (tests/benches/anchors.rs), run as root inside
# each simulated host's namespaces before its sshd starts: /etc and /home are the host's
# overlays, so nothing here reaches the machine. The state passes every check of the three
# tools (pack.yaml, test_anchors.py, anchors.sh).
groupadd informatique
useradd -m -s /bin/bash -G informatique jdupont
useradd -m -s /bin/bash -G informatique mmartin
echo 'jdupont ALL=(ALL) ALL' > /etc/sudoers.d/informatique
chmod 440 /etc/sudoers.d/informatique
mkdir -p /home/informatique
chown root:informatique /home/informatique
chmod 2770 /home/informatique
mkdir -p /etc/ssh/sshd_config.d
echo 'PermitRootLogin no' > /etc/ssh/sshd_config.d/00-bench.conf
# Written a minute before sshd (re)starts, as when an administrator edits then restarts:
# constat's `sshd` kind compares the file's time with the daemon's start.
touch -d '-1 minute' /etc/ssh/sshd_config.d/00-bench.conf
