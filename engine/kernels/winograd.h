/* winograd.h — fast 3×3 convolution: Winograd F(4×4,3×3), a direct first-layer path, the
 *               SIMD kernel sets behind them (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Winograd F(m×m,3×3) (Lavin & Gray, 2015) computes each m×m output tile from an a×a input
 * patch (a = m + 2) with a² multiplications per channel pair instead of 9m²: F(4×4) takes 36
 * instead of 144, F(2×2) 16 instead of 36, with transformed weights 4× or 1.8× the size of
 * the originals:
 *   Y = Aᵀ [ Σ_c (G g Gᵀ)[k,c] ⊙ (Bᵀ d B)[c] ] A
 * The sum over channels is, for each of the a² positions ξ of the transform, a matrix
 * product M[ξ] [K, tiles] = U[ξ] [K, C] · V[ξ] [C, tiles]: a² GEMMs per block of tiles.
 *
 * Data flow for one layer: the tiles of all images of the batch are numbered
 * p = (n·tiles_y + ty)·tiles_x + tx and processed in blocks of block_tiles, sized so one
 * block's transformed input and output stay in the last-level cache. Per block, three
 * parallel phases: input transform → V, 36 GEMMs → M, output transform of M with the bias,
 * the ReLU and, optionally, the following 2×2 max-pool fused in → the output tensor.
 *
 * Layouts (all float32, padded parts are zero):
 *   U (the transformed weights, made once per run):  [k_panels][a²][c_in][8]
 *   V (one block):                                    [a²][block_tiles / nt][c_in][nt]
 *   M (one block):                                    [a²][k_pad][block_tiles]
 * (each ξ plane of V and M padded by a cache line: v_plane, m_plane).
 * where k_pad = 8·k_panels ≥ c_out and nt = vl·nv tiles go through the GEMM micro-kernel at
 * once (vl = the vector width in floats).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* ---- SIMD kernel sets ----------------------------------------------------------------- */

typedef enum
{
  VGG_SIMD_GENERIC = 0, /* the baseline instruction set (SSE2 on x86-64) */
  VGG_SIMD_AVX2,        /* AVX2 + FMA */
  VGG_SIMD_AVX512,      /* AVX-512F */
  VGG_SIMD_N_LEVELS
} VggSimdLevel;

typedef struct VggWinogradPlan VggWinogradPlan;

typedef struct
{
  const char *name;  /* "avx512", "avx2", "generic" */
  int         vl;    /* floats per vector */
  int         nv_max;/* largest number of tile vectors one GEMM micro-kernel call handles */

  /* V for tiles [p, p + count) of the batch, channels [c0, c1): v points at tile p's lane
   * for channel 0 and ξ 0 in the block's V. count ≤ vl. */
  void (*input_tiles) (float *v, const float *in, const VggWinogradPlan *plan, int p, int count,
                       int c0, int c1);
  /* m [8][ldm] (nt = vl·nv columns) = u [c_in][8]ᵀ · v [c_in][nt] */
  void (*gemm) (float *m, const float *u, const float *v, int c_in, int nv, size_t ldm);
  /* Output tiles [p, p + count), channels [k0, k1) from the block's M (m points at tile p's
   * column for ξ 0, channel 0): bias, ReLU, pool as the plan says. count ≤ vl. */
  void (*output_tiles) (float *out, const float *m, const float *bias, const VggWinogradPlan *plan,
                        int p, int count, int k0, int k1);
  /* U panel @panel (8 output channels, all a² positions) of weight [c_out][c_in][3][3] */
  void (*transform_weights) (float *u, const float *weight, const VggWinogradPlan *plan,
                             int panel);
  /* Direct 3×3 convolution of output rows [y0, y1) of image @n, every output channel, for
   * layers with very few input channels (the first): out [c_out, h, w] += bias, ReLU. */
  void (*conv_direct_rows) (float *out, const float *in, const float *weight, const float *bias,
                            int c_in, int h, int w, int c_out, int y0, int y1, bool relu);
  /* c [m][ldc] += a [m][lda] · b [k][ldb] for columns [0, n), every element one chain of
   * multiply-adds over k in order, so its value does not depend on the product's shape or
   * the column's place in it (kernels/gemm-ordered-simd.h); @scratch holds
   * gemm_ordered_scratch floats. One thread: vgg_gemm_ordered_threaded() splits it. */
  void (*gemm_ordered) (float *c, size_t ldc, const float *a, size_t lda, const float *b,
                        size_t ldb, int m, int n, int k, float *scratch);
  size_t gemm_ordered_scratch;
} VggSimdKernels;

