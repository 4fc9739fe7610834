# SPDX-License-Identifier: GPL-2.0
# The QEMU harness (sourced): boots a kernel with an initramfs under a
# timeout, attaches devices, runs helper processes, and stops every process
# it started by pid. Used inside the build root.

QEMU=${QEMU:-qemu-system-x86_64}
qemu_run_dir=
qemu_pids_file=

# qemu_init RUN_DIR: where logs, pid lists and sockets of this run live.
qemu_init() {
	qemu_run_dir=$1
	mkdir -p "$qemu_run_dir"
	qemu_pids_file=$qemu_run_dir/pids
	: >"$qemu_pids_file"
	trap qemu_stop_all EXIT
}

# qemu_track PID NAME: remember a process to stop at the end.
qemu_track() {
	echo "$1 $2" >>"$qemu_pids_file"
}

# qemu_stop PID: TERM, then KILL if it lingers; never by name.
qemu_stop() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}

qemu_stop_all() {
	local pid name
	[ -n "$qemu_pids_file" ] && [ -f "$qemu_pids_file" ] || return 0
	while read -r pid name; do
		qemu_stop "$pid"
	done <"$qemu_pids_file"
	: >"$qemu_pids_file"
}

# qemu_start_helper NAME COMMAND...: starts a helper (an emulated device's
# server, say) in the background with its output in RUN_DIR/NAME.log.
qemu_start_helper() {
	local name=$1
	shift
	"$@" >"$qemu_run_dir/$name.log" 2>&1 &
	qemu_track $! "$name"
	echo $!
}

# qemu_start_responder NAME [RESPONDER ARGS...]: starts an emulated SPDM
# device (build/host/spdm-responder) that picks its own free port, so no
# two can collide; prints the port once it listens. Its exchange log is
# RUN_DIR/NAME.exchange.log, its control socket RUN_DIR/NAME.control.
qemu_start_responder() {
	local name=$1 port_file i
	shift
	port_file=$qemu_run_dir/$name.port
	rm -f "$port_file"
	qemu_start_helper "$name" build/host/spdm-responder --pki build/host/pki --port 0 \
		--port-file "$port_file" --control "$qemu_run_dir/$name.control" \
		--log "$qemu_run_dir/$name.exchange.log" "$@" >/dev/null
	for i in $(seq 100); do
		[ -s "$port_file" ] && { cat "$port_file"; return 0; }
		sleep 0.05
	done
	echo "qemu: responder $name did not start (see $qemu_run_dir/$name.log)" >&2
	return 1
}

# qemu_nvme_cma_args INDEX PORT: QEMU options for an nvme function behind
# its own root port whose DOE mailbox talks to the responder on PORT.
qemu_nvme_cma_args() {
	local i=$1 port=$2
	echo "-device pcie-root-port,id=cma_rp$i,bus=pcie.0,chassis=$((10 + i)),slot=$((10 + i))"
	echo "-device nvme,bus=cma_rp$i,serial=cma$i,spdm_port=$port"
}

# qemu_start_vfio_device NAME [DEVICE ARGS...]: starts an emulated TSM-capable
# endpoint (build/host/spdm-vfio-device) on RUN_DIR/NAME.sock and waits
# until it listens: QEMU connects once, at realize, and does not retry.
qemu_start_vfio_device() {
	local name=$1 i
	shift
	rm -f "$qemu_run_dir/$name.sock"
	qemu_start_helper "$name" build/host/spdm-vfio-device --pki build/host/pki \
		--socket "$qemu_run_dir/$name.sock" --control "$qemu_run_dir/$name.control" \
		--log "$qemu_run_dir/$name.exchange.log" "$@" >/dev/null
	for i in $(seq 100); do
		grep -q '^listening' "$qemu_run_dir/$name.log" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "qemu: vfio-user device $name did not start (see $qemu_run_dir/$name.log)" >&2
	return 1
}

# qemu_vfio_device_args INDEX SOCKET [FUNCTION1_SOCKET]: QEMU options
# attaching a vfio-user device behind its own root port; with a second
# socket, a multi-function device whose function 1 is served there.
qemu_vfio_device_args() {
	local i=$1 socket=$2 fn1=${3:-}
	echo "-device pcie-root-port,id=tee_rp$i,bus=pcie.0,chassis=$((30 + i)),slot=$((30 + i))"
	if [ -z "$fn1" ]; then
		echo "-device {\"driver\":\"vfio-user-pci\",\"bus\":\"tee_rp$i\",\"socket\":{\"type\":\"unix\",\"path\":\"$socket\"}}"
		return
	fi
	echo "-device {\"driver\":\"vfio-user-pci\",\"bus\":\"tee_rp$i\",\"addr\":\"0.0\",\"multifunction\":true,\"socket\":{\"type\":\"unix\",\"path\":\"$socket\"}}"
	echo "-device {\"driver\":\"vfio-user-pci\",\"bus\":\"tee_rp$i\",\"addr\":\"0.1\",\"socket\":{\"type\":\"unix\",\"path\":\"$fn1\"}}"
}

