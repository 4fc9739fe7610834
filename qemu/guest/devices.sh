#!/bin/sh
# Guest job: every device whose DOE mailbox offers CMA answers SPDM
# through it, end to end to its emulated responder on the host.
. /test/lib.sh
exchange() { /bin/doe-exchange "$1" "$2" 2>&1; }
found=0
for d in /sys/bus/pci/devices/*; do
	# doe_features is a directory with one file per protocol, VVVV:TT.
	[ -e "$d/doe_features/0001:01" ] || continue
	found=$((found + 1))
	dev=$(basename "$d")
	result ok "$dev: DOE features $(ls "$d/doe_features" | tr '\n' ' ')"
	version=$(exchange "$d" 10840000)
	case $version in
	1004*) result ok "$dev: VERSION over DOE ($version)" ;;
	*) result "not ok" "$dev: VERSION over DOE" "$version" ;;
	esac
	caps=$(exchange "$d" 12e10000000c00000600000000100000001000000)
	case $caps in
	1261*) result ok "$dev: CAPABILITIES at 1.2" ;;
	*) result "not ok" "$dev: CAPABILITIES at 1.2" "$caps" ;;
	esac
	algorithms=$(exchange "$d" 12e30000200001029000000007000000000000000000000000000000000000000)
	case $algorithms in
	1263*) result ok "$dev: ALGORITHMS" ;;
	*) result "not ok" "$dev: ALGORITHMS" "$algorithms" ;;
	esac
	digests=$(exchange "$d" 12810000)
	case $digests in
	1201*) result ok "$dev: DIGESTS" ;;
	*) result "not ok" "$dev: DIGESTS" "$digests" ;;
	esac
	# The TSM-capable endpoint: DEVCAP.TEE, and an FLR it survives.
	devcap=$(od -An -tx4 -j 68 -N 4 "$d/config" | tr -d ' ')
	if [ $((0x$devcap & 0x40000000)) -ne 0 ]; then
		result ok "$dev: DEVCAP.TEE set (devcap 0x$devcap)"
		method=$(cat "$d/reset_method" 2>/dev/null)
		check "$dev: kernel resets it by FLR (reset_method: $method)" sh -c "echo '$method' | grep -q flr"
		check "$dev: FLR through sysfs reset" sh -c "echo 1 >$d/reset"
		case $(exchange "$d" 10840000) in
		1004*) result ok "$dev: VERSION over DOE after FLR" ;;
		*) result "not ok" "$dev: VERSION over DOE after FLR" ;;
		esac
	fi
done
echo "PCI_CMA_DEVICES_FOUND=$found"
exit "$failures"
