#!/usr/bin/env bash
# Builds the Linux packages once (cpack: DEB, RPM, TGZ) and checks everything from them: metadata,
# desktop file, AppStream metainfo, lintian, the man page and completion against --help, the same file
# list in all three, then installs the .deb with apt-get, runs it from the installed paths, verifies the
# systemd unit, purges it and checks that nothing is left behind and that user data survives.
# usage: check-packages.sh BUILD_DIR SCRATCH_DIR SOURCE_DIR
# Exit status: 0 all passed, 1 a check failed, 77 a tool or root is missing outside CI (CTest: skipped);
# under CI (CI=true) a missing tool or root is a failure.
set -uo pipefail
build=$1
scratch=$2
source=$3
gen="$source/installer/linux"

fail=0
ok() { echo "ok   $*"; }
bad() {
    echo "FAIL $*"
    fail=1
}
missing() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $1 (CI must have it: setup.sh installs it)"
        exit 1
    fi
    echo "SKIP: $1"
    exit 77
}
for tool in cpack dpkg-deb dpkg-shlibdeps lintian desktop-file-validate appstreamcli rpmbuild rpm \
    systemd-analyze apt-get man gzip; do
    command -v "$tool" >/dev/null ||
        missing "$tool not installed (apt-get install dpkg-dev lintian desktop-file-utils appstream rpm systemd man-db)"
done
[ "$(id -u)" -eq 0 ] || missing "installing the .deb with apt-get needs root"

rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/deb" "$scratch/tgz" "$scratch/home" "$scratch/rpmhome"
# Debian's rpm keeps its database in ~/.rpmdb: a home of the test's own, so none is left in root's.
rpmq() { HOME="$scratch/rpmhome" rpm "$@"; }
# -------------------------------------------------------------------------------------------------
# Build each package once.
if ! (cd "$build" && HOME="$scratch/rpmhome" cpack -G "DEB;RPM;TGZ" -B "$scratch/out" >"$scratch/cpack.log" 2>&1); then
    cat "$scratch/cpack.log"
    echo "FAIL cpack"
    exit 1
fi
deb=$(ls "$scratch"/out/keepwatch_*.deb)
rpmfile=$(ls "$scratch"/out/keepwatch-*.rpm)
tgz=$(ls "$scratch"/out/keepwatch-*.tar.gz)
echo "packages: $deb $rpmfile $tgz"
dpkg-deb -x "$deb" "$scratch/deb"
tar -xzf "$tgz" -C "$scratch/tgz" --strip-components=1
root="$scratch/deb"
version=$(dpkg-deb --field "$deb" Version)

# -------------------------------------------------------------------------------------------------
# Metadata.
dpkg-deb --field "$deb" Package Version Section Maintainer Homepage Depends Recommends
for field in Maintainer Homepage Section Description; do
    [ -n "$(dpkg-deb --field "$deb" "$field")" ] && ok "deb $field set" || bad "deb $field missing"
done
depends=$(dpkg-deb --field "$deb" Depends)
for dep in libqt6core6 libqt6network6 libqt6sql6-sqlite libqt6gui6 libqt6websockets6; do
    case ", $depends," in
    *", $dep"[\ ,]*) ok "Depends names $dep" ;;
    *) bad "Depends lacks $dep: $depends" ;;
    esac
done
rpmq -qip "$rpmfile" | grep -E '^(Name|Version|License|URL|Summary)' | sed 's/^/     /'
[ "$(rpmq -qp --qf '%{VERSION}' "$rpmfile")" = "$version" ] && ok "rpm version $version" || bad "rpm version differs"
[ -n "$(rpmq -qp --qf '%{LICENSE}' "$rpmfile")" ] && ok "rpm licence set" || bad "rpm licence missing"
requires=$(rpmq -qpR "$rpmfile")
for req in 'libQt6Core.so.6()(64bit)' 'libQt6Sql.so.6()(64bit)' qt6-qtbase qt6-qtbase-gui; do
    grep -qxF "$req" <<<"$requires" && ok "rpm requires $req" || bad "rpm lacks requirement $req"
done

