#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job: the kernel's own YNL client (tools/net/ynl/pyynl/cli.py)
# against the module, knowing the family only from the spec this
# repository ships. The spec validates against the kernel's genetlink
# schema; devices dump with their enums by name; evidence comes back whole,
# from the kept transcripts and, with a verifier nonce, from a fresh
# authentication; the kernel's policy and permissions are the spec's.
. /test/lib.sh
dev=0000:01:00.0
spec=/ynl/Documentation/netlink/specs/pci-cma.yaml
cli=/ynl/tools/net/ynl/pyynl/cli.py
# The interpreter keeps its build-root path, outside busybox's PATH.
export PATH=/usr/bin:$PATH

# ran NAME WANT STATUS: shows a cli.py run's output (/tmp/NAME) and
# judges its exit status.
ran() {
	sed 's/^/    /' "/tmp/$1" | cut -c1-300
	if [ "$3" = "$2" ]; then
		result ok "cli.py $1"
	else
		result "not ok" "cli.py $1" "exit $3, want $2: $(tail -n1 "/tmp/$1")"
	fi
}

# ynl NAME WANT OPTIONS...: one cli.py run with the spec, as root; its
# output goes to /tmp/NAME, and its exit status must be WANT.
ynl() {
	local name=$1 want=$2
	shift 2
	python3 "$cli" --spec "$spec" "$@" >"/tmp/$name" 2>&1
	ran "$name" "$want" $?
}

# judge CHECK ARGS...: the checks of /tmp/judge.py on cli.py's JSON output,
# one result each ("ok|NAME|" or "not ok|NAME|WHY" lines).
judge() {
	python3 /tmp/judge.py "$@" >/tmp/verdicts 2>&1 ||
		echo "not ok|judge $1|$(tail -n1 /tmp/verdicts)" >>/tmp/verdicts
	while IFS='|' read -r status name why; do
		case $status in
		ok | "not ok") result "$status" "$name" "$why" ;;
		*) echo "    $status${name:+|$name}" ;;
		esac
	done </tmp/verdicts
}

cat >/tmp/judge.py <<'PY'
import json, sys

def out(ok, name, why=""):
    print(f"{'ok' if ok else 'not ok'}|{name}|{'' if ok else why}")

def load(path):
    with open(path) as f:
        return json.load(f)

def device(replies, name):
    if isinstance(replies, dict):
        replies = [replies]
    return next((r for r in replies if r.get("name") == name), None)

def objects(replies, name):
    """Reassembles evidence replies into {type: (bytes, total, generations)}."""
    got = {}
    for r in replies:
        if r.get("name") != name:
            raise ValueError(f"a reply names {r.get('name')}")
        data = bytes.fromhex(r["data"])
        kind = r["type"]
        buf, total, gens = got.get(kind, (b"", r["total-size"], set()))
        if r["offset"] != len(buf):
            raise ValueError(f"{kind}: chunk at {r['offset']}, expected {len(buf)}")
        gens.add(r["generation"])
        got[kind] = (buf + data, total, gens)
    return got

check, path = sys.argv[1], sys.argv[2]
if check == "dev":
    # dev PATH LABEL NAME: the device's state as attributes and enum names.
    label, name = sys.argv[3], sys.argv[4]
    d = device(load(path), name)
    out(d is not None, f"{label} names {name}", "not in the replies")
    d = d or {}
    out(d.get("state") == "authenticated", f"{label}: state by its enum name, authenticated",
        f"state {d.get('state')!r}")
    out(d.get("kind") == "cma-only", f"{label}: kind by its enum name, cma-only", f"kind {d.get('kind')!r}")
    # ECDSA P-384 (BaseAsymAlgo bit 7) with SHA-512 (BaseHashAlgo bit 2).
    want = {"spdm-version": 0x14, "base-asym": 0x80, "base-hash": 0x4, "slot": 0}
    have = {k: d.get(k) for k in want}
    out(have == want, f"{label}: SPDM 1.4, ECDSA P-384, SHA-512, slot 0", f"{have}")
    digest = d.get("chain-digest", "")
    out(len(digest) == 128, f"{label}: 64-byte chain digest as hex", f"{digest!r}")
    out(isinstance(d.get("generation"), int), f"{label}: generation (uint)", f"{d.get('generation')!r}")
