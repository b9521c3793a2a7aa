# The checks of the side-by-side benchmark (tests/benches/anchors.rs) for pytest-testinfra,
# written as a testinfra user would: the same 10 checks as pack.yaml and anchors.sh.
import re

import pytest


@pytest.mark.parametrize("name", ["jdupont", "mmartin"])
def test_user(host, name):
    user = host.user(name)
    assert user.exists
    assert user.shell == "/bin/bash"
    assert user.home == f"/home/{name}"
    assert "informatique" in user.groups


def test_group(host):
    line = host.check_output("getent group informatique")
    assert sorted(line.split(":")[3].split(",")) == ["jdupont", "mmartin"]


def test_sudo(host):
    assert re.search(r"\(ALL( : ALL)?\) ALL", host.check_output("sudo -l -U jdupont"))
    assert "not allowed" in host.run("sudo -l -U mmartin").stdout


def test_shared_dir(host):
    d = host.file("/home/informatique")
    assert d.is_directory
    assert d.user == "root" and d.group == "informatique"
    assert d.mode == 0o2770


def test_shadow(host):
    f = host.file("/etc/shadow")
    assert f.user == "root" and f.mode == 0o640


def test_ssh_package(host):
    assert host.package("openssh-server").is_installed


def test_ssh_root(host):
    assert "permitrootlogin no" in host.check_output("sshd -T").splitlines()


def test_ssh_port(host):
    assert re.search(r":22\s", host.check_output("ss -Hltn"))


def test_no_telnet(host):
    assert not host.package("telnetd").is_installed
    assert not re.search(r":23\s", host.check_output("ss -Hltn"))
