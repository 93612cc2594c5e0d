/* vgg.h — the VGG Scope inference engine: models, runs, hooks, receptive fields, images
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This header is the engine's manual. The engine is plain C17 on top of OpenBLAS,
 * libjpeg-turbo and libpng; it knows nothing of GTK or GLib.
 *
 * Layout: every activation tensor is float32, NCHW, C order ("row-major"):
 *   element (n, c, y, x) of a [N, C, H, W] tensor is at ((n*C + c)*H + y)*W + x.
 * Fully connected outputs are [N, C] (H = W = 1).
 *
 * Objects and lifetimes:
 *   VggModel   immutable after loading: weights and layer descriptors. Share it freely
 *              between threads; free it after every VggRun made from it is freed.
 *   VggRun     one per thread: the planned activation and scratch memory for a batch size,
 *              the watch mask and the hook. Not thread-safe except vgg_run_cancel().
 *   VggImage   an 8-bit RGB picture owned by the caller (vgg_image_clear()).
 *
 * Errors: every fallible call returns a VggStatus and fills an optional VggError with a
 * sentence a user can read (file name, tensor name, expected and found shapes).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Status and errors
 */

typedef enum
{
  VGG_STATUS_OK = 0,
  VGG_STATUS_INVALID_ARGUMENT,  /* a caller passed something impossible */
  VGG_STATUS_IO,                /* the file could not be opened, read or mapped */
  VGG_STATUS_FORMAT,            /* the bytes are not a valid file of the detected format */
  VGG_STATUS_UNSUPPORTED,       /* valid, but not something the engine can use */
  VGG_STATUS_UNSAFE,            /* a pickle asked for a global or opcode we refuse */
  VGG_STATUS_SHAPE,             /* a tensor is missing or has the wrong shape */
  VGG_STATUS_TOO_LARGE,         /* dimensions beyond the engine's limits */
  VGG_STATUS_NO_MEMORY,
  VGG_STATUS_CANCELLED,         /* vgg_run_cancel() was called */
  VGG_STATUS_STOPPED,           /* a hook returned false */
  VGG_STATUS_NOT_FINITE,        /* a weight, an input or a result is NaN or infinite */
  VGG_STATUS_N_STATUSES
} VggStatus;

#define VGG_ERROR_MESSAGE_SIZE 512

typedef struct
{
  VggStatus status;
  char      message[VGG_ERROR_MESSAGE_SIZE];
} VggError;

/* A short, constant English phrase for a status ("file format error"). */
const char *vgg_status_string (VggStatus status);

/* ---------------------------------------------------------------------------------------------
 * Configurations
 */

#define VGG_MAX_BLOCKS 8
#define VGG_MAX_FC     4
#define VGG_NAME_SIZE  32

/* A VGG-style network: blocks of 3×3 stride-1 "same" convolutions with ReLU, each block
 * followed by a 2×2 stride-2 max-pool, then fully connected layers with ReLU (all but the
 * last) and a softmax. VGG16 is {64,128,256,512,512} × {2,2,3,3,3}, fc {4096,4096}, 1000. */
typedef struct
{
  int  n_blocks;
  int  block_widths[VGG_MAX_BLOCKS];   /* output channels of every conv in block b */
  int  block_convs[VGG_MAX_BLOCKS];    /* convs in block b */
  int  input_channels;                 /* 3 for RGB, 1 for grey */
  int  input_height;
  int  input_width;
  int  n_hidden_fc;                    /* fully connected layers before the classifier */
  int  hidden_fc_widths[VGG_MAX_FC];
  int  n_classes;                      /* 0: no classifier ("notop": feature maps only) */
  bool batch_norm;                     /* the weights come with BN (folded at load) */
} VggConfig;

/* Fills @config for "vgg11", "vgg13", "vgg16", "vgg19" and their "_bn" variants
 * (configurations A, B, D and E of Simonyan & Zisserman, Table 1). */
VggStatus vgg_config_for_name (VggConfig *config, const char *name, VggError *error);

/* Checks a parametric configuration against the engine's limits. */
VggStatus vgg_config_validate (const VggConfig *config, VggError *error);

/* ---------------------------------------------------------------------------------------------
 * Preprocessing presets: how a picture becomes the input tensor. Each model carries one.
 */