metainfo="$root/usr/share/metainfo/io.keepwatch.Keepwatch.metainfo.xml"
desktop="$root/usr/share/applications/io.keepwatch.Keepwatch.desktop"
desktop-file-validate "$desktop" && ok "desktop-file-validate" || bad "desktop-file-validate"
appstreamcli validate --no-net "$metainfo" >"$scratch/appstream.log" 2>&1 && ok "appstreamcli validate --no-net" ||
    { cat "$scratch/appstream.log"; bad "appstreamcli validate"; }
grep -q "<release version=\"$version\"" "$metainfo" && ok "metainfo has release $version" ||
    bad "metainfo has no <release version=\"$version\">: add it to installer/linux/*.metainfo.xml"
head -n 1 <(gzip -dc "$root/usr/share/doc/keepwatch/changelog.gz") | grep -qF "keepwatch ($version)" &&
    ok "changelog's top entry is $version" || bad "changelog's top entry is not $version: installer/linux/changelog"
icon=$(sed -n 's/^Icon=//p' "$desktop")
for size in scalable/apps/$icon.svg 48x48/apps/$icon.png 256x256/apps/$icon.png; do
    [ -f "$root/usr/share/icons/hicolor/$size" ] && ok "icon $size" || bad "icon $size missing"
done

lintian --display-info --tag-display-limit 0 "$deb" >"$scratch/lintian.log" 2>&1
sed 's/^/     lintian: /' "$scratch/lintian.log"
if grep -q '^E:' "$scratch/lintian.log"; then bad "lintian reports errors"; else ok "lintian: no errors"; fi

# -------------------------------------------------------------------------------------------------
# The man page and the completion are generated from --help: regenerate them from the packaged binary
# and check that every subcommand and option of --help is in both.
binary="$root/usr/bin/keepwatch"
help=$(LC_ALL=C "$binary" --help)
"$gen/gen-manpage.sh" "$binary" "$scratch/keepwatch.1"
if diff <(grep -v '^\.TH' "$scratch/keepwatch.1") <(gzip -dc "$root/usr/share/man/man1/keepwatch.1.gz" | grep -v '^\.TH') \
    >/dev/null; then ok "packaged man page is the one --help gives"; else bad "packaged man page differs from --help's"; fi
man --warnings -l "$root/usr/share/man/man1/keepwatch.1.gz" >/dev/null 2>"$scratch/man.log" && [ ! -s "$scratch/man.log" ] &&
    ok "man renders keepwatch(1) without warnings" || { cat "$scratch/man.log"; bad "man keepwatch.1"; }
manpage=$(gzip -dc "$root/usr/share/man/man1/keepwatch.1.gz" | sed 's/\\-/-/g')
completion="$root/usr/share/bash-completion/completions/keepwatch"
subcommands=$(sed -n 's/^  keepwatch \([a-z][-a-z0-9]*\).*/\1/p' <<<"$help" | sort -u)
options=$(tr '[]()|' '     ' <<<"$help" | grep -oE '(^|[[:space:]])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' \t' | sort -u)
[ -n "$subcommands" ] && [ -n "$options" ] || bad "no subcommands or options found in --help"
for word in $subcommands $options; do
    grep -qE -- "(^|[^-A-Za-z0-9])$word([^-A-Za-z0-9]|\$)" <<<"$manpage" || bad "man page lacks $word"
    grep -qE -- "(\"| )$word( |\")" "$completion" || bad "completion lacks $word"
done
ok "man page and completion name $(wc -w <<<"$subcommands") subcommands and $(wc -w <<<"$options") options"
# Options the parser accepts that --help does not name (aliases): reported, not failed.
for opt in $(grep -oE '(u"|is\("|take\(")--?[a-z][-a-z]*' "$source/app/commandline.cpp" | sed 's/.*"//' | sort -u); do
    grep -qxF -- "$opt" <<<"$options" || echo "note $opt is accepted but not in --help"
done

complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _keepwatch; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$completion" "$@" | sort | tr '\n' ' '
}
expect_completion() {
    local want=$1
    shift
    local got
    got=$(complete_words "$@")
    case " $got " in
    *" $want "*) ok "completion: '$*' offers $want" ;;
    *) bad "completion: '$*' gave '$got', expected $want among them" ;;
    esac
}
for word in $subcommands; do expect_completion "$word" keepwatch "${word:0:2}"; done
expect_completion --headless keepwatch --he
expect_completion --format keepwatch export --f
expect_completion jsonl keepwatch export --format ""
expect_completion --interval keepwatch keepalive --int
got=$(complete_words keepwatch keepalive --f)
[ -z "${got// /}" ] && ok "completion: keepalive offers no export option" ||
    bad "completion: keepalive offers export's options"