# qemu_start_swtpm NAME: starts a software TPM 2.0 (swtpm) for the guest,
# with its state in RUN_DIR/NAME.state and its control channel on
# RUN_DIR/NAME.sock, and waits until it listens: QEMU connects once, at
# start. A fresh state each run: a new TPM, its PCRs reset at the guest's
# power-on, as a real one at boot.
qemu_start_swtpm() {
	local name=$1 i
	rm -rf "$qemu_run_dir/$name.state" "$qemu_run_dir/$name.sock"
	mkdir -p "$qemu_run_dir/$name.state"
	qemu_start_helper "$name" swtpm socket --tpm2 --tpmstate "dir=$qemu_run_dir/$name.state" \
		--ctrl "type=unixio,path=$qemu_run_dir/$name.sock" \
		--log "file=$qemu_run_dir/$name.swtpm.log,level=2" >/dev/null
	for i in $(seq 100); do
		[ -S "$qemu_run_dir/$name.sock" ] && return 0
		sleep 0.05
	done
	echo "qemu: swtpm $name did not start (see $qemu_run_dir/$name.log)" >&2
	return 1
}

# qemu_tpm_args SOCKET: QEMU options for a TIS TPM backed by the swtpm
# listening on SOCKET (the guest's /dev/tpm0 and /dev/tpmrm0).
qemu_tpm_args() {
	echo "-chardev socket,id=tpm_chr,path=$1"
	echo "-tpmdev emulator,id=tpm0,chardev=tpm_chr"
	echo "-device tpm-tis,tpmdev=tpm0"
}

# qemu_alloc_port: a loopback TCP port no other helper of any run holds.
# The kernel picks a free port; a lock and a per-cache ledger keep two
# concurrent runs from being handed the same one before they bind it.
qemu_alloc_port() {
	local ledger=$PCI_CMA_CACHE/ports
	(
		flock 8
		touch "$ledger"
		python3 - "$ledger" <<'PY'
import socket, sys, time
ledger = sys.argv[1]
now = time.time()
# Ports handed out in the last minute are still being bound; skip them.
recent = {}
for line in open(ledger):
    port, stamp = line.split()
    if now - float(stamp) < 60:
        recent[int(port)] = float(stamp)
for _ in range(100):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    if port not in recent:
        recent[port] = now
        break
with open(ledger, "w") as f:
    for p, t in recent.items():
        f.write(f"{p} {t}\n")
print(port)
PY
	) 8>"$PCI_CMA_CACHE/ports.lock"
}

# qemu_accel: "kvm" only when a probe boot under KVM proved it works on this
# machine (cached per QEMU and host kernel), otherwise "tcg".
qemu_accel() {
	local kernel=$1 key cache probe_dir rc
	[ -n "${PCI_CMA_ACCEL:-}" ] && { echo "$PCI_CMA_ACCEL"; return; }
	if [ ! -w /dev/kvm ]; then
		echo tcg
		return
	fi
	key=$( (uname -r; "$QEMU" --version | head -n1; sha256sum <"$kernel") | sha256sum | cut -c1-16)
	cache=$PCI_CMA_CACHE/accel-$key
	if [ ! -f "$cache" ]; then
		probe_dir=$(mktemp -d)
		printf '#!/bin/sh\necho probe\n' >"$probe_dir/job"
		"$(dirname "${BASH_SOURCE[0]}")/initramfs.sh" "$probe_dir/initrd" "$probe_dir/job"
		rc=0
		PCI_CMA_ACCEL=kvm qemu_boot_raw "$kernel" "$probe_dir/initrd" "$probe_dir/console.log" 30 || rc=$?
		if [ "$rc" = 0 ] && grep -q PCI_CMA_GUEST_EXIT=0 "$probe_dir/console.log"; then
			echo kvm >"$cache"
		else
			echo tcg >"$cache"
		fi
		rm -rf "$probe_dir"
	fi
	cat "$cache"
}

