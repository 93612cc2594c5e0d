/* pytorch.c — the model as a torchvision-style PyTorch module with its preprocessing
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preprocessing written here is the engine's (image/preprocess.c) in torchvision's terms:
 * its torchvision preset is Resize → CenterCrop → ToTensor → Normalize bit for bit, and the
 * others are built from the same pieces (PIL's bilinear resize, torchvision's crop rule) or,
 * for Caffe's BGR mean subtraction and the Fashion-MNIST look, a small transform class.
 */
#include "config.h"

#include "code-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define COMMENT_COLUMN 62

static void
write_header (const VggModel      *model,
              const VggCodeLayout *layout,
              const char          *weights_name,
              VggCodeText         *text)
{
  const char *file = weights_name != NULL ? weights_name : "weights.safetensors";

  vgg_code_text_append (text, "# ");
  vgg_code_text_comment_safe (text, model->name);
  vgg_code_text_append (text, " as PyTorch code, written by VGG Scope");
  if (weights_name != NULL)
    {
      vgg_code_text_append (text, " from ");
      vgg_code_text_comment_safe (text, weights_name);
    }
  vgg_code_text_append (text, ".\n#\n");
  vgg_code_text_append (text,
    "# torchvision's layout: `features` (3x3 convolutions with ReLU, 2x2 max-pools)");
  vgg_code_text_append (text, model->config.n_classes > 0
                              ? "\n# and `classifier` (fully connected layers); the output is "
                                "the logits (softmax\n# gives the probabilities).\n"
                              : "\n# only: the model has no classifier, its output is the last "
                                "pool's feature maps.\n");
  vgg_code_text_append (text, "#\n");
  if (layout->matches_file && weights_name != NULL)
    {
      vgg_code_text_append (text, "# model.state_dict() has the keys and shapes of the file's "
                                  "own tensors, so it loads strictly:\n#\n#     "
                                  "model.load_state_dict(load_weights(");
      vgg_code_text_python_string (text, weights_name);
      vgg_code_text_append (text, "))\n");
    }
  else
    {
      vgg_code_text_append (text, "# The keys follow torchvision's layout. Write the weights "
                                  "under these keys with\n#\n#     vgg-scope-cli info ");
      if (weights_name != NULL)
        {
          vgg_code_text_append (text, "--weights ");
          vgg_code_text_comment_safe (text, weights_name);
          vgg_code_text_append (text, " ");
        }
      vgg_code_text_append (text, "--as pytorch --save-weights model.safetensors\n#\n"
                                  "# and load them strictly:  "
                                  "model.load_state_dict(load_weights(\"model.safetensors\"))\n");
      file = "model.safetensors";
    }
  vgg_code_text_append (text, "#\n# Run it on a picture:  python3 this-file.py ");
  vgg_code_text_comment_safe (text, file);
  vgg_code_text_append (text, " picture.jpg\n\n");

  if (model->preset == VGG_PRESET_FASHION_MNIST)
    vgg_code_text_append (text, "import json\nimport math\nimport struct\nimport sys\n\n"
                                "import numpy as np\n");
  else
    vgg_code_text_append (text, "import json\nimport struct\nimport sys\n\n");
  vgg_code_text_append (text, "import torch\nfrom PIL import Image\nfrom torch import nn\n"
                              "from torchvision import transforms\n\n\n");
}

static void
write_features (const VggModel      *model,
                const VggCodeLayout *layout,
                VggCodeText         *text)
{
  char code[160], comment[96];

  vgg_code_text_append (text, "        self.features = nn.Sequential(\n");
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      int n = layout->feature_index[i];

      if (layer->kind == VGG_LAYER_CONV)
        {
          if (n == 0 || model->layers[i - 1].kind == VGG_LAYER_POOL)
            vgg_code_text_printf (text, "            # block %d: %d x %d\n", layer->block,
                                  layer->height_in, layer->width_in);
          snprintf (code, sizeof code, "            nn.Conv2d(%d, %d, kernel_size=3, padding=1),",
                    layer->channels_in, layer->channels_out);
          snprintf (comment, sizeof comment, "%d  %s", n, layer->name);
          vgg_code_text_commented (text, COMMENT_COLUMN, code, comment);
          if (model->config.batch_norm)
            {
              snprintf (code, sizeof code, "            nn.BatchNorm2d(%d),",
                        layer->channels_out);
              /* the engine computes with it folded into the convolution's weights */
              snprintf (comment, sizeof comment, "%d  (VGG Scope folds it into %s)", ++n,
                        layer->name);
              vgg_code_text_commented (text, COMMENT_COLUMN, code, comment);
            }
          snprintf (comment, sizeof comment, "%d", ++n);
          vgg_code_text_commented (text, COMMENT_COLUMN, "            nn.ReLU(inplace=True),",
                                   comment);
        }
      else if (layer->kind == VGG_LAYER_POOL)
        {
          snprintf (comment, sizeof comment, "%d  %s -> %d x %d x %d", n, layer->name,
                    layer->channels_out, layer->height_out, layer->width_out);
          vgg_code_text_commented (text, COMMENT_COLUMN,
                                   "            nn.MaxPool2d(kernel_size=2, stride=2),", comment);
        }
    }
  vgg_code_text_append (text, "        )\n");
}