typedef enum
{
  VGG_PRESET_TORCHVISION = 0, /* shorter side → 256 (bilinear, antialiased), centre crop 224,
                                 RGB in [0,1], minus mean [0.485,0.456,0.406], / std [0.229,0.224,0.225] */
  VGG_PRESET_CAFFE,           /* resize to the input size, RGB→BGR, 0–255 minus [103.939,116.779,123.68] */
  VGG_PRESET_PLAIN,           /* resize the shorter side, centre crop, RGB (or grey) in [0,1]; for
                                 parametric models whose input is not 224×224 */
  VGG_PRESET_FASHION_MNIST,   /* grey, light object on black as in Fashion-MNIST: a picture with a
                                 bright border is inverted, cropped to its object, scaled to fit
                                 28×28 and centred on the black input; values in [0,1] */
  VGG_PRESET_N_PRESETS
} VggPreset;

const char *vgg_preset_name (VggPreset preset);           /* "torchvision", "caffe", "plain",
                                                             "fashion-mnist" */
bool        vgg_preset_from_name (const char *name, VggPreset *preset);

/* ---------------------------------------------------------------------------------------------
 * Layers
 */

typedef enum
{
  VGG_LAYER_CONV = 0, /* 3×3/1 same convolution + bias (BN folded in) + ReLU */
  VGG_LAYER_POOL,     /* 2×2/2 max-pool */
  VGG_LAYER_FC,       /* fully connected + bias (+ ReLU unless it is the classifier); the
                         first one flattens its input in C,H,W order */
  VGG_LAYER_SOFTMAX,  /* "prob" */
  VGG_LAYER_N_KINDS
} VggLayerKind;

const char *vgg_layer_kind_name (VggLayerKind kind);       /* "conv", "pool", "fc", "softmax" */

/* Which tensors of a layer a hook sees. CONV and hidden FC layers have both; the others
 * only VGG_STAGE_OUTPUT. */
typedef enum
{
  VGG_STAGE_PRE_ACTIVATION = 1 << 0, /* after the bias, before the ReLU */
  VGG_STAGE_OUTPUT         = 1 << 1, /* the layer's output (after its ReLU, if any) */
} VggStage;

/* The receptive field of one unit of a layer, in input pixels: a unit at (y, x) of the layer
 * is centred on input pixel coordinate start + jump·(y, x) and sees a size × size square
 * (before clipping to the image). start is a pixel-centre coordinate and can be fractional. */
typedef struct
{
  int    size;
  int    jump;
  double start;
} VggReceptiveField;

typedef struct
{
  int               index;                 /* 0-based position in the model */
  char              name[VGG_NAME_SIZE];   /* "conv1_1" … "pool5", "fc6", "fc7", "fc8", "prob" */
  VggLayerKind      kind;
  int               block;                 /* 1-based conv block; 0 for FC and softmax */
  bool              relu;                  /* has a ReLU after its linear part */
  int               channels_in, height_in, width_in;
  int               channels_out, height_out, width_out;
  int64_t           params;                /* weights + biases (BN folded: counted as in the file) */
  int64_t           macs;                  /* multiply-accumulates at batch 1 */
  VggReceptiveField receptive_field;       /* FC and softmax: the whole input */
} VggLayer;

/* A rectangle of input pixels: [x, x+width) × [y, y+height). */
typedef struct
{
  int x, y, width, height;
} VggRect;

/* ---------------------------------------------------------------------------------------------
 * Models
 */

typedef struct VggModel VggModel;

typedef enum
{
  VGG_SOURCE_RANDOM = 0,   /* built in memory with random weights: untrained */
  VGG_SOURCE_SAFETENSORS,
  VGG_SOURCE_PTH_ZIP,      /* torch.save, torch ≥ 1.6 */
  VGG_SOURCE_PTH_LEGACY,   /* torch.save, torch ≤ 1.5 (the official vgg16/vgg19 files) */
  VGG_SOURCE_KERAS_H5,     /* Keras HDF5 weights (published, Keras 2 and Keras 3 layouts) */
  VGG_SOURCE_ONNX,         /* an ONNX graph (model zoo, torch.onnx.export) */
  VGG_SOURCE_N_SOURCES
} VggSource;

const char *vgg_source_name (VggSource source); /* "random", "safetensors", "pth (zip)", … */