elif check == "get":
    # get PATH NAME KEY: prints one attribute of the device.
    print(device(load(path), sys.argv[3])[sys.argv[4]])
elif check == "policy":
    # policy PATH: the kernel's evidence-read policy is the spec's request.
    pol = load(path)
    out(sorted(pol) == ["flags", "name", "nonce", "type-mask"],
        "kernel's evidence-read policy has the spec's request attributes", f"{sorted(pol)}")
    # The kernel's policy dump leaves out the maximum of NLA_POLICY_MAX_LEN
    # (a max-only check, not a range); the job tests that limit by sending.
    out(pol.get("nonce", {}).get("type") == "binary", "nonce binary in both", f"{pol.get('nonce')}")
    out(pol.get("flags", {}).get("mask") == 1, "flags mask is the spec's read-flags", f"{pol.get('flags')}")
    out(pol.get("name", {}).get("max-length") == 31, "name at most 31 bytes in both", f"{pol.get('name')}")
elif check == "evidence":
    # evidence PATH LABEL NAME TYPES [NONCE [GENERATION-BEFORE]]: NONCE is
    # the hex each signed transcript must carry.
    label, name, types = sys.argv[3], sys.argv[4], sys.argv[5].split(",")
    nonce = sys.argv[6] if len(sys.argv) > 6 else ""
    replies = load(path)
    out(len(replies) > 0 and all("data" in r for r in replies),
        f"{label}: replies with data ({len(replies)})", "no data")
    got = objects(replies, name)
    out(sorted(got) == sorted(types), f"{label}: just the types asked for, {'+'.join(types)}",
        f"{sorted(got)}")
    gens = set().union(*(g for _, _, g in got.values())) if got else set()
    out(len(gens) == 1, f"{label}: one generation across replies", f"{gens}")
    for kind, (buf, total, _) in got.items():
        out(len(buf) == total and total > 0, f"{label}: {kind} chunks add up to total-size {total}",
            f"{len(buf)} bytes")
    if "vca" in got:
        # SPDM 1.0 GET_VERSION opens the transcript: version 0x10, code 0x84.
        out(got["vca"][0][:2] == b"\x10\x84", f"{label}: vca opens with GET_VERSION",
            got["vca"][0][:4].hex())
    if nonce:
        n = bytes.fromhex(nonce)
        for kind in ("challenge", "measurements"):
            if kind in got:
                out(n in got[kind][0], f"{label}: {kind} transcript carries the verifier's {len(n)} bytes",
                    "not found")
        if len(sys.argv) > 7:
            before = int(sys.argv[7])
            now = next(iter(gens)) if gens else None
            out(now is not None and now > before,
                f"{label}: device authenticated again, generation {before} -> {now}", f"{now}")
            print(f"generation|{now}")
elif check == "read-policy":
    # read-policy PATH: the kernel's read policy is the spec's request.
    pol = load(path)
    want = ["dev-name", "flags", "nonce", "requester-context", "subsys", "type-mask"]
    out(sorted(pol) == want, "kernel's read policy has the spec's request attributes", f"{sorted(pol)}")