touch "$scratch/home/ws-file.json"
expect_completion "$scratch/home/ws-file.json" keepwatch check --workspace "$scratch/home/ws-"

# -------------------------------------------------------------------------------------------------
# The same files in the DEB, the RPM and the TGZ (directories aside: each format lists its own).
dpkg-deb -c "$deb" | awk '$1 ~ /^[-l]/ { sub(/^\./, "", $6); print $6 }' | sort >"$scratch/deb.list"
rpmq -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpmfile" | awk '$1 ~ /^[-l]/ { print $2 }' | sort >"$scratch/rpm.list"
(cd "$scratch/tgz" && find . ! -type d | sed 's|^\.|/usr|' | sort) >"$scratch/tgz.list"
diff "$scratch/deb.list" "$scratch/rpm.list" && ok "RPM holds the DEB's $(wc -l <"$scratch/deb.list") files" ||
    bad "RPM and DEB file lists differ (above: < deb, > rpm)"
diff "$scratch/deb.list" "$scratch/tgz.list" && ok "TGZ holds the DEB's files" || bad "TGZ and DEB file lists differ"
# The RPM installs and erases with rpm into a scratch root (its requirements are Fedora's package
# names, which this Debian machine cannot resolve: --nodeps); its binary runs from there.
rpmroot="$scratch/rpmroot"
rpmdb=(env HOME="$scratch/rpmhome" rpm --root "$rpmroot" --dbpath /var/lib/rpm)
mkdir -p "$rpmroot"
if "${rpmdb[@]}" --initdb 2>/dev/null && "${rpmdb[@]}" -i --nodeps "$rpmfile" 2>"$scratch/rpm-install.log"; then
    [ "$("$rpmroot/usr/bin/keepwatch" --version)" = "keepwatch $version" ] && ok "rpm -i into a scratch root; its keepwatch runs" ||
        bad "the RPM's keepwatch --version"
    "${rpmdb[@]}" -e keepwatch 2>>"$scratch/rpm-install.log"
    left=$(cd "$rpmroot" && find . ! -type d ! -path './var/lib/rpm/*')
    [ -z "$left" ] && ok "rpm -e leaves no file behind" || bad "rpm -e left: $left"
else
    cat "$scratch/rpm-install.log"
    bad "rpm -i into a scratch root"
fi

# -------------------------------------------------------------------------------------------------
# Install with apt-get, run from the installed paths, purge. The trap removes the package and what the
# test made outside the scratch directory, also when a check fails or the script is interrupted.
if dpkg-query -W -f='${Status}' keepwatch 2>/dev/null | grep -q 'install ok installed'; then
    bad "keepwatch is already installed on this machine: not touching it (apt-get purge keepwatch first)"
    exit 1
