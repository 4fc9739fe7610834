#!/bin/sh
# Guest job: every device whose DOE mailbox offers CMA answers SPDM
# through it, end to end to its emulated responder on the host, and the
# kernel reports no warning about any of it.
. /test/lib.sh
exchange() { /bin/doe-exchange "$1" "$2" 2>&1; }

# expect DEVICE NAME REQUEST PREFIX: one exchange whose response must start
# with PREFIX (SPDM version and response code, in hex).
expect() {
	local response
	response=$(exchange "$1" "$3")
	case $response in
	"$4"*) result ok "$(basename "$1"): $2" ;;
	*) result "not ok" "$(basename "$1"): $2" "$response" ;;
	esac
}
found=0
for d in /sys/bus/pci/devices/*; do
	# doe_features is a directory with one file per protocol, VVVV:TT.
	[ -e "$d/doe_features/0001:01" ] || continue
	found=$((found + 1))
	dev=$(basename "$d")
	result ok "$dev: DOE features $(ls "$d/doe_features" | tr '\n' ' ')"
	expect "$d" "VERSION over DOE" 10840000 1004
	expect "$d" "CAPABILITIES at 1.2" 12e10000000c00000600000000100000001000000 1261
	expect "$d" "ALGORITHMS" 12e30000200001029000000007000000000000000000000000000000000000000 1263
	expect "$d" "DIGESTS" 12810000 1201
	# The TSM-capable endpoint: DEVCAP.TEE, and an FLR it survives.
	devcap=$(od -An -tx4 -j 68 -N 4 "$d/config" | tr -d ' ')
	if [ $((0x$devcap & 0x40000000)) -ne 0 ]; then
		result ok "$dev: DEVCAP.TEE set (devcap 0x$devcap)"
		method=$(cat "$d/reset_method" 2>/dev/null)
		check "$dev: kernel resets it by FLR (reset_method: $method)" sh -c "echo '$method' | grep -q flr"
		check "$dev: FLR through sysfs reset" sh -c "echo 1 >$d/reset"
		expect "$d" "VERSION over DOE after FLR" 10840000 1004
	fi
done
echo "PCI_CMA_DEVICES_FOUND=$found"
# No module here: the whole log since boot is judged, as enumeration and
# the DOE feature discovery at boot are part of what these devices exercise.
check_kernel_log_clean
exit "$failures"
