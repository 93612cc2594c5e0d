/* keras.c — the model as a Keras functional-API definition, block by block
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In the style of keras.applications' VGG16 and the tutorials built on it: layer names
 * block1_conv1 … block5_pool, flatten, fc1, fc2, predictions (so a published Keras file's
 * weights load by name), channels last. Batch norm, which keras.applications' VGGs lack, is
 * written as Conv2D → BatchNormalization(epsilon=1e-5, as torch) → Activation("relu").
 */
#include "config.h"

#include "code-private.h"

#include <math.h>
#include <stdio.h>

static void
write_preprocess (const VggModel *model,
                  VggCodeText    *text)
{
  const VggConfig *c = &model->config;
  long margin_h = c->input_height, margin_w = c->input_width;

  vgg_code_text_printf (text, "# What the network is given (VGG Scope's \"%s\" preset): a PIL "
                              "picture becomes a\n# %d x %d x %d array (channels last).\n",
                        vgg_preset_name (model->preset), c->input_height, c->input_width,
                        c->input_channels);
  if (model->preset == VGG_PRESET_FASHION_MNIST)
    {
      vgg_code_write_fashion_class (text);
      vgg_code_text_printf (text, "preprocess = FashionMNISTStyle(%d, %d)\n\n\n",
                            c->input_height, c->input_width);
      return;
    }
  if (model->preset == VGG_PRESET_CAFFE)
    {
      vgg_code_text_printf (text,
        "def preprocess(picture):\n"
        "    \"\"\"The whole picture resized, BGR, 0-255 minus the ImageNet mean (Keras' "
        "\"caffe\" mode).\"\"\"\n"
        "    rgb = picture.convert(\"RGB\").resize((%d, %d), Image.BILINEAR)\n"
        "    bgr = np.asarray(rgb, dtype=np.float32)[..., ::-1]\n"
        "    return bgr - np.array([103.939, 116.779, 123.68], dtype=np.float32)\n\n\n",
        c->input_width, c->input_height);
      return;
    }
  if (model->preset == VGG_PRESET_TORCHVISION)
    {
      margin_h = c->input_height == 224 ? 256 : lround (c->input_height * 256.0 / 224.0);
      margin_w = c->input_width == 224 ? 256 : lround (c->input_width * 256.0 / 224.0);
    }
  vgg_code_text_printf (text,
    "def preprocess(picture):\n"
    "    \"\"\"Resized to cover %ld x %ld (bilinear), centre-cropped to %d x %d, %s.\"\"\"\n"
    "    picture = picture.convert(\"RGB\")\n"
    "    w, h = picture.size\n"
    "    if w * %ld >= h * %ld:\n"
    "        picture = picture.resize((%ld * w // h, %ld), Image.BILINEAR)\n"
    "    else:\n"
    "        picture = picture.resize((%ld, %ld * h // w), Image.BILINEAR)\n"
    "    w, h = picture.size\n"
    "    top, left = int(round((h - %d) / 2.0)), int(round((w - %d) / 2.0))\n"
    "    picture = picture.crop((left, top, left + %d, top + %d))\n",
    margin_h, margin_w, c->input_height, c->input_width,
    c->input_channels == 1 ? "grey in [0, 1]"
    : model->preset == VGG_PRESET_TORCHVISION ? "RGB normalised as torchvision does"
                                              : "RGB in [0, 1]",
    margin_h, margin_w, margin_h, margin_h, margin_w, margin_w,
    c->input_height, c->input_width, c->input_width, c->input_height);
  if (c->input_channels == 1)
    vgg_code_text_append (text, "    x = np.asarray(picture.convert(\"L\"), dtype=np.float32)"
                                "[..., None] / np.float32(255)\n");
  else
    vgg_code_text_append (text, "    x = np.asarray(picture, dtype=np.float32) / "
                                "np.float32(255)\n");
  if (model->preset == VGG_PRESET_TORCHVISION)
    vgg_code_text_append (text, "    x = (x - np.array([0.485, 0.456, 0.406], dtype=np.float32))"
                                " / np.array(\n        [0.229, 0.224, 0.225], dtype=np.float32)\n");
  vgg_code_text_append (text, "    return x\n\n\n");
}

