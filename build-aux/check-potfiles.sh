#!/bin/sh
# Checks that po/POTFILES.in is sorted, lists only files that exist, and
# lists every source file with translatable strings.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$top"
potfiles=po/POTFILES.in
status=0

listed=$(grep -v -e '^#' -e '^$' "$potfiles")

if ! printf '%s\n' "$listed" | LC_ALL=C sort -c 2>/dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)"
  status=1
fi

for file in $listed; do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in lists $file, which does not exist"
    status=1
  fi
done

translatable=$(find src data -type f \( -name '*.c' -o -name '*.ui' -o -name '*.in' -o -name '*.xml' \) \
  -exec grep -l -E '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)\(|translatable="yes"|<_?summary>|^Name=' {} + \
  | grep -v -e '\.gresource\.xml' -e '/icons/' | LC_ALL=C sort)

for file in $translatable; do
  if ! printf '%s\n' "$listed" | grep -qxF "$file"; then
    echo "$file has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "po/POTFILES.in is complete and sorted"
exit "$status"
