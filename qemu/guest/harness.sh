#!/bin/sh
# Guest job of the harness test: sees the attached devices and talks to the
# host helper through the second serial port.
. /test/lib.sh
nvme=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/class")" = 0x010802 ] && nvme=$d
done
check "attached nvme device is on the PCI bus" test -n "$nvme"
if [ -e /dev/ttyS1 ]; then
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	echo "hello from the guest" >/dev/ttyS1
	result ok "guest wrote to the helper's serial port"
else
	result "not ok" "guest wrote to the helper's serial port" "no /dev/ttyS1"
fi
exit "$failures"