elif check == "objects":
    # objects PATH LABEL NAME TYPES [NONCE [CHAIN-DIGEST]]: read replies,
    # each an object's header and repeated val; reassembled by offset, each
    # as long as the length sent ahead of it.
    import hashlib
    label, name, types = sys.argv[3], sys.argv[4], sys.argv[5].split(",")
    nonce = sys.argv[6] if len(sys.argv) > 6 else ""
    chain = sys.argv[7] if len(sys.argv) > 7 else ""
    replies = load(path)
    got, lengths, gens, counts, vals = {}, {}, set(), set(), 0
    for r in replies:
        kind = r["type"]
        buf = got.get(kind, b"")
        if r.get("offset", 0) != len(buf):
            raise ValueError(f"{kind}: message at {r.get('offset')}, expected {len(buf)}")
        parts = r.get("val", [])
        parts = parts if isinstance(parts, list) else [parts]
        vals += len(parts)
        got[kind] = buf + b"".join(bytes.fromhex(v) for v in parts)
        lengths[kind] = r["length"]
        gens.add(r["generation"])
        counts.add(r["count"])
    out(sorted(got) == sorted(types), f"{label}: just the types asked for, {'+'.join(types)}", f"{sorted(got)}")
    out(len(gens) == 1 and len(counts) == 1 and next(iter(gens)) == next(iter(counts)) & 0xffffffff,
        f"{label}: one generation and count across {len(replies)} messages, {vals} val attributes",
        f"{gens} {counts}")
    for kind, buf in got.items():
        out(len(buf) == lengths[kind] > 0, f"{label}: {kind} whole, {len(buf)} bytes as its length said",
            f"{len(buf)} of {lengths[kind]}")
    if "vca" in got:
        out(got["vca"][:2] == b"\x10\x84", f"{label}: vca opens with GET_VERSION", got["vca"][:4].hex())
    if nonce:
        n = bytes.fromhex(nonce)
        for kind in ("challenge", "measurements"):
            if kind in got:
                out(n in got[kind], f"{label}: {kind} transcript carries the verifier's {len(n)} bytes",
                    "not found")
    if chain and "cert0" in got:
        out(hashlib.sha512(got["cert0"]).hexdigest() == chain,
            f"{label}: SHA-512 of cert0 is dev-get's chain digest", "differs")
    print(f"generation|{next(iter(gens)) if gens else ''}")
elif check == "digest":
    # digest PATH NAME CHAIN-DIGEST: cert0's digest is the chain digest.
    name, chain = sys.argv[3], sys.argv[4]
    replies = load(path)
    r = replies[0] if len(replies) == 1 else {}
    out(r.get("type") == "cert0" and "data" not in r, "digest flag: one cert0 reply, no data",
        f"{len(replies)} replies")
    out(r.get("digest") == chain, "cert0 digest equals dev-get's chain-digest",
        f"{r.get('digest')!r} vs {chain!r}")
PY

dmesg_start_judging
check "python3 with yaml and jsonschema runs in the guest" python3 -c 'import yaml, jsonschema'
check "load pci_cma_tsm" insmod /lib/modules/extra/pci_cma_tsm.ko
for i in $(seq 300); do
	dmesg | grep -q "pci_cma_tsm: $dev: authenticated" && break
	sleep 0.1
done
check "$dev authenticated at load" sh -c "dmesg | grep -q 'pci_cma_tsm: $dev: authenticated'"
dmesg | grep 'pci_cma_tsm: ' | sed 's/^\[[ 0-9.]*\] /    /'

ynl validate 0 --validate
# As a person reads it: the cli's own printing, enums by name.
ynl dump-dev-get 0 --dump dev-get
check "dev-get dump as printed names $dev" grep -q "'name': '$dev'" /tmp/dump-dev-get
check "dev-get dump as printed shows 'state': 'authenticated'" grep -q "'state': 'authenticated'" /tmp/dump-dev-get
ynl dump-dev-get-json 0 --dump dev-get --output-json
judge dev /tmp/dump-dev-get-json "dev-get dump" "$dev"
ynl do-dev-get 0 --do dev-get --json "{\"name\": \"$dev\"}" --output-json
judge dev /tmp/do-dev-get "dev-get do" "$dev"
generation=$(python3 /tmp/judge.py get /tmp/dump-dev-get-json "$dev" generation)
chain=$(python3 /tmp/judge.py get /tmp/dump-dev-get-json "$dev" chain-digest)

ynl policy-evidence-read 0 --policy --dump evidence-read --output-json
judge policy /tmp/policy-evidence-read

