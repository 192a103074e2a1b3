#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run doxygen over the public headers (docs/Doxyfile.in) and fail on any
# warning: an undocumented public symbol or parameter, a doc error. Every
# warning is printed, as doxygen prints it. Not counted: "Member X is not
# documented" for a member whose own doc comment says @internal (doxygen drops
# @internal text, INTERNAL_DOCS = NO, then calls the member undocumented).
#   check: the api_docs test; without doxygen it skips (exit 77).
#   html:  the docs target (ninja -C build docs); without doxygen it fails.
# Usage: api-docs.sh check|html DOXYFILE OUTDIR [DOXYGEN]
set -uo pipefail
usage="usage: api-docs.sh check|html DOXYFILE OUTDIR [DOXYGEN]"
mode=${1:?$usage}
doxyfile=${2:?$usage}
outdir=${3:?$usage}
doxygen=${4:-}

if [ -z "$doxygen" ] || [ ! -x "$doxygen" ]; then
	msg="doxygen not found (apt-get install doxygen, then meson setup --reconfigure)"
	if [ "$mode" = check ]; then echo "SKIP: $msg"; exit 77; fi
	echo "api-docs.sh: $msg" >&2; exit 1
fi
mkdir -p "$outdir"
log=$outdir/warnings.log   # WARN_LOGFILE
left=$outdir/warnings.txt  # the warnings that count
# index.html is rewritten last: its presence shows this run got through.
rm -f "$log" "$left" "$outdir/html/index.html"
"$doxygen" --version | sed 's/^/doxygen /'
# stdout/stderr: only what doxygen says before it opens WARN_LOGFILE
# (configuration warnings), printed but not counted.
"$doxygen" "$doxyfile"
rc=$?
touch "$log"

# One entry per "file:line: warning|error: text" line, with its indented
# continuation lines. FAIL_ON_WARNINGS makes doxygen 1.9 say "error:".
ignored=$(awk -v left="$left" '
function load(f,   l, n) {
	if (f in loaded)
		return
	loaded[f] = 1
	while ((getline l < f) > 0)
		src[f, ++n] = l
	close(f)
}
# Does the doc comment of the declaration at f:n say @internal? Its own
# trailing /**< comment, or the /** comment that ends just above it.
function is_internal(f, n,   i, l, hit) {
	load(f)
	if (src[f, n] ~ /\/\*[*!]<.*[@\\]internal/)
		return 1
	if (src[f, n - 1] !~ /\*\/[ \t]*$/)
		return 0
	for (i = n - 1; i > 0; i--) {
		l = src[f, i]
		if (l ~ /[@\\]internal([^a-z]|$)/)
			hit = 1
		if (l ~ /\/\*/)
			return hit && l ~ /\/\*[*!]/ && l !~ /\/\*[*!]</
	}
	return 0
}
function flush(   m) {
	if (entry == "")
		return
	if (match(entry, /^[^\n]*:[0-9]+: (warning|error): Member [^\n]* is not documented\.$/)) {
		m = entry
		sub(/: (warning|error): .*/, "", m)
		file = m; sub(/:[0-9]+$/, "", file)
		line = m; sub(/.*:/, "", line)
		if (is_internal(file, line + 0)) {
			n_ignored++
			entry = ""
			return
		}
	}
	print entry > left
	entry = ""
}
/^[ \t]/ && entry != "" { entry = entry "\n" $0; next }
{ flush(); entry = $0 }
END { flush(); print n_ignored + 0 }
' "$log")
touch "$left"
n=$(grep -c -v '^[[:space:]]' "$left")
cat "$left"
if [ "$mode" = html ] && [ -f "$outdir/html/index.html" ]; then
	echo "HTML: $outdir/html/index.html"
fi
if [ "$n" -gt 0 ]; then
	echo "api docs: FAIL: $n doxygen warnings (undocumented public symbols or parameters," \
		"doc errors); $ignored undocumented @internal members not counted"
	exit 1
fi
# A failure that left no warning (FAIL_ON_WARNINGS exits 1 on the ignored ones).
if { [ "$rc" -ne 0 ] && [ "$ignored" -eq 0 ]; } || [ ! -f "$outdir/html/index.html" ]; then
	echo "api docs: FAIL: doxygen exit $rc"
	exit 1
fi
echo "api docs: OK, no warnings ($ignored undocumented @internal members not counted: $log)"
exit 0