/* What a load may use besides the file. Zero-initialise it ({ 0 }) for the defaults; the
 * engine reads no environment variable (the CLI and the app fill this from theirs). */
typedef struct
{
  const char *cache_dir;   /* Keras and ONNX weights cannot be used in place: their converted
                              tensors are written once to this folder (created if missing) as
                              safetensors and memory-mapped from there on later loads; the
                              entry's name comes from the source's real path, size, inode and
                              modification time. NULL or "": no cache (the converted tensors
                              stay in memory) */
  const char *h5_reader;   /* the vgg-scope-h5-reader program, which reads Keras HDF5 files in
                              a process of its own (libhdf5 is not safe against damaged files;
                              its crash is a VGG_STATUS_FORMAT error): NULL means the installed
                              one (LIBEXECDIR/vgg-scope-h5-reader), or the build tree's when
                              that is missing. A missing reader is a VGG_STATUS_IO error
                              naming the path. */
} VggLoadOptions;

/* Reads a weight file — PyTorch .pth (zip or legacy), safetensors, Keras HDF5 or ONNX; the
 * format is detected from its first bytes, never its name. The
 * architecture (depth, widths, BN, FC widths, class count, input size) is inferred from the
 * tensors; safetensors "__metadata__" may add a display name, preset, class names and
 * whether the model is trained (keys "vgg_scope.name", ".preset", ".classes" (one per line),
 * ".trained", ".input_channels"). Weights are memory-mapped and used in place where the
 * format and alignment allow. Every weight is checked once: a NaN or infinity is refused
 * (VGG_STATUS_NOT_FINITE) with the tensor's name. Anything but a regular file (a FIFO, a
 * device, a folder) is refused before it is read (VGG_STATUS_IO), and so are Keras files
 * whose datasets keep their values outside the file (VGG_STATUS_UNSAFE). */
VggStatus vgg_model_load_with_options (VggModel **model, const char *path,
                                       const VggLoadOptions *options, VggError *error);
/* The same with the default options (no cache, the installed HDF5 reader). */
VggStatus vgg_model_load (VggModel **model, const char *path, VggError *error);

/* The same from a whole safetensors file in memory (embedded weights). @bytes must outlive
 * the model: aligned tensors are used in place. @name stands for a file name in messages. */
VggStatus vgg_model_load_memory (VggModel **model, const void *bytes, size_t size,
                                 const char *name, VggError *error);

/* An untrained model with He-initialised weights from a fixed @seed. */
VggStatus vgg_model_new_random (VggModel **model, const VggConfig *config, uint64_t seed,
                                VggError *error);

/* The embedded default model (see the README for what it is). */
VggStatus vgg_model_new_default (VggModel **model, VggError *error);

void              vgg_model_free (VggModel *model);

const VggConfig  *vgg_model_config (const VggModel *model);
const char       *vgg_model_name (const VggModel *model);      /* "VGG16", "VGG16-BN", "VGG-style 4-8-16" */
VggSource         vgg_model_source (const VggModel *model);
/* The model's preprocessing, a plain enum: compare it directly
 * (vgg_model_preset (model) == VGG_PRESET_FASHION_MNIST). */
VggPreset         vgg_model_preset (const VggModel *model);
bool              vgg_model_is_trained (const VggModel *model);
int               vgg_model_n_classes (const VggModel *model);
/* Class @index's name; ImageNet names for 1000-class models, "class N" when unknown. */
const char       *vgg_model_class_name (const VggModel *model, int index);
/* Whether the class names are real: from the file's metadata (or the embedded model's), or
 * ImageNet's for a 1000-class model; false when they are the generated "class N" names or
 * the model has no classifier. */
bool              vgg_model_has_class_names (const VggModel *model);
int64_t           vgg_model_n_params (const VggModel *model);
int64_t           vgg_model_n_macs (const VggModel *model);

int               vgg_model_n_layers (const VggModel *model);
const VggLayer   *vgg_model_layer (const VggModel *model, int index);
/* The weights of layer @index as the engine runs them (batch norm folded in): a convolution's
 * [C_out, C_in, 3, 3] and [C_out], a fully connected layer's [n_out, n_in] (its input
 * flattened in C,H,W order) and [n_out]. Read-only, valid as long as @model. Returns false
 * (and NULLs) for pools, softmax and a missing layer. */
bool              vgg_model_layer_weights (const VggModel *model, int index,
                                           const float **weight, const float **bias);