/* The kernel set for @level, or NULL if this CPU (or this build) lacks it. */
const VggSimdKernels *vgg_simd_kernels (VggSimdLevel level);
/* The set called @name ("generic", "avx2", "avx512") if this CPU has it, else (or for a NULL
 * or empty @name) the best set this CPU runs. */
const VggSimdKernels *vgg_simd_kernels_best (const char *name);

/* ---- Winograd F(4×4,3×3) -------------------------------------------------------------- */

struct VggWinogradPlan
{
  const VggSimdKernels *simd;
  int    batch, c_in, c_out, h, w;
  int    tile;                       /* m: 4 for F(4×4,3×3), 2 for F(2×2,3×3) */
  int    n_xi;                       /* a² = (m + 2)²: 36 or 16 */
  int    tiles_y, tiles_x, n_tiles;  /* n_tiles over the whole batch */
  int    k_pad, k_panels;
  int    nv, nt;                     /* tile vectors per micro-kernel call, nt = vl·nv */
  int    block_tiles;                /* a multiple of nt */
  size_t v_plane, m_plane;           /* floats from one ξ to the next in V and M: a cache line
                                        more than the data, so the a² planes a transform
                                        touches at once do not all fall in one cache set */
  bool   relu;                       /* fuse max(x, 0) */
  bool   pool;                       /* fuse the following 2×2/2 max-pool: out is
                                        [batch, c_out, h/2, w/2] */
  float *tap;                        /* with pool: also write the convolution's
                                        output after the ReLU, before the pool, here
                                        [batch, c_out, h, w]; NULL: not */
  size_t u_count;                    /* floats in U */
  size_t scratch_count;              /* floats of V and M for one block */
};

/* Plans a layer: in [batch, c_in, h, w] → out [batch, c_out, h, w] (or pooled), with output
 * tiles of @tile (4 or 2), one block's V and M within @block_bytes (0: 8 MiB). */
void vgg_winograd_plan (VggWinogradPlan *plan, const VggSimdKernels *simd, int tile, int batch,
                        int c_in, int h, int w, int c_out, bool relu, bool pool,
                        size_t block_bytes);

/* U (plan->u_count floats, 64-byte aligned) from weight [c_out, c_in, 3, 3]; threaded. */
void vgg_winograd_transform_weights (const VggWinogradPlan *plan, float *u, const float *weight);

/* The convolution; @scratch holds plan->scratch_count floats, 64-byte aligned. Threaded. */
void vgg_winograd_conv (const VggWinogradPlan *plan, float *out, const float *in, const float *u,
                        const float *bias, float *scratch);

/* ---- the direct path for few input channels ------------------------------------------- */

/* The direct path takes at most this many input channels (the first layer has 3 or 1). */
#define VGG_CONV_DIRECT_MAX_C_IN 4

/* out [batch, c_out, h, w] = conv (in [batch, c_in, h, w]) + bias (then ReLU); threaded. */
void vgg_conv3x3_direct (const VggSimdKernels *simd, float *out, const float *in,
                         const float *weight, const float *bias, int batch, int c_in, int h,
                         int w, int c_out, bool relu);

/* ---- the ordered GEMM over the engine's threads (kernels/gemm-ordered.c) ------------- */

/* The scratch vgg_gemm_ordered_threaded() needs for @threads threads, in floats. */
size_t vgg_gemm_ordered_scratch (const VggSimdKernels *simd, int threads);

/* @simd's gemm_ordered() split into blocks of columns (or of rows, when there are more rows)
 * over the pool: c [m][ldc] += a [m][lda] · b [k][ldb]. @scratch holds
 * vgg_gemm_ordered_scratch (simd, scratch_threads) floats, 64-byte aligned; if the pool has
 * more threads than that, the product runs on the calling thread alone. The result does not
 * depend on the thread count, the blocking or the shape: see VggSimdKernels.gemm_ordered. */
void   vgg_gemm_ordered_threaded (const VggSimdKernels *simd, float *c, size_t ldc,
                                  const float *a, size_t lda, const float *b, size_t ldb,
                                  int m, int n, int k, float *scratch, int scratch_threads);

/* The kernel tables, one per instruction set (winograd-*.c). */
extern const VggSimdKernels vgg_simd_kernels_generic;
#if defined(__x86_64__)
extern const VggSimdKernels vgg_simd_kernels_avx2;
extern const VggSimdKernels vgg_simd_kernels_avx512;
#endif
