# Shared helpers for the project's shell scripts; sourced, never run.

# The cache outside the clone: build roots and built kernels live here.
PCI_CMA_CACHE=${PCI_CMA_CACHE:-/var/cache/pci-cma-tsm}
export PCI_CMA_CACHE

die() {
	echo "error: $*" >&2
	exit 1
}

note() {
	echo "==> $*" >&2
}

# The Debian archive URI from the host's own apt configuration, so that no
# script names a mirror. Reads deb822 sources first, then one-line sources,
# and skips security archives.
archive_uri() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk '
			/^[ \t]*$/ { if (u != "" && s !~ /security/) { print u; exit } u = ""; s = "" }
			/^URIs:/ { u = $2 }
			/^Suites:/ { s = $0 }
			END { if (u != "" && s !~ /security/) print u }' "$f" | head -n1)
		[ -n "$uri" ] && { echo "${uri%/}"; return 0; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" && $0 !~ /security/ {
				for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' "$f")
		[ -n "$uri" ] && { echo "${uri%/}"; return 0; }
	done
	return 1
}
