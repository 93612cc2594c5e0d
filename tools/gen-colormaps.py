#!/usr/bin/python3
# gen-colormaps.py — prints the 256-entry colormap tables of engine/render.c
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# viridis and magma are by Nathaniel J. Smith, Stéfan van der Walt and Eric Firing, released
# under CC0; the float tables come from Debian's python3-matplotlib. Each entry is rounded to
# 8 bits per channel.
#   /usr/bin/python3 tools/gen-colormaps.py > /tmp/tables.c   (then paste into render.c)

from matplotlib import colormaps


def table(name):
    cmap = colormaps[name].resampled(256)
    print(f"static const uint8_t colormap_{name}[256][3] = {{")
    for i in range(0, 256, 4):
        cells = []
        for j in range(i, i + 4):
            r, g, b, _ = cmap(j)
            cells.append("{ %3d, %3d, %3d }" % tuple(round(c * 255) for c in (r, g, b)))
        print("  " + ", ".join(cells) + ",")
    print("};")


table("viridis")
print()
table("magma")