# 256 = bit 8, the VCA transcript only.
ynl evidence-vca 0 --dump evidence-read --json "{\"name\": \"$dev\", \"type-mask\": 256}" --output-json
judge evidence /tmp/evidence-vca "VCA read" "$dev" vca
ynl evidence-all 0 --dump evidence-read --json "{\"name\": \"$dev\"}" --output-json
judge evidence /tmp/evidence-all "read of all types" "$dev" cert0,vca,measurements,challenge
ynl evidence-digest 0 --dump evidence-read --output-json \
	--json "{\"name\": \"$dev\", \"type-mask\": 1, \"flags\": [\"digest\"]}"
judge digest /tmp/evidence-digest "$dev" "$chain"

# A fresh verifier nonce: the kernel authenticates again with it, so the
# signed transcripts are new and carry it, at a new generation.
nonce=$(python3 -c 'import os; print(os.urandom(32).hex())')
ynl evidence-nonce 0 --dump evidence-read --output-json \
	--json "{\"name\": \"$dev\", \"type-mask\": 1536, \"nonce\": \"$nonce\"}"
judge evidence /tmp/evidence-nonce "32-byte nonce read" "$dev" measurements,challenge "$nonce" "$generation"
after=$(sed -n 's/^generation|//p' /tmp/verdicts)
ynl dump-dev-get-after 0 --dump dev-get --output-json
now=$(python3 /tmp/judge.py get /tmp/dump-dev-get-after "$dev" generation)
check "dev-get shows the nonce read's generation (${after:-none})" test -n "$after" -a "$now" = "$after"
ynl evidence-short-nonce 1 --dump evidence-read \
	--json "{\"name\": \"$dev\", \"nonce\": \"00112233445566778899aabbccddeeff\"}"
check "a 16-byte nonce refused with the kernel's reason" grep -q 'nonce shorter than 32 bytes' /tmp/evidence-short-nonce
# The spec's 32 to 256 bytes: the generated policy enforces the maximum,
# the handler the minimum. Bytes 32-39 are SPDM 1.3's RequesterContext,
# which follows the nonce in CHALLENGE.
nonce=$(python3 -c 'import os; print(os.urandom(256).hex())')
ynl evidence-nonce-256 0 --dump evidence-read --output-json \
	--json "{\"name\": \"$dev\", \"type-mask\": 1024, \"nonce\": \"$nonce\"}"
judge evidence /tmp/evidence-nonce-256 "256-byte nonce read" "$dev" challenge "$(echo "$nonce" | cut -c1-80)"
ynl evidence-nonce-257 1 --dump evidence-read --json "{\"name\": \"$dev\", \"nonce\": \"${nonce}ff\"}"
check "a 257-byte nonce refused by the policy" grep -q 'binary attribute size out of range' /tmp/evidence-nonce-257
ynl evidence-no-device 1 --dump evidence-read --json '{"name": "0000:99:00.0"}'
check "an unknown device refused with the kernel's reason" grep -q 'no such device' /tmp/evidence-no-device

# read, shaped as the bus-generic device-evidence proposal's operation.
ynl policy-read 0 --policy --dump read --output-json
judge read-policy /tmp/policy-read
# Only the proposal's attributes (subsys, dev-name, type-mask, nonce): a
# verifier written for it gets whole objects it can check, with the
# family name its only change. 769 = cert0, vca, measurements.
nonce=$(python3 -c 'import os; print(os.urandom(32).hex())')
ynl read-upstream 0 --dump read --output-json \
	--json "{\"subsys\": \"pci\", \"dev-name\": \"$dev\", \"type-mask\": 769, \"nonce\": \"$nonce\"}"
ynl dump-dev-get-read 0 --dump dev-get --output-json
chain=$(python3 /tmp/judge.py get /tmp/dump-dev-get-read "$dev" chain-digest)
judge objects /tmp/read-upstream "read with the proposal's attributes" "$dev" cert0,vca,measurements "$nonce" "$chain"
# This family's additions: the challenge transcript (after the proposal's
# report, never present here) and the 1.3 RequesterContext as its own
# attribute, which CHALLENGE carries right after the nonce. 2048 = challenge.
context=$(python3 -c 'import os; print(os.urandom(8).hex())')
ynl read-context 0 --dump read --output-json \
	--json "{\"dev-name\": \"$dev\", \"type-mask\": 2048, \"nonce\": \"$nonce\", \"requester-context\": \"$context\"}"