/* The index of the layer called @name, or -1. */
int               vgg_model_find_layer (const VggModel *model, const char *name);

/* Input pixels seen by unit (@y, @x) of layer @index, clipped to the input image.
 * Returns false when the layer or the unit does not exist. */
bool              vgg_model_receptive_rect (const VggModel *model, int index, int y, int x,
                                            VggRect *rect);
/* The reverse: the units of layer @index whose receptive field (as vgg_model_receptive_rect()
 * gives it) contains input pixel (@y, @x), as a rectangle of unit coordinates: x and width
 * count columns of the layer's output, y and height its rows. Returns false for fully
 * connected and softmax layers (every unit sees every pixel), for a pixel outside the
 * input, and when no unit sees the pixel (a floor-mode pool can drop a last odd row). */
bool              vgg_model_reverse_receptive_rect (const VggModel *model, int index, int y,
                                                    int x, VggRect *units);

/* ---------------------------------------------------------------------------------------------
 * Runs and hooks
 */

typedef struct VggRun VggRun;

typedef struct
{
  int             layer_index;
  const VggLayer *layer;
  VggStage        stage;
  int             batch;           /* N of the tensor below */
  const float    *data;            /* [batch, channels_out, height_out, width_out]; valid only
                                      during the call, read-only */
  size_t          count;           /* batch × channels_out × height_out × width_out */
} VggHookEvent;

/* Called on the thread that runs the forward pass, after each watched layer stage. Return
 * true to continue, false to stop the whole run (vgg_run_forward() returns VGG_STATUS_STOPPED). */
typedef bool (*VggHookFunc) (const VggHookEvent *event, void *user_data);

/* For a hook that keeps what it sees (VggHookEvent.data lives only during the call): copies
 * @channels planes of @plane values from @data into @copy (NULL: no copy) and writes each
 * channel's mean, minimum, maximum and fraction of values exactly 0, reading every value
 * once. Big tensors are shared out over the engine's pool (vgg_set_threads()), which is idle
 * while a hook runs. The mean is summed in float over blocks of 1024 values and in double
 * across blocks. */
void vgg_channel_statistics (float *copy, const float *data, int channels, size_t plane,
                             float *mean, float *min, float *max, float *zero_fraction);

/* How a run computes, fixed when it is made. Zero-initialise it ({ 0 }) for the defaults and
 * set what you need; the engine reads no environment variable (the CLI maps VGG_SCOPE_EXACT,
 * VGG_SCOPE_CONV_MIB, VGG_SCOPE_SIMD and VGG_SCOPE_WINOGRAD_BLOCK_KIB onto these fields). */
typedef struct
{
  bool        exact;              /* every convolution but the first through im2col + sgemm,
                                     like the reference (within 1e-6 of a layer's largest
                                     value); default false: Winograd F(4×4,3×3) or F(2×2,3×3)
                                     where the cost model prefers it, within about 1e-5 and
                                     the same top-5 classes */
  double      conv_memory_mib;    /* budget for the transformed convolution weights a run
                                     keeps; ≤ 0: 120 MiB */
  const char *simd;               /* the kernel set: "generic", "avx2" or "avx512" if this CPU
                                     has it; NULL, "" or any other name: the best one */
  int         winograd_block_kib; /* one Winograd block's transformed input and output (the
                                     working set of its three phases); 0: 8192 KiB */
} VggRunOptions;

/* Plans and allocates all memory a forward pass at batch size @batch needs, and chooses each
 * convolution's algorithm: direct for the first layer, Winograd F(4×4,3×3) or F(2×2,3×3)
 * for the others (im2col + sgemm in exact runs), within a memory budget for the transformed
 * weights (@options->conv_memory_mib), which are computed here once per run. Original
 * weights the run no longer reads are dropped from memory when they are mapped from the
 * weight file. @options NULL means the defaults; out-of-range values are
 * VGG_STATUS_INVALID_ARGUMENT. */
VggStatus    vgg_run_new_with_options (VggRun **run, const VggModel *model, int batch,
                                       const VggRunOptions *options, VggError *error);
/* The same with the default options. */
VggStatus    vgg_run_new (VggRun **run, const VggModel *model, int batch, VggError *error);
void         vgg_run_free (VggRun *run);

int          vgg_run_batch (const VggRun *run);

