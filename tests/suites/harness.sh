#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The QEMU harness itself: extra devices, helper processes on allocated
# ports, every process stopped by pid, and a hung guest stopped at its
# timeout. Runs on the stock kernel.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

run=build/qemu/harness
qemu_init "$run"

port=$(qemu_alloc_port)
port2=$(qemu_alloc_port)
if [ -n "$port" ] && [ "$port" != "$port2" ]; then
	echo "ok harness: two allocations give two ports ($port, $port2)"
else
	echo "not ok harness: two allocations give two ports - got '$port' and '$port2'"
fi

helper=$(qemu_start_helper sink python3 tests/harness/sink.py "$port")
for _ in $(seq 50); do
	grep -q listening "$run/sink.log" 2>/dev/null && break
	sleep 0.1
done

truncate -s 16M "$run/disk.img"
qemu/initramfs.sh "$run/initrd" qemu/guest/harness.sh >&2
qemu_boot "$stock_kernel" "$run/initrd" "$run/console.log" 180 \
	-chardev "socket,id=helper0,host=127.0.0.1,port=$port" \
	-device isa-serial,chardev=helper0 \
	-drive "file=$run/disk.img,if=none,id=disk0,format=raw" \
	-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1 \
	-device nvme,bus=rp0,serial=harness0,drive=disk0
rc=$?
cat "$run/console.log" "$run/console.log.qemu" >&2
qemu_results "$run/console.log" | sed 's/^\(ok\|not ok\|skip\) /\1 harness: /'
[ "$rc" = 0 ] || echo "not ok harness: guest job - ended with status $rc"

if grep -q "hello from the guest" "$run/sink.log"; then
	echo "ok harness: helper received the guest's data on its allocated port"
else
	echo "not ok harness: helper received the guest's data on its allocated port - sink log: $(head -c 200 "$run/sink.log")"
fi
qemu_stop_all
if kill -0 "$helper" 2>/dev/null; then
	echo "not ok harness: helper stopped by pid - pid $helper still runs"
else
	echo "ok harness: helper stopped by pid"
fi

# A guest that never finishes: stopped at the timeout, its QEMU gone.
qemu_init "$run/hang"
qemu/initramfs.sh "$run/hang/initrd" qemu/guest/hang.sh >&2
start=$(date +%s)
qemu_boot "$stock_kernel" "$run/hang/initrd" "$run/hang/console.log" 20
rc=$?
took=$(($(date +%s) - start))
qemu_pid=$(awk '$2 == "qemu" { print $1 }' "$run/hang/pids" | tail -n1)
if [ "$rc" = 124 ] && [ -n "$qemu_pid" ] && ! kill -0 "$qemu_pid" 2>/dev/null && [ "$took" -lt 40 ]; then
	echo "ok harness: hung guest stopped at its timeout (${took}s), QEMU pid $qemu_pid gone"
else
	echo "not ok harness: hung guest stopped at its timeout - status $rc after ${took}s, pid '$qemu_pid'"
fi

# A kernel message that lands in the middle of a result line on the
# console, as printk and the job's writes interleave: the result is read
# whole, and the kernel's lines are not read as results; a failure that
# quotes the kernel log in its reason stays as it is.
printf '%s\r\n' 'PCI_CMA_RESULT: ok before' \
	'PCI_CMA_RESULT: [    5.195983] PCI_CMA_JUDGING: kernel reports from here on fail the job' \
	'ok split at its start' 'PCI_CMA_RESULT: ok split in[    6.000001] a kernel line' \
	'[    6.000002] and another' ' its middle' \
	'PCI_CMA_RESULT: not ok kernel report - [    7.000001] Call Trace: [    7.000002] dump_stack' \
	'PCI_CMA_RESULT: ok after' >"$run/split.log"
got=$(qemu_guest_results "$run/split.log" | tr '\n' '|')
want='ok before|ok split at its start|ok split in its middle|not ok kernel report - [    7.000001] Call Trace: [    7.000002] dump_stack|ok after|'
if [ "$got" = "$want" ]; then
	echo "ok harness: result lines split by kernel messages on the console are read whole"
else
	echo "not ok harness: result lines split by kernel messages on the console are read whole - got '$got'"
fi
