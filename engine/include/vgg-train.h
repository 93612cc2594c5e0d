/* vgg-train.h — gradients and training: backward pass, trainer, optimizer, input gradients
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The second public header of the engine, kept apart from vgg.h: everything here needs a
 * backward pass. Plain C17 on OpenBLAS, no GLib. Conventions are vgg.h's: float32, NCHW at
 * the API, VggStatus + optional VggError on every fallible call.
 *
 * Two objects:
 *   VggGradient  gradients of one unit (or class score) of an inference VggModel w.r.t. the
 *                input image and every layer's output, at batch 1: saliency, Grad-CAM,
 *                effective receptive fields. Borrows the model; one per thread.
 *   VggTrainer   a trainable VGG (own weights, batch norm in training mode, dropout, SGD with
 *                momentum), checkpoints, and export as an inference safetensors file with BN
 *                folded into the convolutions.
 * Both run the same backward kernels (engine/train/backward.c), whose naive twins are the
 * references the tests check against finite differences.
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Input gradients of an inference model
 */

typedef struct VggGradient VggGradient;

/* One unit of a model: channel @channel of layer @layer_index at (@y, @x), seen at @stage
 * (VGG_STAGE_PRE_ACTIVATION for conv and hidden FC layers, else VGG_STAGE_OUTPUT). @y = @x = -1
 * takes the sum over the whole map of that channel. For the classifier ("fc8", no ReLU) the
 * output is the class logit; for "prob" it is the class probability. */
typedef struct
{
  int      layer_index;
  VggStage stage;
  int      channel;
  int      y, x;
} VggUnit;

/* Plans the memory for a forward and backward pass of @model at batch 1. The model must
 * outlive the VggGradient. */
VggStatus    vgg_gradient_new (VggGradient **gradient, const VggModel *model, VggError *error);
void         vgg_gradient_free (VggGradient *gradient);

/* Runs @input [C, H, W] (preprocessed) forward, then back from @unit. On success
 * @grad_input [C, H, W] (may be NULL) holds d unit / d input and @value (may be NULL) the
 * unit's value. The layer tensors below stay valid until the next call. */
VggStatus    vgg_gradient_compute (VggGradient *gradient, const float *input, const VggUnit *unit,
                                   float *grad_input, float *value, VggError *error);

/* After vgg_gradient_compute(): layer @index's output [C, H, W] (after its ReLU) and the
 * gradient of the unit w.r.t. it (zero for layers after the unit's). Grad-CAM is the ReLU of
 * Σ_c mean(gradient_c) · output_c at the last conv layer. NULL for a bad index. */
const float *vgg_gradient_layer_output (const VggGradient *gradient, int index);
const float *vgg_gradient_layer_gradient (const VggGradient *gradient, int index);

/* ---------------------------------------------------------------------------------------------
 * The trainer
 */

typedef struct VggTrainer VggTrainer;

typedef struct
{
  VggConfig config;      /* the architecture; config.batch_norm trains with batch norm after
                            every conv (and no conv bias), folded away on export */
  float     dropout;     /* drop probability after every hidden FC layer's ReLU (0: none) */
  int       max_batch;   /* the largest batch vgg_trainer_forward() will see */
  uint64_t  seed;        /* He initialisation and dropout masks */
} VggTrainerOptions;

VggStatus    vgg_trainer_new (VggTrainer **trainer, const VggTrainerOptions *options,
                              VggError *error);
void         vgg_trainer_free (VggTrainer *trainer);

/* The layer table (names, shapes, MACs) of the network being trained. */
const VggLayer *vgg_trainer_layer (const VggTrainer *trainer, int index);
int          vgg_trainer_n_layers (const VggTrainer *trainer);
const VggConfig *vgg_trainer_config (const VggTrainer *trainer);

/* Every trainable parameter in one block (conv weights [c_out,c_in,3,3], conv biases or BN
 * γ and β, FC weights [n_out,n_in] and biases, layer by layer), and the gradients the last
 * vgg_trainer_backward() wrote, in the same order. */
size_t       vgg_trainer_n_params (const VggTrainer *trainer);
float       *vgg_trainer_params (VggTrainer *trainer);
const float *vgg_trainer_grads (const VggTrainer *trainer);

typedef enum
{
  VGG_PASS_EVAL = 0,  /* BN uses running statistics, no dropout */
  VGG_PASS_TRAIN,     /* BN uses batch statistics (and updates the running ones), dropout */
} VggPass;