/* The hook called for watched layers; NULL removes it. */
void         vgg_run_set_hook (VggRun *run, VggHookFunc hook, void *user_data);
/* Which stages of layer @index the hook sees (a VggStage mask; 0 unwatches). Unwatched
 * layers cost nothing. @index -1 sets every layer. */
void         vgg_run_watch (VggRun *run, int index, unsigned stages);

/* Asks the forward pass running on @run to stop before its next layer; it then returns
 * VGG_STATUS_CANCELLED. Safe from any thread. A request made while no pass runs is dropped
 * when the next vgg_run_forward() starts, so a late cancel never stops a later job: check
 * your own cancellation before starting one. */
void         vgg_run_cancel (VggRun *run);

/* Runs the network on @input [batch, C, H, W] (already preprocessed). On success the
 * probabilities are in vgg_run_probs() and the logits in vgg_run_logits(). An input value
 * that is NaN or infinite is refused before the pass, and logits that come out non-finite
 * (weights that overflow float32 on this input) are reported instead of returned: both
 * VGG_STATUS_NOT_FINITE. */
VggStatus    vgg_run_forward (VggRun *run, const float *input, VggError *error);

/* [batch, n_classes], valid until the next forward or vgg_run_free(). NULL without a
 * classifier. */
const float *vgg_run_probs (const VggRun *run);
const float *vgg_run_logits (const VggRun *run);

/* The top @k classes of batch item @n by probability, largest first; returns how many were
 * written (min(k, classes)). */
int          vgg_run_top_k (const VggRun *run, int n, int k, int *classes, float *probs);

/* Whether the run was made exact (VggRunOptions.exact). */
bool         vgg_run_get_exact (const VggRun *run);

/* Where the last forward pass spent its time. */
typedef struct
{
  double      seconds;     /* the layer's wall time (0 when fused into the layer before) */
  const char *algorithm;   /* what ran: "winograd-f4x4+relu+pool", "direct+relu",
                              "im2col-sgemm", "sgemv", "fused into the convolution", … ("" before
                              the first forward); a constant string */
} VggLayerProfile;

/* Fills @profile for layer @index of the last forward pass; false if there is no such layer. */
bool         vgg_run_layer_profile (const VggRun *run, int index, VggLayerProfile *profile);

/* ---------------------------------------------------------------------------------------------
 * Images and preprocessing
 */

typedef struct
{
  int      width;
  int      height;
  uint8_t *pixels;   /* RGB8, rows top to bottom, stride 3 × width; owned */
} VggImage;

#define VGG_IMAGE_MAX_PIXELS ((int64_t) 1 << 28)  /* decoded size limit (after JPEG scaling) */

/* Decodes a JPEG (EXIF orientation applied; very large files decoded at a reduced scale) or a
 * PNG (alpha composited on white, grey expanded to RGB). The format comes from the bytes. */
VggStatus vgg_image_load (VggImage *image, const char *path, VggError *error);
VggStatus vgg_image_load_memory (VggImage *image, const void *bytes, size_t size,
                                 VggError *error);
/* Writes an 8-bit RGB PNG. */
VggStatus vgg_image_save_png (const VggImage *image, const char *path, VggError *error);
void      vgg_image_clear (VggImage *image);

/* Fills @input [channels, height, width] from @image following @preset. @channels is 3 (RGB
 * or BGR by preset) or 1 (grey). If @seen is not NULL it receives the resized, cropped
 * picture as the network sees it (before normalisation). */
VggStatus vgg_preprocess (float *input, int channels, int height, int width,
                          const VggImage *image, VggPreset preset, VggImage *seen,
                          VggError *error);

/* What a preset does to one picture, step by step, for a teacher to show: the sizes, the
 * crop, the channel order and the numbers of the normalisation (filled by
 * vgg_preprocess_steps()). Value of input channel c at a pixel whose 8-bit value (after the
 * channel order) is v: (v / scale − mean[c]) / std[c]. */