static void
write_classifier (const VggModel      *model,
                  const VggCodeLayout *layout,
                  VggCodeText         *text)
{
  char code[160], comment[96];
  int f = 0;

  vgg_code_text_append (text, "        self.classifier = nn.Sequential(\n");
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      int n, next;

      if (layer->kind != VGG_LAYER_FC)
        continue;
      n = layout->classifier_index[f];
      if (f == 0 && layer->height_in * layer->width_in > 1)
        snprintf (code, sizeof code, "            nn.Linear(%d * %d * %d, %d),",
                  layer->channels_in, layer->height_in, layer->width_in, layer->channels_out);
      else
        snprintf (code, sizeof code, "            nn.Linear(%d, %d),",
                  layer->channels_in * layer->height_in * layer->width_in, layer->channels_out);
      snprintf (comment, sizeof comment, "%d  %s%s", n, layer->name,
                layer->relu ? "" : " (the classes)");
      vgg_code_text_commented (text, COMMENT_COLUMN, code, comment);
      f++;
      if (!layer->relu)
        continue;
      /* the slots up to the next Linear: ReLU, Dropout, then nothing torchvision has */
      next = layout->classifier_index[f];
      for (int slot = n + 1; slot < next; slot++)
        {
          snprintf (comment, sizeof comment, "%d", slot);
          if (slot == n + 1)
            vgg_code_text_commented (text, COMMENT_COLUMN, "            nn.ReLU(inplace=True),",
                                     comment);
          else if (slot == n + 2)
            {
              snprintf (code, sizeof code, "            nn.Dropout(p=%g),", layout->dropout);
              vgg_code_text_commented (text, COMMENT_COLUMN, code, comment);
            }
          else
            vgg_code_text_commented (text, COMMENT_COLUMN, "            nn.Identity(),",
                                     comment);
        }
    }
  vgg_code_text_append (text, "        )\n");
}

static const VggLayer *
last_pool (const VggModel *model)
{
  const VggLayer *pool = NULL;

  for (int i = 0; i < model->n_layers; i++)
    if (model->layers[i].kind == VGG_LAYER_POOL)
      pool = &model->layers[i];
  return pool;
}

static void
write_module (const VggModel      *model,
              const VggCodeLayout *layout,
              VggCodeText         *text)
{
  const VggLayer *pool = last_pool (model);
  bool classifier = model->config.n_classes > 0;
  /* torchvision's AdaptiveAvgPool2d((7, 7)) changes nothing on a 7 × 7 map; elsewhere it
   * would change the network, so it is left out */
  bool avgpool = classifier && pool != NULL && pool->height_out == 7 && pool->width_out == 7;

  vgg_code_text_append (text, "class VGG(nn.Module):\n"
                              "    def __init__(self):\n"
                              "        super().__init__()\n");
  write_features (model, layout, text);
  if (avgpool)
    vgg_code_text_append (text, "        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))\n");
  if (classifier)
    write_classifier (model, layout, text);
  vgg_code_text_printf (text, "\n    def forward(self, x):%s\n",
                        model->config.input_channels == 1
                        ? "  # x: N x 1 x H x W (grey)" : "  # x: N x 3 x H x W (RGB)");
  vgg_code_text_append (text, "        x = self.features(x)\n");
  if (avgpool)
    vgg_code_text_append (text, "        x = self.avgpool(x)\n");
  if (classifier)
    vgg_code_text_append (text, "        x = torch.flatten(x, 1)  # C, H, W order\n"
                                "        x = self.classifier(x)\n");
  vgg_code_text_append (text, "        return x\n\n\n"
                              "model = VGG()\n"
                              "model.eval()  # dropout off; batch norm uses its running "
                              "statistics\n\n\n");
}

