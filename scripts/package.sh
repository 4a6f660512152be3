#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds dist/ghostport_<version>_<arch>.deb from this checkout (its tracked and new files, as they are now)
# with debhelper (packaging/debian), then checks it with lintian, which must report no error.
#   scripts/package.sh            build-pkg/ holds the copy it builds (kept, so a rebuild hits ccache)
# Needs root to install its build dependencies the first time (scripts/deps.sh --package).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --package

version=$(sed -n 's/^project(ghostport VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || { echo "package.sh: no version in CMakeLists.txt's project()" >&2; exit 2; }
# The commit --version prints: the copy below has no .git.
commit=unknown
if git rev-parse --git-dir >/dev/null 2>&1; then
    commit=$(git rev-parse --short=12 HEAD)
    git diff --quiet HEAD -- 2>/dev/null || commit+=-dirty
fi

work=$PWD/build-pkg
src=$work/ghostport-$version
rm -rf "$work"/ghostport_* "$src"
mkdir -p "$src" dist
if git rev-parse --git-dir >/dev/null 2>&1; then
    # Tracked and untracked-but-not-ignored files that exist (a deleted file is not packaged).
    git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
        tar --null -T - -cf - | tar -xf - -C "$src"
else
    tar --exclude='./build*' --exclude=./dist -cf - . | tar -xf - -C "$src"
fi
rm -rf "$src/debian"
cp -r packaging/debian "$src/debian"
# A native package: its version is the project's, its changelog says which commit it was built from.
{
    echo "ghostport ($version) unstable; urgency=medium"
    echo
    echo "  * Built from commit $commit."
    echo
    echo " -- ghostport developers <ghostport-dev@lists.example.org>  $(date -R)"
} >"$src/debian/changelog"

(cd "$src" && GHOSTPORT_COMMIT=$commit dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) || {
    tail -40 "$work/build.log" >&2
    echo "package.sh: dpkg-buildpackage failed (whole log: $work/build.log)" >&2
    exit 3
}
# The copy goes (the binary must find its data where the package puts it, not in a source tree).
rm -rf "$src"
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=dist/ghostport_${version}_${arch}.deb
mv "$work/ghostport_${version}_${arch}.deb" "$deb"
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb"
echo "$deb"