VggStatus
vgg_code_write_keras (const VggModel *model,
                      const char     *weights_name,
                      VggCodeText    *text)
{
  const VggConfig *c = &model->config;
  int n_fc = 0, convs = 0;
  char name[32];

  for (int b = 0; b < c->n_blocks; b++)
    convs += c->block_convs[b];

  vgg_code_text_append (text, "# ");
  vgg_code_text_comment_safe (text, model->name);
  vgg_code_text_append (text, " as Keras code (functional API), written by VGG Scope");
  if (weights_name != NULL)
    {
      vgg_code_text_append (text, " from ");
      vgg_code_text_comment_safe (text, weights_name);
    }
  vgg_code_text_append (text, ".\n#\n"
    "# Channels last (N x H x W x C). Keras flattens in H, W, C order where PyTorch flattens\n"
    "# C, H, W: a PyTorch file's first dense weights need their rows reordered to load here.\n");
  if (model->source == VGG_SOURCE_KERAS_H5 && weights_name != NULL)
    {
      vgg_code_text_append (text, "# The layer names are keras.applications': "
                                  "model.load_weights(");
      vgg_code_text_python_string (text, weights_name);
      vgg_code_text_append (text, ")\n");
    }
  vgg_code_text_append (text, model->preset == VGG_PRESET_FASHION_MNIST
                              ? "\nimport math\n\nimport numpy as np\n" : "\nimport numpy as np\n");
  vgg_code_text_append (text, "from PIL import Image\nfrom tensorflow import keras\n"
                              "from tensorflow.keras import layers\n\n\n");
  write_preprocess (model, text);

  vgg_code_text_printf (text, "inputs = keras.Input(shape=(%d, %d, %d), name=\"input\")\n"
                              "x = inputs\n",
                        c->input_height, c->input_width, c->input_channels);
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];

      switch (layer->kind)
        {
        case VGG_LAYER_CONV:
          if (i == 0 || model->layers[i - 1].kind == VGG_LAYER_POOL)
            vgg_code_text_printf (text, "\n# Block %d\n", layer->block);
          {
            int index = 1;
            for (int j = i - 1; j >= 0 && model->layers[j].kind == VGG_LAYER_CONV; j--)
              index++;
            snprintf (name, sizeof name, "block%d_conv%d", layer->block, index);
            if (c->batch_norm)
              {
                vgg_code_text_printf (text, "x = layers.Conv2D(%d, (3, 3), padding=\"same\", "
                                            "name=\"%s\")(x)\n", layer->channels_out, name);
                vgg_code_text_printf (text, "x = layers.BatchNormalization(epsilon=1e-5, "
                                            "name=\"block%d_bn%d\")(x)\n", layer->block, index);
                vgg_code_text_printf (text, "x = layers.Activation(\"relu\", "
                                            "name=\"block%d_relu%d\")(x)\n", layer->block, index);
              }
            else
              vgg_code_text_printf (text, "x = layers.Conv2D(%d, (3, 3), padding=\"same\", "
                                          "activation=\"relu\", name=\"%s\")(x)\n",
                                    layer->channels_out, name);
          }
          break;
        case VGG_LAYER_POOL:
          vgg_code_text_printf (text, "x = layers.MaxPooling2D((2, 2), strides=(2, 2), "
                                      "name=\"block%d_pool\")(x)  # %d x %d x %d\n",
                                layer->block, layer->height_out, layer->width_out,
                                layer->channels_out);
          break;
        case VGG_LAYER_FC:
          if (n_fc == 0)
            vgg_code_text_append (text, "\n# Classification block\n"
                                        "x = layers.Flatten(name=\"flatten\")(x)\n");
          n_fc++;
          if (layer->relu)
            vgg_code_text_printf (text, "x = layers.Dense(%d, activation=\"relu\", "
                                        "name=\"fc%d\")(x)\n", layer->channels_out, n_fc);
          else
            vgg_code_text_printf (text, "x = layers.Dense(%d, activation=\"softmax\", "
                                        "name=\"predictions\")(x)\n", layer->channels_out);
          break;
        case VGG_LAYER_SOFTMAX:
        case VGG_LAYER_N_KINDS:
        default:
          break;
        }
    }

  snprintf (name, sizeof name, "vgg%d%s", convs + (c->n_classes > 0 ? c->n_hidden_fc + 1 : 3),
            c->batch_norm ? "_bn" : "");
  vgg_code_text_printf (text, "\nmodel = keras.Model(inputs, x, name=\"%s\")%s\n", name,
                        c->n_classes > 0 ? "" : "  # feature maps only: no classifier");
  vgg_code_text_append (text,
    "\n"
    "if __name__ == \"__main__\":\n"
    "    import sys\n"
    "\n"
    "    model.summary()\n"
    "    if len(sys.argv) == 2:  # a picture\n"
    "        output = model.predict(preprocess(Image.open(sys.argv[1]))[None])\n"
    "        print(output.shape)\n");
  return VGG_STATUS_OK;
}
