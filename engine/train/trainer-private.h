/* trainer-private.h — the VggTrainer's insides, shared by trainer.c and checkpoint.c (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "train-private.h"

struct VggTrainer
{
  VggTrainerOptions options;
  VggModel         *model;        /* the layer table only; its weights are unset */
  VggNet            net;

  float            *params;       /* n_params, layer by layer (see vgg_trainer_params) */
  float            *grads;
  float            *velocity;     /* SGD momentum */
  size_t            n_params;
  float            *running;      /* BN running mean and var, layer by layer */
  size_t            n_running;

  float            *grad_logits;  /* [max_batch, n_classes] from the last loss */
  bool              have_loss;
};