/* Restarts the dropout mask generator (tests use it to repeat a training pass exactly). */
void         vgg_trainer_seed_dropout (VggTrainer *trainer, uint64_t seed);

/* Runs @input [batch, C, H, W] forward; the logits are then in vgg_trainer_logits(). A
 * VGG_PASS_TRAIN pass saves what vgg_trainer_backward() needs. */
VggStatus    vgg_trainer_forward (VggTrainer *trainer, const float *input, int batch,
                                  VggPass pass, VggError *error);
const float *vgg_trainer_logits (const VggTrainer *trainer);   /* [batch, n_classes] */

/* Mean softmax cross-entropy of the last forward's logits against @labels [batch] (values in
 * [0, n_classes)); also stores d loss / d logits for vgg_trainer_backward(). @n_correct (may
 * be NULL) receives how many argmax predictions match. */
float        vgg_trainer_loss (VggTrainer *trainer, const int *labels, int *n_correct);

/* Back-propagates the gradient of the last vgg_trainer_loss() into vgg_trainer_grads()
 * (overwritten, not accumulated). If @grad_input is not NULL it receives d loss / d input
 * [batch, C, H, W]. After a VGG_PASS_TRAIN forward the gradient goes through the batch
 * statistics (and the dropout masks); after a VGG_PASS_EVAL one BN is the affine map of its
 * running statistics. */
VggStatus    vgg_trainer_backward (VggTrainer *trainer, float *grad_input, VggError *error);

/* One step of SGD with (Nesterov, if @nesterov) momentum: v = μ·v + g + λ·w (λ only on conv
 * and FC weights, never biases or BN), w −= lr·v (Nesterov: w −= lr·(g + λ·w + μ·v)). */
void         vgg_trainer_sgd_step (VggTrainer *trainer, float learning_rate, float momentum,
                                   float weight_decay, bool nesterov);

/* The learning rate at @step (0-based, clamped to [0, @total)) of a one-cycle schedule: a
 * linear warm-up from @peak/25 to @peak over the first @warmup fraction of @total steps, then
 * cosine annealing down to @peak/1e4 at the last step. */
float        vgg_one_cycle_learning_rate (float peak, int64_t step, int64_t total,
                                          float warmup);

/* A metadata entry of a safetensors file ("__metadata__" is a string → string map). */
typedef struct
{
  const char *key;
  const char *value;
} VggMetadataItem;

/* Writes the whole training state (parameters, momentum, BN running statistics, dropout
 * generator) plus @items as a safetensors file; the file is written to PATH.tmp and renamed,
 * so an interrupted save never leaves a broken checkpoint. */
VggStatus    vgg_trainer_save_checkpoint (const VggTrainer *trainer, const char *path,
                                          const VggMetadataItem *items, int n_items,
                                          VggError *error);

/* Called for every metadata entry of a checkpoint being loaded. */
typedef void (*VggMetadataFunc) (const char *key, const char *value, void *user_data);

/* Restores a checkpoint written by vgg_trainer_save_checkpoint() for the same architecture
 * (VGG_STATUS_SHAPE otherwise); @func (may be NULL) sees its metadata. */
VggStatus    vgg_trainer_load_checkpoint (VggTrainer *trainer, const char *path,
                                          VggMetadataFunc func, void *user_data,
                                          VggError *error);

/* Writes an inference model for vgg_model_load(): torchvision names (features.N.weight/bias,
 * classifier.K.weight/bias), BN folded into the convolutions with the running statistics,
 * and @items as metadata (vgg_scope.name, .preset, .classes, .trained, …). */
VggStatus    vgg_trainer_export (const VggTrainer *trainer, const char *path,
                                 const VggMetadataItem *items, int n_items, VggError *error);

/* ---------------------------------------------------------------------------------------------
 * IDX files (MNIST, Fashion-MNIST): the caller decompresses; these parse
 */

typedef struct
{
  int      count;      /* images or labels */
  int      height;     /* 0 for labels */
  int      width;
  uint8_t *data;       /* owned: count × height × width bytes, or count labels */
} VggIdx;

/* Parses an uncompressed IDX file of unsigned bytes with 1 (labels) or 3 (images)
 * dimensions, checking every size against @size. */
VggStatus    vgg_idx_parse (VggIdx *idx, const void *bytes, size_t size, VggError *error);
void         vgg_idx_clear (VggIdx *idx);

#ifdef __cplusplus
}
#endif