# qemu_boot_raw KERNEL INITRD LOG TIMEOUT [QEMU ARGS...]: one boot; returns
# the guest job's exit status, 124 on timeout, 125 if QEMU failed to run it,
# 126 if stopped in an early-boot report flood (qemu_boot_flooded).
qemu_boot_raw() {
	local kernel=$1 initrd=$2 log=$3 timeout=$4 accel cpu pid waited rc
	shift 4
	accel=${PCI_CMA_ACCEL:-tcg}
	if [ "$accel" = kvm ]; then cpu=host; else accel=tcg,thread=multi cpu=max; fi
	"$QEMU" -M q35 -accel "$accel" -cpu "$cpu" -smp 2 -m "${PCI_CMA_GUEST_MEM:-1536}" \
		-nographic -no-reboot -nodefaults -serial "file:$log" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 loglevel=5 kasan_multi_shot kmemleak.verbose=1 panic=-1 ${PCI_CMA_APPEND:-}" \
		"$@" </dev/null >"$log.qemu" 2>&1 &
	pid=$!
	[ -n "$qemu_pids_file" ] && qemu_track "$pid" qemu
	waited=0
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$waited" -ge $((timeout * 10)) ]; then
			echo "qemu: timeout after ${timeout}s, stopping pid $pid" >>"$log.qemu"
			qemu_stop "$pid"
			return 124
		fi
		if [ $((waited % 50)) = 0 ] && qemu_boot_flooded "$log"; then
			echo "qemu: early-boot report flood, stopping pid $pid" >>"$log.qemu"
			qemu_stop "$pid"
			return 126
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	wait "$pid" 2>/dev/null
	rc=$(sed -n 's/.*PCI_CMA_GUEST_EXIT=\([0-9]*\).*/\1/p' "$log" | tail -n1)
	[ -n "$rc" ] || return 125
	return "$rc"
}

# qemu_boot_flooded LOG: whether the kernel floods the console with a KASAN
# report from its first second, before any job runs. Under TCG on a loaded
# host, an interrupt can arrive while the debug kernel still identifies
# its boot CPU, before KASAN's shadow covers the interrupt descriptors,
# and every later interrupt reports again: the boot never ends. It is
# stopped at once rather than left to the suite's timeout. It is not booted
# again: the emulated devices of a run serve one guest.
qemu_boot_flooded() {
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -gt 8000000 ] &&
		! grep -q 'PCI_CMA_' "$1" &&
		head -c 100000 "$1" | grep -q '^\[ *0\.[0-9]*\] BUG: KASAN'
}

# qemu_boot KERNEL INITRD LOG TIMEOUT [QEMU ARGS...]: qemu_boot_raw with the
# best accelerator this machine has.
qemu_boot() {
	local rc
	PCI_CMA_ACCEL=$(qemu_accel "$1") qemu_boot_raw "$@"
	rc=$?
	[ "$rc" = 126 ] &&
		echo "qemu: stopped an early-boot KASAN flood before the guest job ran (TCG on a loaded host); run the suite again" >&2
	return "$rc"
}

# qemu_guest_results LOG: the guest's result lines, without console prefixes.
# The kernel prints to the console while the job writes to it, so a kernel
# message (told by its printk timestamp) can land in the middle of a result
# line and take the rest of that console line: the result goes on on the
# next line that is not the kernel's. A failed result may quote kernel
# lines, timestamps and all, but only in its reason, after " - ".
qemu_guest_results() {
	tr -d '\r' <"$1" | awk -v stamp='\\[ *[0-9]+\\.[0-9]+\\] ' '
		pending && $0 ~ ("^" stamp) { next }
		pending { print head $0; pending = 0; next }
		{
			at = index($0, "PCI_CMA_RESULT: ")
			if (!at) next
			rest = substr($0, at + 16)
			if (match(rest, stamp) && index(substr(rest, 1, RSTART - 1), " - ") == 0) {
				head = substr(rest, 1, RSTART - 1)
				pending = 1
				next
			}
			print rest
		}'
}