judge objects /tmp/read-context "read with a RequesterContext" "$dev" challenge "$nonce$context"
read_generation=$(sed -n 's/^generation|//p' /tmp/verdicts)
ynl read-digest 0 --dump read --output-json \
	--json "{\"dev-name\": \"$dev\", \"type-mask\": 1, \"flags\": [\"digest\"]}"
check "read with the digest flag: cert0's val is the chain digest" \
	python3 -c "import json,sys; r=json.load(open('/tmp/read-digest')); v=r[0]['val']; v=v[0] if isinstance(v,list) else v; sys.exit(not (len(r)==1 and v=='$chain' and r[0]['length']==64))"
ynl read-nonce-40 1 --dump read --json "{\"dev-name\": \"$dev\", \"type-mask\": 1, \"nonce\": \"$nonce$context\"}"
check "read: a 40-byte nonce refused by the policy" grep -q 'binary attribute size out of range' /tmp/read-nonce-40
ynl read-nonce-16 1 --dump read --json "{\"dev-name\": \"$dev\", \"type-mask\": 1, \"nonce\": \"$context$context\"}"
check "read: a 16-byte nonce refused with the kernel's reason" grep -q 'nonce must be 32 bytes' /tmp/read-nonce-16
ynl read-no-mask 1 --dump read --json "{\"dev-name\": \"$dev\"}"
check "read: type-mask required" grep -q 'type-mask required' /tmp/read-no-mask
# validate names the generation the verifier checked: a stale one is
# refused with EAGAIN, the current one approves the device.
ynl validate-stale 1 --do validate --json "{\"subsys\": \"pci\", \"dev-name\": \"$dev\", \"generation\": $((read_generation + 1000))}"
check "validate of a stale generation refused: EAGAIN and why" \
	grep -q 'evidence changed since that generation' /tmp/validate-stale
ynl validate-now 0 --do validate --json "{\"subsys\": \"pci\", \"dev-name\": \"$dev\", \"generation\": ${read_generation:-0}}"
ynl dump-dev-get-validated 0 --dump dev-get --output-json
check "validate approved the device at the generation read" \
	python3 -c "import json,sys; d=[x for x in json.load(open('/tmp/dump-dev-get-validated')) if x['name']=='$dev'][0]; sys.exit(not (d['state']=='approved' and d['approved-generation']==${read_generation:-0}))"

# Permissions as the spec says: dev-get for anyone, evidence-read for admins.
mkdir -p /etc
echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
# nobody NAME WANT OPTIONS...: as ynl, as "nobody", with no capability;
# OPTIONS are one shell command line.
nobody() {
	local name=$1 want=$2
	shift 2
	su -s /bin/sh nobody -c "/usr/bin/python3 $cli --spec $spec $*" >"/tmp/$name" 2>&1
	ran "$name" "$want" $?
}
# Device state is administrative too: every operation needs CAP_SYS_ADMIN.
nobody unprivileged-dev-get 1 --dump dev-get
check "unprivileged dev-get refused: EPERM, CAP_SYS_ADMIN named" \
	grep -q 'CAP_SYS_ADMIN required: Operation not permitted' /tmp/unprivileged-dev-get
nobody unprivileged-evidence-read 1 --dump evidence-read --json "'{\"name\": \"$dev\"}'"
check "unprivileged evidence-read refused: EPERM" grep -q 'Operation not permitted' /tmp/unprivileged-evidence-read
nobody unprivileged-read 1 --dump read --json "'{\"dev-name\": \"$dev\", \"type-mask\": 1}'"
check "unprivileged read refused: EPERM" grep -q 'Operation not permitted' /tmp/unprivileged-read

check "unload pci_cma_tsm" rmmod pci_cma_tsm
check_kernel_log_clean
exit "$failures"