/* The size of torchvision's Resize for the engine's margin (256 for 224). */
static long
resize_side (const VggModel *model,
             int             side)
{
  if (model->preset != VGG_PRESET_TORCHVISION)
    return side;
  return side == 224 ? 256 : lround (side * 256.0 / 224.0);
}

static void
write_cover_class (VggCodeText *text)
{
  vgg_code_text_append (text,
    "class CoverResize:\n"
    "    \"\"\"Resizes a picture to just cover height x width, keeping its aspect ratio.\"\"\"\n"
    "\n"
    "    def __init__(self, height, width):\n"
    "        self.height, self.width = height, width\n"
    "\n"
    "    def __call__(self, picture):\n"
    "        w, h = picture.size\n"
    "        if w * self.height >= h * self.width:\n"
    "            size = (self.height * w // h, self.height)\n"
    "        else:\n"
    "            size = (self.width, self.width * h // w)\n"
    "        return picture.resize(size, Image.BILINEAR)\n"
    "\n\n");
}

static void
write_preprocess (const VggModel *model,
                  VggCodeText    *text)
{
  const VggConfig *c = &model->config;
  bool square = c->input_height == c->input_width;

  vgg_code_text_printf (text, "# What the network is given (VGG Scope's \"%s\" preset): a PIL "
                              "picture in RGB\n# (Image.open(path).convert(\"RGB\")) becomes a "
                              "%d x %d x %d tensor.\n",
                        vgg_preset_name (model->preset), c->input_channels, c->input_height,
                        c->input_width);
  switch (model->preset)
    {
    case VGG_PRESET_CAFFE:
      vgg_code_text_append (text,
        "class CaffeBGRMeanSubtraction:\n"
        "    \"\"\"Caffe's and Keras' VGG input: BGR channel order, 0-255 minus the ImageNet "
        "mean.\"\"\"\n"
        "\n"
        "    mean_bgr = torch.tensor([103.939, 116.779, 123.68]).view(3, 1, 1)\n"
        "\n"
        "    def __call__(self, rgb):  # uint8, 3 x H x W\n"
        "        return rgb[[2, 1, 0]].float() - self.mean_bgr\n"
        "\n\n");
      vgg_code_text_printf (text,
        "preprocess = transforms.Compose([\n"
        "    transforms.Resize((%d, %d)),  # the whole picture, no crop (bilinear)\n"
        "    transforms.PILToTensor(),\n"
        "    CaffeBGRMeanSubtraction(),\n"
        "])\n", c->input_height, c->input_width);
      return;
    case VGG_PRESET_FASHION_MNIST:
      vgg_code_write_fashion_class (text);
      vgg_code_text_printf (text,
        "preprocess = transforms.Compose([\n"
        "    FashionMNISTStyle(%d, %d),\n"
        "    transforms.ToTensor(),  # 1 x H x W, values kept\n"
        "])\n", c->input_height, c->input_width);
      return;
    case VGG_PRESET_TORCHVISION:
    case VGG_PRESET_PLAIN:
    case VGG_PRESET_N_PRESETS:
    default:
      break;
    }

  if (!square)
    write_cover_class (text);
  vgg_code_text_append (text, "preprocess = transforms.Compose([\n");
  if (square)
    vgg_code_text_printf (text, "    transforms.Resize(%ld),  # the shorter side (bilinear, "
                                "antialiased)\n", resize_side (model, c->input_height));
  else
    vgg_code_text_printf (text, "    CoverResize(%ld, %ld),\n",
                          resize_side (model, c->input_height),
                          resize_side (model, c->input_width));
  if (square)
    vgg_code_text_printf (text, "    transforms.CenterCrop(%d),\n", c->input_height);
  else
    vgg_code_text_printf (text, "    transforms.CenterCrop((%d, %d)),\n", c->input_height,
                          c->input_width);
  if (c->input_channels == 1)
    vgg_code_text_append (text, "    transforms.Grayscale(),  # ITU-R 601 luma, as PIL's "
                                "convert(\"L\")\n");
  vgg_code_text_append (text, "    transforms.ToTensor(),  # values in [0, 1]\n");
  if (model->preset == VGG_PRESET_TORCHVISION)
    vgg_code_text_append (text, "    transforms.Normalize(mean=[0.485, 0.456, 0.406], "
                                "std=[0.229, 0.224, 0.225]),\n");
  vgg_code_text_append (text, "])\n");
}

