/* preset-fashion.c — the "fashion-mnist" preset as a Python class, step for step
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * image/preprocess.c's preprocess_fashion_mnist() in numpy and PIL, with the same integer
 * arithmetic: PIL's luma, the border ring's integer mean, C's truncating division (only ever
 * applied to non-negative numbers here, where Python's // agrees), lround() as floor(x + 0.5)
 * for the non-negative fit sizes, PIL's bilinear resize, and the float32 division by 255.
 */
#include "config.h"

#include "code-private.h"

void
vgg_code_write_fashion_class (VggCodeText *text)
{
  vgg_code_text_append (text,
    "class FashionMNISTStyle:\n"
    "    \"\"\"Fashion-MNIST's look: grey, a light object on black, cropped to the object,\n"
    "    fitted to 28 x 28 and centred on the black height x width input.\"\"\"\n"
    "\n"
    "    def __init__(self, height, width, side=28):\n"
    "        self.height, self.width = height, width\n"
    "        self.side = side if height >= side and width >= side else min(height, width)\n"
    "\n"
    "    def __call__(self, picture):\n"
    "        grey = np.asarray(picture.convert(\"RGB\").convert(\"L\"), dtype=np.int64)\n"
    "        h, w = grey.shape\n"
    "        side = self.side\n"
    "        # the border ring (1/16 of the shorter side) tells the background: bright means\n"
    "        # a dark object on light, so invert\n"
    "        ring = max(min(w, h) // 16, 1)\n"
    "        border = np.ones((h, w), dtype=bool)\n"
    "        border[ring:h - ring, ring:w - ring] = False\n"
    "        background = int(grey[border].sum()) // int(border.sum())\n"
    "        invert = background > 127\n"
    "        if invert:\n"
    "            grey = 255 - grey\n"
    "            background = 255 - background\n"
    "        if w == 28 and h == 28 and side == 28 and not invert:\n"
    "            canvas = grey.astype(np.uint8)  # already Fashion-MNIST\n"
    "        else:\n"
    "            brightest = int(grey.max())\n"
    "            top = brightest - background if brightest > background else 1\n"
    "            threshold = max(top // 4, 12)\n"
    "            ys, xs = np.nonzero(grey > background + threshold)\n"
    "            if len(xs) == 0:  # nothing stands out: the whole picture\n"
    "                x0, x1, y0, y1 = 0, w - 1, 0, h - 1\n"
    "            else:\n"
    "                x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()\n"
    "            # background to black, the brightest pixel to white\n"
    "            grey = np.clip(np.maximum(grey - background, 0) * 255 // top, 0, 255)\n"
    "            box = grey[y0:y1 + 1, x0:x1 + 1].astype(np.uint8)\n"
    "            box_h, box_w = box.shape\n"
    "            longer = max(box_w, box_h)\n"
    "            fit_w = max(int(math.floor(box_w * side / longer + 0.5)), 1)\n"
    "            fit_h = max(int(math.floor(box_h * side / longer + 0.5)), 1)\n"
    "            fit = Image.fromarray(box, mode=\"L\").resize((fit_w, fit_h), Image.BILINEAR)\n"
    "            canvas = np.zeros((side, side), dtype=np.uint8)\n"
    "            top_y, left_x = (side - fit_h) // 2, (side - fit_w) // 2\n"
    "            canvas[top_y:top_y + fit_h, left_x:left_x + fit_w] = np.asarray(fit)\n"
    "        image = np.zeros((self.height, self.width, 1), dtype=np.float32)\n"
    "        y, x = (self.height - side) // 2, (self.width - side) // 2\n"
    "        image[y:y + side, x:x + side, 0] = canvas.astype(np.float32) / np.float32(255)\n"
    "        return image\n"
    "\n\n");
}
