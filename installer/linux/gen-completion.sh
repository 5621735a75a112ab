#!/bin/sh
# Writes the bash completion for keepwatch from the built binary's own --help, so it completes exactly
# the subcommands and options the binary documents.
# usage: gen-completion.sh KEEPWATCH_BINARY OUTPUT_FILE
#
# Each "  keepwatch ..." entry of --help (with its continuation lines) names a subcommand when its
# second word is a plain word, and the options that follow; an option's value is completed as a file
# (FILE), a directory (DIR), one of a list (csv|jsonl) or not at all (SECONDS, N, ...).
set -eu
binary=$1
output=$2

help=$(LC_ALL=C LANGUAGE= QT_QPA_PLATFORM=offscreen "$binary" --help)

printf '%s\n' "$help" | awk '
function indent(s) { match(s, /^ */); return RLENGTH }
function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
function add(list, word) { return index(" " list " ", " " word " ") ? list : (list == "" ? word : list " " word) }
# Records the options of one text, and what their values are, for the context ctx.
function scan(text, ctx, fromSynopsis,    count, tok, i, name, arg) {
    gsub(/[][()]/, " ", text)
    count = split(text, tok, /[ \t]+/)
    for (i = 1; i <= count; i++) {
        if (tok[i] !~ /^--?[A-Za-z][-A-Za-z0-9]*$/) continue
        name = tok[i]
        options[ctx] = add(options[ctx], name)
        if (!fromSynopsis || (name in kind)) continue
        valued = add(valued, name)
        arg = (i < count) ? tok[i + 1] : ""
        if (arg ~ /^-/ || arg == "|" || arg == "") kind[name] = "flag"
        else if (arg ~ /FILE/) kind[name] = "file"
        else if (arg ~ /DIR/) kind[name] = "dir"
        else if (arg ~ /^[a-z0-9]+(\|[a-z0-9]+)+$/) { kind[name] = "words"; words[name] = arg; gsub(/\|/, " ", words[name]) }
        else kind[name] = "value"
    }
}
BEGIN { n = 0 }
/^  keepwatch/ { n++; synopsis[n] = trim($0); text[n] = ""; inentry = 1; next }
/^[[:space:]]*$/ || indent($0) == 0 { inentry = 0; next }
inentry && indent($0) > 6 && text[n] == "" { synopsis[n] = synopsis[n] " " trim($0); next }
inentry { text[n] = text[n] " " trim($0); next }
END {
    for (i = 1; i <= n; i++) {
        split(synopsis[i], w, / +/)
        ctx = (w[2] ~ /^[a-z][-a-z0-9]*$/) ? w[2] : ""
        if (ctx != "") commands = add(commands, ctx)
        sub(/^keepwatch +/, "", synopsis[i])
        if (ctx != "") sub(/^[^ ]+ */, "", synopsis[i])
        scan(synopsis[i], ctx, 1)
        scan(text[i], ctx, 0)
    }
    print "# bash completion for keepwatch. Generated from keepwatch --help by installer/linux/gen-completion.sh."
    print "_keepwatch()"
    print "{"
    print "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command= i"
    print "    for ((i = 1; i < COMP_CWORD; i++)); do"
    print "        case ${COMP_WORDS[i]} in"
    printf "        %s) command=${COMP_WORDS[i]}; break ;;\n", commands == "" ? "__none__" : gensub_bar(commands)
    print "        esac"
    print "    done"
    print "    case $prev in"
    files = ""; dirs = ""; values = ""
    # In the order --help names them, so the output is the same with every awk.
    count = split(valued, order, " ")
    for (k = 1; k <= count; k++) {
        name = order[k]
        if (kind[name] == "file") files = add(files, name)
        else if (kind[name] == "dir") dirs = add(dirs, name)
        else if (kind[name] == "value") values = add(values, name)
        else if (kind[name] == "words") printf "    %s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", name, words[name]
    }
    if (files != "") printf "    %s) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", gensub_bar(files)
    if (dirs != "") printf "    %s) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", gensub_bar(dirs)
    if (values != "") printf "    %s) return ;;\n", gensub_bar(values)
    print "    esac"
    print "    local words"
    print "    case $command in"
    split(commands, list, " ")
    for (c = 1; c in list; c++) printf "    %s) words=\"%s\" ;;\n", list[c], options[list[c]]
    printf "    *) words=\"%s%s%s\" ;;\n", commands, (commands != "" && options[""] != "") ? " " : "", options[""]
    print "    esac"
    print "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))"
    print "}"
    print "complete -F _keepwatch keepwatch"
}
function gensub_bar(list,    s) { s = list; gsub(/ /, "|", s); return s }
' >"$output"
