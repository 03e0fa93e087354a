#!/usr/bin/env python3
# Writes the translatable strings of data/styles.json as a C file of
# N_("…") and NC_("style category", "…") lines that xgettext reads (gettext cannot read JSON), or with
# --check fails when that file is out of date.
# SPDX-License-Identifier: GPL-3.0-or-later
"""Usage: extract-style-strings.py [--check] STYLES_JSON OUTPUT_H"""

import json
import sys

HEADER = """\
/* lk-style-strings.h: the names and descriptions of the built-in styles,
 * for xgettext; never compiled. LkStyleLibrary translates them at load.
 * Written by build-aux/extract-style-strings.py from data/styles.json:
 * edit that file and run the script instead of editing this one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
"""


def c_string(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


def render(data):
    lines = [HEADER]
    categories = {}
    for category in data["categories"]:
        categories[category["id"]] = category["name"]
        lines.append("/* Translators: a category of portrait styles in the gallery. */")
        lines.append('NC_("style category", %s);' % c_string(category["name"]))
        lines.append("")
    for style in data["styles"]:
        category = categories.get(style["category"], style["category"])
        lines.append("/* Translators: the name of a portrait style (%s), shown on its card. */" % category)
        lines.append("N_(%s);" % c_string(style["name"]))
        lines.append("/* Translators: the one-line description of the portrait style “%s”. */" % style["name"])
        lines.append("N_(%s);" % c_string(style["description"]))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv):
    check = "--check" in argv
    paths = [arg for arg in argv if arg != "--check"]
    if len(paths) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, output = paths
    with open(source, encoding="utf-8") as f:
        text = render(json.load(f))
    if check:
        try:
            with open(output, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("%s is out of date with %s: run build-aux/extract-style-strings.py %s %s"
                  % (output, source, source, output))
            return 1
        print("%s is up to date" % output)
        return 0
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
