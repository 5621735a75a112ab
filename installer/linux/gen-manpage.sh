#!/bin/sh
# Writes the manual page keepwatch(1) from the built binary's own --help and --version, so the page
# documents exactly the commands and options the binary accepts and cannot drift from --help.
# usage: gen-manpage.sh KEEPWATCH_BINARY OUTPUT_FILE
#
# --help is read in its source language (LC_ALL=C, no translation) and laid out as: "Usage:", then
# one entry per command, "  keepwatch ..." with continuation lines indented further and its
# description indented by six spaces, then unindented paragraphs (the exit codes).
set -eu
binary=$1
output=$2

help=$(LC_ALL=C LANGUAGE= QT_QPA_PLATFORM=offscreen "$binary" --help)
version=$(LC_ALL=C LANGUAGE= QT_QPA_PLATFORM=offscreen "$binary" --version)
# SOURCE_DATE_EPOCH keeps the page's date reproducible (Debian's reproducible builds set it).
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d 2>/dev/null || date -u +%Y-%m-%d)

printf '%s\n' "$help" | awk -v version="$version" -v date="$date" '
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    if (s ~ /^[.\047]/) s = "\\&" s
    return s
}
function indent(s) { match(s, /^ */); return RLENGTH }
function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
BEGIN { n = 0; np = 0 }
/^Usage:/ { next }
/^  keepwatch/ { n++; synopsis[n] = trim($0); text[n] = ""; inentry = 1; next }
/^[[:space:]]*$/ { inentry = 0; next }
indent($0) == 0 { np++; para[np] = trim($0); inentry = 0; next }
inentry && indent($0) > 6 && text[n] == "" { synopsis[n] = synopsis[n] " " trim($0); next }
inentry { text[n] = text[n] (text[n] == "" ? "" : "\n") trim($0); next }
np > 0 { para[np] = para[np] " " trim($0); next }
END {
    print ".\\\" Generated from keepwatch --help by installer/linux/gen-manpage.sh; do not edit."
    printf ".TH KEEPWATCH 1 \"%s\" \"%s\" \"User Commands\"\n", date, esc(version)
    print ".SH NAME"
    print "keepwatch \\- long\\-lived TCP and MQTT connection monitor"
    print ".SH SYNOPSIS"
    for (i = 1; i <= n; i++) {
        rest = synopsis[i]
        sub(/^keepwatch */, "", rest)
        print ".SY keepwatch"
        if (rest != "") print esc(rest)
        print ".YS"
    }
    print ".SH DESCRIPTION"
    print "Keepwatch holds a long\\-lived connection to each endpoint of a workspace, applies"
    print "per\\-socket keepalive settings, detects dead peers and half\\-open connections,"
    print "names the cause of every drop, reconnects with backoff and keeps an event log."
    print "It runs with a window or headless (for example as the systemd service keepwatch)."
    print ".SH COMMANDS"
    for (i = 1; i <= n; i++) {
        print ".TP"
        print ".B " esc(synopsis[i])
        lines = split(text[i], part, "\n")
        for (j = 1; j <= lines; j++) print esc(part[j])
    }
    for (i = 1; i <= np; i++) {
        if (para[i] ~ /^Exit codes:/) {
            print ".SH \"EXIT STATUS\""
            sub(/^Exit codes: */, "", para[i])
        } else {
            print ".SH NOTES"
        }
        print esc(para[i])
    }
    print ".SH FILES"
    print ".TP"
    print ".I ~/.local/share/keepwatch/keepwatch/events.sqlite"
    print "The event log when no \\-\\-data\\-dir is given (under $XDG_DATA_HOME when that is set)."
    print ".TP"
    print ".I ~/.config/keepwatch/keepwatch.conf"
    print "The window'"'"'s settings: last\\-used workspace, layout."
    print ".TP"
    print ".I /usr/share/keepwatch/workspaces/example.json"
    print "An example workspace."
    print ".TP"
    print ".I /usr/lib/systemd/system/keepwatch.service"
    print "The headless service: workspace /etc/keepwatch/workspace.json, event log under /var/lib/keepwatch."
    print ".SH \"SEE ALSO\""
    print ".BR systemctl (1),"
    print ".BR tcp (7),"
    print ".I /usr/share/doc/keepwatch/README.md"
}' >"$output"