typedef struct
{
  VggPreset preset;
  int       channels, height, width;      /* the input tensor's */
  int       image_width, image_height;    /* the original picture's */
  /* torchvision, caffe, plain: resize the whole picture (PIL bilinear, antialiased) to
   * resize_width × resize_height, then cut the input's window at (crop_left, crop_top) */
  int       resize_width, resize_height;
  int       crop_left, crop_top;
  bool      bgr;                          /* channel 0 is blue (caffe) */
  bool      grey;                         /* one channel: ITU-R 601 luma */
  float     scale;                        /* 255 ([0,1] values) or 1 (0–255 values) */
  float     mean[3], std[3];              /* per input channel (std 1 where there is none) */
  /* fashion-mnist: grey; inverted when the border ring (mean `background` before inverting)
   * is bright; the background level subtracted and the brightest pixel stretched to 255; the
   * object's box cut out, scaled to fit_width × fit_height within side × side and centred on
   * the input */
  bool      invert;
  int       background;
  int       box_x, box_y, box_width, box_height;
  int       fit_width, fit_height, side;
} VggPreprocessSteps;

/* Fills @steps for @image under @preset and an input of @channels × @height × @width, with
 * the same checks as vgg_preprocess(). If @resized is not NULL it receives the intermediate
 * picture (RGB8, owned by the caller): the whole resized picture before the crop, or for
 * fashion-mnist the grey, polarity-corrected, stretched picture before the box is cut. */
VggStatus vgg_preprocess_steps (VggPreprocessSteps *steps, int channels, int height, int width,
                                const VggImage *image, VggPreset preset, VggImage *resized,
                                VggError *error);

/* The same for the model's preset and input size. */
VggStatus vgg_model_preprocess (const VggModel *model, float *input, const VggImage *image,
                                VggImage *seen, VggError *error);

/* ---------------------------------------------------------------------------------------------
 * Visualisation helpers shared by the CLI and the app
 */

typedef enum
{
  VGG_COLORMAP_VIRIDIS = 0,
  VGG_COLORMAP_MAGMA,
  VGG_COLORMAP_GREY,
  VGG_COLORMAP_N_COLORMAPS
} VggColormap;

/* Maps t ∈ [0,1] (clamped) to RGB8. */
void vgg_colormap_lookup (VggColormap map, float t, uint8_t rgb[3]);

/* Renders @channels maps of @height × @width (one [C,H,W] tensor) as a grid of tiles,
 * @columns wide (0 picks a near-square grid), each tile normalised on its own (or on the
 * whole tensor with @per_layer), one-pixel gaps. */
VggStatus vgg_render_grid (VggImage *image, const float *maps, int channels, int height,
                           int width, int columns, int tile_scale, bool per_layer,
                           VggColormap map, VggError *error);

/* ---------------------------------------------------------------------------------------------
 * .npy files (NumPy's format, little-endian float32, C order), for exchange with other tools
 */

#define VGG_NPY_MAX_DIMS 8

typedef struct
{
  int     ndim;
  int64_t shape[VGG_NPY_MAX_DIMS];
  float  *data;     /* owned */
  size_t  count;
} VggNpy;

VggStatus vgg_npy_load (VggNpy *npy, const char *path, VggError *error);
VggStatus vgg_npy_save (const char *path, const float *data, int ndim, const int64_t *shape,
                        VggError *error);
void      vgg_npy_clear (VggNpy *npy);

/* ---------------------------------------------------------------------------------------------
 * Threads
 */

/* Threads the engine uses; @n_threads < 1 means the number of online CPUs, the default
 * (the engine reads no environment variable: the CLI and the app pass VGG_SCOPE_THREADS
 * here). Forward passes and training run on the engine's own pool of that many threads (the
 * calling one included; idle workers sleep), which also splits every matrix product, so
 * OpenBLAS is set to a single thread once, when the engine first sets or reads this
 * count, and left there: a program that calls OpenBLAS itself gets one thread too. Two runs
 * forwarding at once on different threads do not share the pool: the second runs on its
 * calling thread alone. */
void vgg_set_threads (int n_threads);
int  vgg_get_threads (void);

/* The nice value (0 … 19) of the pool's worker threads; < 0 (the default) leaves them at
 * the value they were created with. A GUI sets it above its main thread's, so that drawing
 * keeps its frames while a pass runs on every core. A worker applies a change when it next
 * wakes; without privileges a thread's nice value can only rise, so lowering it again may
 * not take. The thread that calls vgg_run_forward() takes part in the work: its own
 * priority is the caller's to set. */
void vgg_set_worker_niceness (int niceness);
int  vgg_get_worker_niceness (void);

#ifdef __cplusplus
}
#endif