static void
write_classes (const VggModel *model,
               VggCodeText    *text)
{
  int n = model->config.n_classes;

  vgg_code_text_append (text, "\n");
  if (n == 0)
    return;
  if (!vgg_model_has_class_names (model) || n > 100)
    {
      vgg_code_text_printf (text, "classes = [f\"class {i}\" for i in range(%d)]%s\n\n", n,
                            n == 1000 ? "  # ImageNet's names: torchvision's "
                                        "weights.meta[\"categories\"]" : "");
      return;
    }
  vgg_code_text_append (text, "classes = [\n");
  for (int i = 0; i < n; i++)
    {
      vgg_code_text_append (text, "    ");
      vgg_code_text_python_string (text, vgg_model_class_name (model, i));
      vgg_code_text_append (text, ",\n");
    }
  vgg_code_text_append (text, "]\n\n");
}

static void
write_loader (VggCodeText *text)
{
  vgg_code_text_append (text,
    "\n"
    "def load_weights(path):\n"
    "    \"\"\"The state dict in a .pth or .safetensors file.\"\"\"\n"
    "    if not str(path).endswith(\".safetensors\"):\n"
    "        state = torch.load(path, map_location=\"cpu\")\n"
    "        if not any(torch.is_tensor(v) for v in state.values()):\n"
    "            state = state.get(\"state_dict\", state.get(\"model\", state))  # a checkpoint\n"
    "        return state\n"
    "    try:\n"
    "        from safetensors.torch import load_file\n"
    "        return load_file(path)\n"
    "    except ImportError:\n"
    "        pass\n"
    "    # without the safetensors package: its format is a length, a JSON header, the data\n"
    "    dtypes = {\"F32\": torch.float32, \"F16\": torch.float16, \"BF16\": torch.bfloat16,\n"
    "              \"F64\": torch.float64, \"I64\": torch.int64, \"I32\": torch.int32}\n"
    "    with open(path, \"rb\") as f:\n"
    "        (length,) = struct.unpack(\"<Q\", f.read(8))\n"
    "        header = json.loads(f.read(length))\n"
    "        data = f.read()\n"
    "    state = {}\n"
    "    for name, info in header.items():\n"
    "        if name == \"__metadata__\":\n"
    "            continue\n"
    "        begin, end = info[\"data_offsets\"]\n"
    "        values = torch.frombuffer(bytearray(data[begin:end]), dtype=dtypes[info[\"dtype\"]])\n"
    "        state[name] = values.reshape(info[\"shape\"])\n"
    "    return state\n"
    "\n\n");
}

static void
write_main (const VggModel *model,
            VggCodeText    *text)
{
  vgg_code_text_append (text,
    "if __name__ == \"__main__\":\n"
    "    if len(sys.argv) != 3:\n"
    "        sys.exit(f\"usage: {sys.argv[0]} WEIGHTS PICTURE\")\n"
    "    model.load_state_dict(load_weights(sys.argv[1]))\n"
    "    picture = Image.open(sys.argv[2]).convert(\"RGB\")\n"
    "    with torch.no_grad():\n"
    "        output = model(preprocess(picture).unsqueeze(0))\n");
  if (model->config.n_classes > 0)
    vgg_code_text_printf (text,
      "    probabilities = torch.softmax(output, dim=1)[0]\n"
      "    for p, k in zip(*probabilities.topk(%d)):\n"
      "        print(f\"{100 * p:6.2f}%%  {classes[int(k)]}\")\n",
      model->config.n_classes < 5 ? model->config.n_classes : 5);
  else
    vgg_code_text_append (text, "    print(\"feature maps:\", tuple(output.shape))\n");
}

VggStatus
vgg_code_write_pytorch (const VggModel *model,
                        const char     *weights_name,
                        VggCodeText    *text)
{
  VggCodeLayout layout;

  vgg_code_layout (model, &layout);
  write_header (model, &layout, weights_name, text);
  write_module (model, &layout, text);
  write_preprocess (model, text);
  write_classes (model, text);
  write_loader (text);
  write_main (model, text);
  return VGG_STATUS_OK;
}