# qemu_kernel_reports LOG: the host's own reading of the console QEMU
# captured, independent of what the guest job concluded (or whether it
# finished): one result for the kernel's reports (warnings, oopses, KASAN,
# KFENCE, UBSAN, lockdep, hung tasks, kmemleak; the guest's pattern, from
# qemu/guest/lib.sh) after the job started judging, which it marks in the
# kernel log (PCI_CMA_JUDGING, dmesg_start_judging) before it loads a
# module; without the mark the whole log is judged. Reports before it were
# made while booting: set aside as a skip that names them. Kernel text is
# told from the job's own output by its printk timestamp, and read from
# there even when it lands in the middle of a line of the job's.
qemu_kernel_reports() {
	local lib pattern benign
	lib=$(dirname "${BASH_SOURCE[0]}")/guest/lib.sh
	pattern=$(sed -n "s/^kernel_report_pattern='\(.*\)'$/\1/p" "$lib")
	benign=$(sed -n "s/^kernel_report_benign='\(.*\)'$/\1/p" "$lib")
	python3 - "$1" "$pattern" "$benign" <<'PY'
import re, sys
path, pattern, benign = sys.argv[1:4]
report, benign = re.compile(pattern), re.compile(benign)
stamp = re.compile(r"\[ *\d+\.\d+\] ")
try:
    lines = open(path, errors="replace").read().replace("\r", "").split("\n")
except OSError as e:
    print(f"not ok kernel report on the console - no console log: {e}")
    sys.exit(0)
kernel = []
for line in lines:
    m = stamp.search(line)
    if m:
        kernel.append(line[m.end():])
mark = next((i for i, t in enumerate(kernel) if t.startswith("PCI_CMA_JUDGING")), 0)
found = lambda part: [t for t in part if report.search(t) and not benign.search(t)]
boot, after = found(kernel[:mark]), found(kernel[mark:])
if boot:
    print(f"skip kernel report on the console before the module loaded - set aside: "
          f"{boot[0][:200]} ({len(boot)} report lines)")
if after:
    print(f"not ok kernel report on the console - {after[0][:200]} ({len(after)} report lines)")
else:
    print("ok no kernel report on the console")
PY
}

# qemu_results LOG: the guest's result lines, then the host's result for
# the kernel reports on the console.
qemu_results() {
	qemu_guest_results "$1"
	qemu_kernel_reports "$1"
}

# qemu_guest_file LOG NAME OUT: a file the guest sent on the console
# (send_file, qemu/guest/lib.sh), base64 in lines marked with its name,
# decoded into OUT; fails unless it decodes to the SHA-256 the guest sent
# with it, so a console line damaged in transit is not taken for data.
qemu_guest_file() {
	local log=$1 name=$2 out=$3 want
	sed -n "s/.*PCI_CMA_FILE $name: //p" "$log" | tr -d '\r' | base64 -d >"$out" 2>/dev/null || return 1
	want=$(sed -n "s/.*PCI_CMA_FILE_SHA256 $name: \([0-9a-f]*\).*/\1/p" "$log" | tail -n 1)
	[ -n "$want" ] && [ "$(sha256sum <"$out" | cut -d' ' -f1)" = "$want" ]
}

# qemu_control NAME COMMAND...: one line on an emulated device's control
# channel (RUN_DIR/NAME.control); prints the device's reply.
qemu_control() {
	local name=$1
	shift
	python3 - "$qemu_run_dir/$name.control" "$*" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
reply = b""
while not reply.endswith(b"\n"):
    chunk = s.recv(4096)
    if not chunk:
        break
    reply += chunk
print(reply.decode().strip())
PY
}

# qemu_complete_lines FILE: the lines of FILE that have their newline: a
# guest may be in the middle of writing the last one. FILE only grows, so
# its first SIZE bytes are read once SIZE is taken.
qemu_complete_lines() {
	local size
	size=$(stat -c %s "$1" 2>/dev/null) || return 0
	[ "$size" -gt 0 ] || return 0
	if [ -z "$(tail -c +"$size" "$1" | head -c 1)" ]; then
		head -c "$size" "$1"
	else
		head -c "$size" "$1" | sed '$d'
	fi
}

# qemu_serve_control LOG: in the background, passes each guest console line
# "PCI_CMA_CONTROL: NAME COMMAND..." to device NAME's control channel, so a
# guest job can change a device at a moment of its choosing (before it
# suspends, say). Replies go to RUN_DIR/control.log.
qemu_serve_control() {
	local log=$1
	(
		local done=0 lines line name command
		while :; do
			lines=$(qemu_complete_lines "$log" | sed -n 's/.*PCI_CMA_CONTROL: //p' | tr -d '\r')
			while [ "$(echo "$lines" | grep -c .)" -gt "$done" ]; do
				done=$((done + 1))
				line=$(echo "$lines" | sed -n "${done}p")
				name=${line%% *}
				command=${line#* }
				echo "$name $command -> $(qemu_control "$name" "$command" 2>&1)" >>"$qemu_run_dir/control.log"
			done
			sleep 0.1
		done
	) &
	qemu_track $! control
}

# qemu_qmp SOCKET COMMAND [ARGUMENTS-JSON]: one QMP command on QEMU's
# monitor socket (-qmp unix:SOCKET,server=on,wait=off); prints the reply.
qemu_qmp() {
	python3 - "$1" "$2" "${3:-{\}}" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
f = s.makefile("rw")
f.readline()
for command, arguments in (("qmp_capabilities", {}), (sys.argv[2], json.loads(sys.argv[3]))):
    f.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "event" not in reply:
            break
print(json.dumps(reply))
PY
}
