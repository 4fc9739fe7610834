#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the two packages, checks what an operator gets, and purges them,
# checking that nothing of theirs stays behind. Prints one result line per
# check. It changes the root it runs in: run it only in a throwaway one
# (tests/packages/overlay-root.sh).
#
# Usage: tests/packages/installed.sh DEB_DIR KERNEL_RELEASE
set -uo pipefail
debs=$1
kver=$2
unit=/usr/lib/systemd/system/cmactl-agent.service
conffiles=(/etc/pci-cma/policy.conf /etc/pci-cma/anchors.d/README /etc/modprobe.d/pci-cma-tsm.conf)

result() {
	local name=$1 ok=$2 why=${3:-}
	if [ "$ok" = 0 ]; then echo "ok packages $name"; else echo "not ok packages $name - $why"; fi
}

# Every path of the root's own file system, so that what the packages leave
# behind after their purge is found whatever it is. Files of dpkg's own
# bookkeeping and logs are expected to change, and /run is a tmpfs on a
# running system (systemd-analyze leaves a marker there).
# DKMS's machine owner key (/var/lib/dkms/mok.*), made at its first
# signed build, is DKMS's: every DKMS module is signed with it and the
# operator may have enrolled it in the firmware, so it stays.
snapshot() {
	find / -xdev \( -path /var/lib/dpkg -o -path /var/log -o -path /var/cache \
		-o -path '/var/lib/dkms/mok.*' -o -path /run \) -prune -o -print | sort
}
snapshot >/tmp/before

dpkg -i "$debs"/pci-cma-tsm-dkms_*_all.deb "$debs"/cmactl_*.deb >&2
result install $? "dpkg -i failed (see the suite log)"

# dkms builds for every kernel whose headers are installed: the stock one.
ko=$(find "/lib/modules/$kver" -name 'pci_cma_tsm.ko*' 2>/dev/null | head -n1)
status=$(dkms status pci-cma-tsm 2>&1)
echo "dkms status: $status" >&2
case $status in
*"$kver"*installed*) result "dkms status installed for $kver" 0 ;;
*) result "dkms status installed for $kver" 1 "dkms status says \"$status\"" ;;
esac
if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$kver "; then
	result "module built for $kver ($ko)" 0
else
	result "module built for $kver" 1 "found \"$ko\""
fi

# dkms.conf's build command runs the project's module checks too.
[ -n "$(find /var/lib/dkms/pci-cma-tsm -name make.log -exec grep -l 'CHECK ' {} + 2>/dev/null)" ]
result "dkms build ran the module checks" $? "no CHECK line in make.log"

# Each parameter the modprobe.d snippet sets is one the module has, and
# modprobe reads the snippet.
bad=
parms=$(modinfo -F parm "$ko" 2>/dev/null)
for p in $(sed -n 's/^options pci_cma_tsm //p' /etc/modprobe.d/pci-cma-tsm.conf); do
	grep -q "^${p%%=*}:" <<<"$parms" || bad="$bad ${p%%=*}"
done
[ -z "$bad" ] && grep -q '^options pci_cma_tsm gate=' <<<"$(modprobe -S "$kver" --showconfig 2>/dev/null)"
result "modprobe.d options are the module's parameters" $? "unknown:${bad:- none; modprobe does not show the options}"

listed=$(dpkg-query -W -f='${Conffiles}\n' cmactl)
missing=
for f in "${conffiles[@]}"; do
	{ grep -q "^ $f " <<<"$listed" && [ -f "$f" ]; } || missing="$missing $f"
done
[ -z "$missing" ]
result "conffiles installed" $? "not a conffile or missing:$missing"

# The default configuration is one the agent takes: with it, `--once`
# gets as far as the kernel (exit 3, no module here) instead of refusing
# the configuration (exit 2).
cmactl agent --once >&2 2>&1
rc=$?
[ "$rc" = 3 ]
result "default configuration accepted by cmactl agent" $? "exit $rc"

# --man=no: the build root leaves man pages out (dpkg path-exclude), so the
# unit's Documentation= cannot be opened here; the suite checks that the
# package holds the page.
[ -f "$unit" ] && systemd-analyze verify --man=no "$unit" >&2 2>&1
result "unit installed and systemd-analyze verify passes" $? "see the suite log"

# The unit's sandbox, as systemd rates it: 1.9 ("OK") as written; a
# setting dropped by mistake raises it past 2.0.
systemd-analyze security --offline=yes --threshold=20 "$unit" >&2 2>&1
result "unit sandbox exposure at most 2.0" $? "see systemd-analyze security in the suite log"

# Enabling is the operator's step (debian/rules).
! find /etc/systemd/system -name cmactl-agent.service 2>/dev/null | grep -q .
result "unit not enabled by the installation" $? "found in /etc/systemd/system"

dpkg --purge cmactl pci-cma-tsm-dkms >&2
result purge $? "dpkg --purge failed (see the suite log)"

status=$(dkms status 2>&1)
[ -z "$status" ]
result "dkms status empty after purge" $? "\"$status\""

snapshot >/tmp/after
left=$(comm -13 /tmp/before /tmp/after | tr '\n' ' ')
[ -z "$left" ]
result "purge leaves nothing behind" $? "left: $left"