fi
apt=(apt-get -y -q -o DPkg::Lock::Timeout=300)
made_state=
cleanup() {
    if dpkg-query -W -f='${Status}' keepwatch 2>/dev/null | grep -q installed; then
        DEBIAN_FRONTEND=noninteractive "${apt[@]}" purge keepwatch >/dev/null 2>&1
    fi
    [ -n "$made_state" ] && rm -rf /var/lib/keepwatch
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dirs=$(sed 's|/[^/]*$||' "$scratch/deb.list" | awk -F/ '{ p = ""; for (i = 2; i <= NF; i++) { p = p "/" $i; print p } }' | sort -u)
listing() { for d in $dirs; do [ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1; done | sort -u; }
listing >"$scratch/before.list"

cp "$deb" "$scratch/keepwatch_test.deb"
if DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "$scratch/keepwatch_test.deb" \
    >"$scratch/apt-install.log" 2>&1; then
    ok "apt-get install ./$(basename "$deb")"
else
    cat "$scratch/apt-install.log"
    bad "apt-get install"
    exit 1
fi
[ "$(command -v keepwatch)" = /usr/bin/keepwatch ] && ok "keepwatch on PATH at /usr/bin" || bad "keepwatch not at /usr/bin"
[ "$(keepwatch --version)" = "keepwatch $version" ] && ok "keepwatch --version: keepwatch $version" || bad "--version"
keepwatch keepalive >"$scratch/keepalive.txt" 2>&1 && [ -s "$scratch/keepalive.txt" ] && ok "keepwatch keepalive" ||
    { cat "$scratch/keepalive.txt"; bad "keepwatch keepalive"; }
keepwatch check --workspace /usr/share/keepwatch/workspaces/example.json >/dev/null && ok "shipped example workspace loads" ||
    bad "shipped example workspace"
# Five seconds headless: the event log lands in the user data dir the app uses.
HOME="$scratch/home" XDG_DATA_HOME= XDG_CONFIG_HOME= keepwatch --headless --demo --duration 5 --events - \
    >"$scratch/demo.jsonl" 2>"$scratch/demo.err"
status=$?
if [ $status -eq 0 ] && grep -q '"state":"up"' "$scratch/demo.jsonl"; then
    ok "installed keepwatch --headless --demo ran 5 s, endpoints came up"
else
    cat "$scratch/demo.err"
    bad "headless demo (exit $status)"
fi
# The window, on the offscreen platform plugin (from libqt6gui6, a dependency): still running after five
# seconds means Qt found its platform plugin and the SQLite driver; timeout ends it (status 124).
HOME="$scratch/home-gui" QT_QPA_PLATFORM=offscreen timeout 5 keepwatch --demo >"$scratch/gui.log" 2>&1
status=$?
[ $status -eq 124 ] && ok "installed window ran 5 s on the offscreen platform" ||
    { tail -n 20 "$scratch/gui.log"; bad "installed window exited with $status"; }
man -w keepwatch >/dev/null && ok "man keepwatch finds the page" || bad "man keepwatch"
# systemd-analyze checks the unit offline (no running systemd needed): syntax, ExecStart, man page.
if systemd-analyze verify /usr/lib/systemd/system/keepwatch.service >"$scratch/verify.log" 2>&1 && [ ! -s "$scratch/verify.log" ]; then
    ok "systemd-analyze verify keepwatch.service"
else
    cat "$scratch/verify.log"
    bad "systemd-analyze verify keepwatch.service"
fi

# User data: the event log of the run above plus a workspace in the user's data dir, and a service's
# state directory. None of it belongs to the package; purging must leave it.
userdata="$scratch/home/.local/share/keepwatch/keepwatch"
cp /usr/share/keepwatch/workspaces/example.json "$userdata/workspace.json"
if [ ! -e /var/lib/keepwatch ]; then
    made_state=1
    mkdir -p /var/lib/keepwatch
    cp "$userdata/events.sqlite" "$userdata/workspace.json" /var/lib/keepwatch/
fi
[ -f "$userdata/events.sqlite" ] && ok "event log in $userdata" || bad "no event log in $userdata"
sums=$(cd "$userdata" && sha256sum events.sqlite workspace.json)

DEBIAN_FRONTEND=noninteractive "${apt[@]}" purge keepwatch >"$scratch/apt-purge.log" 2>&1 && ok "apt-get purge keepwatch" ||
    { cat "$scratch/apt-purge.log"; bad "apt-get purge"; }
listing >"$scratch/after.list"
diff "$scratch/before.list" "$scratch/after.list" && ok "purge left nothing behind in the package's $(wc -w <<<"$dirs") directories" ||
    bad "the file system differs after purge (above: < before, > after)"
[ "$(cd "$userdata" && sha256sum events.sqlite workspace.json)" = "$sums" ] && ok "user data survived purge" ||
    bad "user data changed or vanished on purge"
if [ -n "$made_state" ]; then
    [ -f /var/lib/keepwatch/events.sqlite ] && ok "/var/lib/keepwatch survived purge" || bad "/var/lib/keepwatch removed by purge"
fi

[ $fail -eq 0 ] && echo "all packaging checks passed" || echo "packaging checks FAILED"
exit $fail
