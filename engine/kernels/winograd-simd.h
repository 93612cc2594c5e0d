/* winograd-simd.h — the SIMD kernels, written once in GCC vector extensions and compiled
 *                    once per instruction set (winograd-avx512.c, -avx2.c, -generic.c)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The including file defines SIMD_VL (floats per vector), SIMD_NV_MAX (tile vectors per
 * GEMM micro-kernel call: as many as keep 8·nv accumulators in registers) and
 * SIMD_KERNELS (the name of the VggSimdKernels table), and is compiled with the matching
 * -m flags and -ffp-contract=fast so a·b + c becomes one FMA.
 *
 * The transforms work on vl tiles at once, one tile per vector lane: the 6×6 input patches
 * (or the 6×6 products) of vl tiles are gathered into a staging array of 36 vectors,
 * transformed with vector arithmetic and written out as vectors (V) or scattered (output).
 */
#include "winograd.h"

#include <string.h>

#if !defined(SIMD_VL) || !defined(SIMD_NV_MAX) || !defined(SIMD_KERNELS)
# error "define SIMD_VL, SIMD_NV_MAX and SIMD_KERNELS before including winograd-simd.h"
#endif

typedef float vf __attribute__ ((vector_size (SIMD_VL * sizeof (float))));
typedef float vfu __attribute__ ((vector_size (SIMD_VL * sizeof (float)), aligned (4)));
typedef int vi __attribute__ ((vector_size (SIMD_VL * sizeof (int))));
/* eight lanes, for the weight transform whose lanes are the 8 channels of a U panel */
typedef float v8 __attribute__ ((vector_size (8 * sizeof (float))));
typedef float v8u __attribute__ ((vector_size (8 * sizeof (float)), aligned (4)));

#define VL SIMD_VL

/* Two-source shuffles with constant lane indices into a ++ b (clang's __builtin_shufflevector
 * takes only constants; GCC's __builtin_shuffle takes a mask vector). The index lists for
 * moving between "one tile per lane" and "consecutive pixels of a row": IDX_EVEN (IDX_ODD)
 * unzip elements 0, 2, 4, … (1, 3, 5, …); IDX_LO (IDX_HI) zip a0 b0 a1 b1 … of the low
 * (high) halves; IDX_NEXT2 (IDX_NEXT1) give a1 … a(vl−1), then b(vl−2) (b(vl−1)). */
#if VL == 4
# define IDX_ZERO  0, 0, 0, 0
# define IDX_EVEN  0, 2, 4, 6
# define IDX_ODD   1, 3, 5, 7
# define IDX_LO    0, 4, 1, 5
# define IDX_HI    2, 6, 3, 7
# define IDX_NEXT2 1, 2, 3, 6
# define IDX_NEXT1 1, 2, 3, 7
#elif VL == 8
# define IDX_ZERO  0, 0, 0, 0, 0, 0, 0, 0
# define IDX_EVEN  0, 2, 4, 6, 8, 10, 12, 14
# define IDX_ODD   1, 3, 5, 7, 9, 11, 13, 15
# define IDX_LO    0, 8, 1, 9, 2, 10, 3, 11
# define IDX_HI    4, 12, 5, 13, 6, 14, 7, 15
# define IDX_NEXT2 1, 2, 3, 4, 5, 6, 7, 14
# define IDX_NEXT1 1, 2, 3, 4, 5, 6, 7, 15
#elif VL == 16
# define IDX_ZERO  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
# define IDX_EVEN  0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30
# define IDX_ODD   1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31
# define IDX_LO    0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23
# define IDX_HI    8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31
# define IDX_NEXT2 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 30
# define IDX_NEXT1 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 31
#else
# error "SIMD_VL must be 4, 8 or 16"
#endif

#ifdef __clang__
# define SHUFFLE2(a, b, ...) __builtin_shufflevector (a, b, __VA_ARGS__)
#else
# define SHUFFLE2(a, b, ...) __builtin_shuffle (a, b, (vi) { __VA_ARGS__ })
#endif

static inline vf
load (const float *p)
{
  return *(const vfu *) p;
}

static inline void
store (float *p, vf v)
{
  *(vfu *) p = v;
}

static inline vf
splat (float x)
{
  vf v = { x };

  return SHUFFLE2 (v, v, IDX_ZERO);
}

static inline vf
vmax (vf a, vf b)
{
  vi greater = a > b;

  return (vf) ((greater & (vi) a) | (~greater & (vi) b));
}

/* Bᵀ x for one column (or row) of six: the F(4×4,3×3) input transform; in place is fine */
#define INPUT_1D(x0, x1, x2, x3, x4, x5, y0, y1, y2, y3, y4, y5)        \
  do {                                                                  \
    vf a0_ = x0, a1_ = x1, a2_ = x2, a3_ = x3, a4_ = x4, a5_ = x5;      \
    vf t0_ = a4_ - 4.0f * a2_, t1_ = a3_ - 4.0f * a1_;                  \
    vf t2_ = a4_ - a2_, t3_ = 2.0f * (a3_ - a1_);                       \
    y0 = 4.0f * a0_ - 5.0f * a2_ + a4_;                                 \
    y1 = t0_ + t1_;                                                     \
    y2 = t0_ - t1_;                                                     \
    y3 = t2_ + t3_;                                                     \
    y4 = t2_ - t3_;                                                     \
    y5 = 4.0f * a1_ - 5.0f * a3_ + a5_;                                 \
  } while (0)

/* Aᵀ m for one column (or row) of six: the output transform (y0…y3 may be m0…m3) */
#define OUTPUT_1D(m0, m1, m2, m3, m4, m5, y0, y1, y2, y3)               \
  do {                                                                  \
    vf s1_ = m1 + m2, d1_ = m1 - m2, s2_ = m3 + m4, d2_ = m3 - m4;      \
    vf m5_ = m5;                                                        \
    y0 = m0 + s1_ + s2_;                                                \
    y1 = d1_ + 2.0f * d2_;                                              \
    y2 = s1_ + 4.0f * s2_;                                              \
    y3 = d1_ + 8.0f * d2_ + m5_;                                         \
  } while (0)

/* Bᵀ x for F(2×2,3×3), in place */
#define INPUT_1D_F2(x0, x1, x2, x3)                                      \
  do {                                                                  \
    vf a0_ = x0, a1_ = x1, a2_ = x2, a3_ = x3;                          \
    x0 = a0_ - a2_;                                                     \
    x1 = a1_ + a2_;                                                     \
    x2 = a2_ - a1_;                                                     \
    x3 = a1_ - a3_;                                                     \
  } while (0)

/* Aᵀ m for F(2×2,3×3) */
#define OUTPUT_1D_F2(m0, m1, m2, m3, y0, y1)                              \
  do {                                                                  \
    vf b1_ = m1, b2_ = m2, b3_ = m3;                                    \
    y0 = m0 + b1_ + b2_;                                                \
    y1 = b1_ - b2_ - b3_;                                               \
  } while (0)

typedef struct
{
  const float *base;  /* image n, channel 0 */
  int          y0, x0;
  bool         interior;
} TileLane;

#define ALWAYS_INLINE inline __attribute__ ((always_inline))

/* The input patches of tiles [p, p + count): origins T·(ty, tx) − 1. */
static ALWAYS_INLINE void
tile_lanes (TileLane *lanes, const float *in, const VggWinogradPlan *plan, int p, int count,
            const int T)
{
  int per_image = plan->tiles_y * plan->tiles_x;
  const int A = T + 2;

  for (int l = 0; l < count; l++)
    {
      int q = p + l;
      int n = q / per_image;
      int r = q - n * per_image;
      int ty = r / plan->tiles_x;
      int tx = r - ty * plan->tiles_x;

      lanes[l].y0 = T * ty - 1;
      lanes[l].x0 = T * tx - 1;
      lanes[l].base = in + (size_t) n * plan->c_in * plan->h * plan->w;
      lanes[l].interior = lanes[l].y0 >= 0 && lanes[l].y0 + A <= plan->h && lanes[l].x0 >= 0
                          && lanes[l].x0 + A <= plan->w;
    }
}

/* col[j][l] = src[T·l + j] for j < T + 2: the patch columns of vl tiles side by side;
 * reads src[0 … T·vl + 2). */
static ALWAYS_INLINE void
row_columns (vf *col, const float *src, const int T)
{
  vf tail = load (src + T * VL + 2 - VL);  /* src[T·vl], src[T·vl + 1] in its last lanes */

  if (T == 4)
    {
      vf w0 = load (src), w1 = load (src + VL), w2 = load (src + 2 * VL), w3 = load (src + 3 * VL);
      vf e01 = SHUFFLE2 (w0, w1, IDX_EVEN), o01 = SHUFFLE2 (w0, w1, IDX_ODD);
      vf e23 = SHUFFLE2 (w2, w3, IDX_EVEN), o23 = SHUFFLE2 (w2, w3, IDX_ODD);

      col[0] = SHUFFLE2 (e01, e23, IDX_EVEN);
      col[2] = SHUFFLE2 (e01, e23, IDX_ODD);
      col[1] = SHUFFLE2 (o01, o23, IDX_EVEN);
      col[3] = SHUFFLE2 (o01, o23, IDX_ODD);
      col[4] = SHUFFLE2 (col[0], tail, IDX_NEXT2);
      col[5] = SHUFFLE2 (col[1], tail, IDX_NEXT1);
    }
  else
    {
      vf w0 = load (src), w1 = load (src + VL);

      col[0] = SHUFFLE2 (w0, w1, IDX_EVEN);
      col[1] = SHUFFLE2 (w0, w1, IDX_ODD);
      col[2] = SHUFFLE2 (col[0], tail, IDX_NEXT2);
      col[3] = SHUFFLE2 (col[1], tail, IDX_NEXT1);
    }
}

/* The inverse for outputs: dst[span·l + j] = y[j][l] for j < span (1, 2 or 4). */
static ALWAYS_INLINE void
row_store (float *dst, const vf *y, int span)
{
  if (span == 1)
    store (dst, y[0]);
  else if (span == 2)
    {
      store (dst, SHUFFLE2 (y[0], y[1], IDX_LO));
      store (dst + VL, SHUFFLE2 (y[0], y[1], IDX_HI));
    }
  else
    {
      vf z0 = SHUFFLE2 (y[0], y[2], IDX_LO), z1 = SHUFFLE2 (y[0], y[2], IDX_HI);
      vf z2 = SHUFFLE2 (y[1], y[3], IDX_LO), z3 = SHUFFLE2 (y[1], y[3], IDX_HI);

      store (dst, SHUFFLE2 (z0, z2, IDX_LO));
      store (dst + VL, SHUFFLE2 (z0, z2, IDX_HI));
      store (dst + 2 * VL, SHUFFLE2 (z1, z3, IDX_LO));
      store (dst + 3 * VL, SHUFFLE2 (z1, z3, IDX_HI));
    }
}

static ALWAYS_INLINE void
input_tiles_t (float *v, const float *in, const VggWinogradPlan *plan, int p, int count, int c0,
               int c1, const int T)
{
  const int A = T + 2;
  float stage[36][VL] __attribute__ ((aligned (64)));
  TileLane lanes[VL];
  size_t plane = (size_t) plan->h * plan->w;
  size_t xi_stride = plan->v_plane;
  int nt = plan->nt;
  int h = plan->h, w = plan->w;

  bool row_path;

  tile_lanes (lanes, in, plan, p, count, T);
  if (count < VL)
    memset (stage, 0, sizeof stage);
  /* all lanes side by side in one tile row, every patch inside the map */
  row_path = count == VL && lanes[0].base == lanes[VL - 1].base
             && lanes[0].y0 == lanes[VL - 1].y0 && lanes[0].y0 >= 0 && lanes[0].y0 + A <= h
             && lanes[0].x0 >= 0 && lanes[0].x0 + T * VL + 2 <= w;

  for (int c = c0; c < c1; c++)
    {
      vf d[36];

      if (row_path)
        {
          const float *row = lanes[0].base + c * plane + (size_t) lanes[0].y0 * w + lanes[0].x0;
          for (int i = 0; i < A; i++, row += w)
            row_columns (d + i * A, row, T);
          goto transform;
        }

      for (int l = 0; l < count; l++)
        {
          const TileLane *lane = &lanes[l];
          const float *src = lane->base + c * plane;

          if (lane->interior)
            {
              const float *row = src + (size_t) lane->y0 * w + lane->x0;
              for (int i = 0; i < A; i++, row += w)
                for (int j = 0; j < A; j++)
                  stage[i * A + j][l] = row[j];
            }
          else
            {
              for (int i = 0; i < A; i++)
                {
                  int y = lane->y0 + i;
                  for (int j = 0; j < A; j++)
                    {
                      int x = lane->x0 + j;
                      stage[i * A + j][l] = (y >= 0 && y < h && x >= 0 && x < w)
                                            ? src[(size_t) y * w + x] : 0.0f;
                    }
                }
            }
        }

      for (int e = 0; e < A * A; e++)
        d[e] = *(const vf *) stage[e];

    transform:
      /* columns, then rows */
      if (T == 4)
        {
          for (int j = 0; j < 6; j++)
            INPUT_1D (d[j], d[6 + j], d[12 + j], d[18 + j], d[24 + j], d[30 + j],
                      d[j], d[6 + j], d[12 + j], d[18 + j], d[24 + j], d[30 + j]);
          for (int i = 0; i < 6; i++)
            {
              vf *r = d + 6 * i;
              INPUT_1D (r[0], r[1], r[2], r[3], r[4], r[5], r[0], r[1], r[2], r[3], r[4], r[5]);
            }
        }
      else
        {
          for (int j = 0; j < 4; j++)
            INPUT_1D_F2 (d[j], d[4 + j], d[8 + j], d[12 + j]);
          for (int i = 0; i < 4; i++)
            INPUT_1D_F2 (d[4 * i], d[4 * i + 1], d[4 * i + 2], d[4 * i + 3]);
        }

      for (int e = 0; e < A * A; e++)
        store (v + e * xi_stride + (size_t) c * nt, d[e]);
    }
}

static void
input_tiles (float *v, const float *in, const VggWinogradPlan *plan, int p, int count, int c0,
             int c1)
{
  if (plan->tile == 4)
    input_tiles_t (v, in, plan, p, count, c0, c1, 4);
  else
    input_tiles_t (v, in, plan, p, count, c0, c1, 2);
}

/* The micro-kernel: 8 output channels × nv vectors of tiles, accumulated over all input
 * channels in registers. */
#define DEFINE_GEMM(NV)                                                         \
  static void                                                                   \
  gemm_nv##NV (float *m, const float *u, const float *v, int c_in, size_t ldm)  \
  {                                                                             \
    vf acc[8][NV];                                                              \
    for (int r = 0; r < 8; r++)                                                 \
      for (int j = 0; j < NV; j++)                                              \
        acc[r][j] = (vf) {};                                                    \
    for (int c = 0; c < c_in; c++, u += 8, v += NV * VL)                        \
      {                                                                         \
        vf b[NV];                                                               \
        for (int j = 0; j < NV; j++)                                            \
          b[j] = load (v + j * VL);                                    \
        for (int r = 0; r < 8; r++)                                             \
          for (int j = 0; j < NV; j++)                                          \
            acc[r][j] += u[r] * b[j];                                           \
      }                                                                         \
    for (int r = 0; r < 8; r++)                                                 \
      for (int j = 0; j < NV; j++)                                              \
        store (m + r * ldm + j * VL, acc[r][j]);                                \
  }

DEFINE_GEMM (1)
#if SIMD_NV_MAX >= 2
DEFINE_GEMM (2)
#endif
#if SIMD_NV_MAX >= 3
DEFINE_GEMM (3)
#endif

static void
gemm (float *m, const float *u, const float *v, int c_in, int nv, size_t ldm)
{
  switch (nv)
    {
#if SIMD_NV_MAX >= 3
    case 3:
      gemm_nv3 (m, u, v, c_in, ldm);
      break;
#endif
#if SIMD_NV_MAX >= 2
    case 2:
      gemm_nv2 (m, u, v, c_in, ldm);
      break;
#endif
    default:
      for (int j = 0; j < nv; j++)
        gemm_nv1 (m + j * VL, u, v + j * VL, c_in, ldm);
      break;
    }
}

/* Where one output transform call writes: the lanes' tiles of span × span in a map of
 * h_out × w_out per channel. */
typedef struct
{
  float   *out;
  int      h_out, w_out, span;
  size_t   plane;
  bool     row_path;   /* all lanes side by side in one tile row, every output inside */
  TileLane lanes[VL];
} OutputMap;

static ALWAYS_INLINE void
output_map_init (OutputMap *map, float *out, const VggWinogradPlan *plan, int p, int count,
                 int span, int h_out, int w_out)
{
  int per_image = plan->tiles_y * plan->tiles_x;

  map->out = out;
  map->h_out = h_out;
  map->w_out = w_out;
  map->span = span;
  map->plane = (size_t) h_out * w_out;
  for (int l = 0; l < count; l++)
    {
      int q = p + l;
      int n = q / per_image;
      int ty = (q - n * per_image) / plan->tiles_x;
      int tx = q - n * per_image - ty * plan->tiles_x;

      map->lanes[l].base = out + (size_t) n * plan->c_out * map->plane;
      map->lanes[l].y0 = ty * span;
      map->lanes[l].x0 = tx * span;
      map->lanes[l].interior = map->lanes[l].y0 + span <= h_out
                               && map->lanes[l].x0 + span <= w_out;
    }
  map->row_path = count == VL && map->lanes[0].base == map->lanes[VL - 1].base
                  && map->lanes[0].y0 == map->lanes[VL - 1].y0 && map->lanes[VL - 1].interior;
}

/* Writes channel @k of the lanes' tiles y [span²] (vectors, one tile per lane); the parts of
 * edge tiles outside the map are dropped. */
static ALWAYS_INLINE void
output_map_store (const OutputMap *map, int k, const vf *y, int count)
{
  float stage[16][VL] __attribute__ ((aligned (64)));
  int span = map->span, w_out = map->w_out;

  if (map->row_path)
    {
      float *row = (float *) map->lanes[0].base + (size_t) k * map->plane
                   + (size_t) map->lanes[0].y0 * w_out + map->lanes[0].x0;
      for (int i = 0; i < span; i++, row += w_out)
        row_store (row, y + i * span, span);
      return;
    }
  for (int e = 0; e < span * span; e++)
    *(vf *) stage[e] = y[e];

  for (int l = 0; l < count; l++)
    {
      const TileLane *lane = &map->lanes[l];
      float *dst = (float *) lane->base + (size_t) k * map->plane;

      if (lane->interior)
        {
          float *row = dst + (size_t) lane->y0 * w_out + lane->x0;
          for (int i = 0; i < span; i++, row += w_out)
            for (int j = 0; j < span; j++)
              row[j] = stage[i * span + j][l];
        }
      else
        {
          for (int i = 0; i < span && lane->y0 + i < map->h_out; i++)
            for (int j = 0; j < span && lane->x0 + j < w_out; j++)
              dst[(size_t) (lane->y0 + i) * w_out + lane->x0 + j] = stage[i * span + j][l];
        }
    }
}

static ALWAYS_INLINE void
output_tiles_t (float *out, const float *m, const float *bias, const VggWinogradPlan *plan,
                int p, int count, int k0, int k1, const int T)
{
  const int A = T + 2;
  size_t xi_stride = plan->m_plane;
  /* the tap: the convolution's own output (after the ReLU, before the pool) as well */
  bool tap = plan->pool && plan->tap != NULL;
  OutputMap map, tap_map = { 0 };

  if (plan->pool)
    output_map_init (&map, out, plan, p, count, T / 2, plan->h / 2, plan->w / 2);
  else
    output_map_init (&map, out, plan, p, count, T, plan->h, plan->w);
  if (tap)
    output_map_init (&tap_map, plan->tap, plan, p, count, T, plan->h, plan->w);

  for (int k = k0; k < k1; k++)
    {
      const float *mk = m + (size_t) k * plan->block_tiles;
      vf d[36], y[16];
      vf b = splat (bias != NULL ? bias[k] : 0.0f);
      int n_out = map.span * map.span;

      for (int e = 0; e < A * A; e++)
        d[e] = load (mk + e * xi_stride);
      if (T == 4)
        {
          /* columns: 6×6 → 4×6 (kept in d[0..23]), then rows: 4×6 → 4×4 */
          for (int j = 0; j < 6; j++)
            OUTPUT_1D (d[j], d[6 + j], d[12 + j], d[18 + j], d[24 + j], d[30 + j],
                       d[j], d[6 + j], d[12 + j], d[18 + j]);
          for (int i = 0; i < 4; i++)
            {
              vf *r = d + 6 * i;
              OUTPUT_1D (r[0], r[1], r[2], r[3], r[4], r[5],
                         y[4 * i], y[4 * i + 1], y[4 * i + 2], y[4 * i + 3]);
            }
        }
      else
        {
          for (int j = 0; j < 4; j++)
            OUTPUT_1D_F2 (d[j], d[4 + j], d[8 + j], d[12 + j], d[j], d[4 + j]);
          for (int i = 0; i < 2; i++)
            OUTPUT_1D_F2 (d[4 * i], d[4 * i + 1], d[4 * i + 2], d[4 * i + 3],
                          y[2 * i], y[2 * i + 1]);
        }
      for (int e = 0; e < T * T; e++)
        y[e] += b;
      if (tap)
        {
          /* ReLU first: max-pool and ReLU commute exactly, so the pooled values are the
           * same bits as without the tap */
          if (plan->relu)
            for (int e = 0; e < T * T; e++)
              y[e] = vmax (y[e], (vf) {});
          output_map_store (&tap_map, k, y, count);
        }
      if (plan->pool)
        {
          for (int i = 0; i < T / 2; i++)
            for (int j = 0; j < T / 2; j++)
              y[i * (T / 2) + j] = vmax (vmax (y[2 * i * T + 2 * j], y[2 * i * T + 2 * j + 1]),
                                         vmax (y[(2 * i + 1) * T + 2 * j],
                                               y[(2 * i + 1) * T + 2 * j + 1]));
        }
      if (plan->relu && !tap)
        for (int e = 0; e < n_out; e++)
          y[e] = vmax (y[e], (vf) {});
      output_map_store (&map, k, y, count);
    }
}

static void
output_tiles (float *out, const float *m, const float *bias, const VggWinogradPlan *plan, int p,
              int count, int k0, int k1)
{
  if (plan->tile == 4)
    output_tiles_t (out, m, bias, plan, p, count, k0, k1, 4);
  else
    output_tiles_t (out, m, bias, plan, p, count, k0, k1, 2);
}

/* U = G g Gᵀ for the 8 output channels of one panel (lanes) and every input channel. */
static void
transform_weights (float *u, const float *weight, const VggWinogradPlan *plan, int panel)
{
  const int A = plan->tile + 2;
  size_t xi_stride = (size_t) plan->c_in * 8;
  float *panel_u = u + (size_t) panel * A * A * xi_stride;
  float stage[9][8] __attribute__ ((aligned (32)));
  const v8 sixth = (v8) {} + 1.0f / 6.0f, quarter = (v8) {} + 0.25f, half = (v8) {} + 0.5f;
  const v8 c24 = (v8) {} + 1.0f / 24.0f, c12 = (v8) {} + 1.0f / 12.0f;

  for (int c = 0; c < plan->c_in; c++)
    {
      v8 g[9], t[18], r[36];

      for (int l = 0; l < 8; l++)
        {
          int k = panel * 8 + l;
          const float *src = weight + ((size_t) k * plan->c_in + c) * 9;
          for (int e = 0; e < 9; e++)
            stage[e][l] = k < plan->c_out ? src[e] : 0.0f;
        }
      for (int e = 0; e < 9; e++)
        g[e] = *(const v8 *) stage[e];

      if (plan->tile == 4)
        {
          /* t = G g: 6×3, then r = t Gᵀ: 6×6 */
          for (int j = 0; j < 3; j++)
            {
              v8 g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
              t[0 * 3 + j] = quarter * g0;
              t[1 * 3 + j] = -sixth * (g0 + g1 + g2);
              t[2 * 3 + j] = -sixth * (g0 - g1 + g2);
              t[3 * 3 + j] = c24 * g0 + c12 * g1 + sixth * g2;
              t[4 * 3 + j] = c24 * g0 - c12 * g1 + sixth * g2;
              t[5 * 3 + j] = g2;
            }
          for (int i = 0; i < 6; i++)
            {
              v8 g0 = t[i * 3], g1 = t[i * 3 + 1], g2 = t[i * 3 + 2];
              r[i * 6 + 0] = quarter * g0;
              r[i * 6 + 1] = -sixth * (g0 + g1 + g2);
              r[i * 6 + 2] = -sixth * (g0 - g1 + g2);
              r[i * 6 + 3] = c24 * g0 + c12 * g1 + sixth * g2;
              r[i * 6 + 4] = c24 * g0 - c12 * g1 + sixth * g2;
              r[i * 6 + 5] = g2;
            }
        }
      else
        {
          /* t = G g: 4×3, then r = t Gᵀ: 4×4 */
          for (int j = 0; j < 3; j++)
            {
              v8 g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
              t[0 * 3 + j] = g0;
              t[1 * 3 + j] = half * (g0 + g1 + g2);
              t[2 * 3 + j] = half * (g0 - g1 + g2);
              t[3 * 3 + j] = g2;
            }
          for (int i = 0; i < 4; i++)
            {
              v8 g0 = t[i * 3], g1 = t[i * 3 + 1], g2 = t[i * 3 + 2];
              r[i * 4 + 0] = g0;
              r[i * 4 + 1] = half * (g0 + g1 + g2);
              r[i * 4 + 2] = half * (g0 - g1 + g2);
              r[i * 4 + 3] = g2;
            }
        }
      for (int e = 0; e < A * A; e++)
        *(v8u *) (panel_u + e * xi_stride + (size_t) c * 8) = r[e];
    }
}

/* The direct path: 8 output channels × DIRECT_NX vectors of columns per step, every tap of
 * every input channel accumulated in registers; rows staged with their zero padding, the
 * 8 channels' weights regrouped so each tap's eight are adjacent. */
#define DIRECT_CHUNK 256
#define DIRECT_NX (SIMD_NV_MAX >= 2 ? 2 : 1)
#define DIRECT_PAD (DIRECT_CHUNK + 2 * DIRECT_NX * VL)

static void
conv_direct_rows (float *out, const float *in, const float *weight, const float *bias, int c_in,
                  int h, int w, int c_out, int y0, int y1, bool relu)
{
  /* pad[c][ky]: columns x0 − 1 … of input row y + ky − 1, zero outside the map */
  float pad[VGG_CONV_DIRECT_MAX_C_IN][3][DIRECT_PAD] __attribute__ ((aligned (64)));
  float taps[VGG_CONV_DIRECT_MAX_C_IN * 9][8];
  size_t plane = (size_t) h * w;
  int n_taps = c_in * 9;

  for (int y = y0; y < y1; y++)
    for (int x0 = 0; x0 < w; x0 += DIRECT_CHUNK)
      {
        int width = w - x0 < DIRECT_CHUNK ? w - x0 : DIRECT_CHUNK;
        int start = x0 - 1 < 0 ? 0 : x0 - 1;
        int end = x0 + width + 1 < w ? x0 + width + 1 : w;

        for (int c = 0; c < c_in; c++)
          for (int ky = 0; ky < 3; ky++)
            {
              int iy = y + ky - 1;
              float *row = pad[c][ky];

              memset (row, 0, sizeof pad[c][ky]);
              if (iy >= 0 && iy < h)
                memcpy (row + (start - (x0 - 1)), in + c * plane + (size_t) iy * w + start,
                        sizeof (float) * (size_t) (end - start));
            }

        for (int k0 = 0; k0 < c_out; k0 += 8)
          {
            int kn = c_out - k0 < 8 ? c_out - k0 : 8;

            for (int t = 0; t < n_taps; t++)
              for (int r = 0; r < 8; r++)
                taps[t][r] = r < kn ? weight[(size_t) (k0 + r) * n_taps + t] : 0.0f;

            for (int x = 0; x < width; x += DIRECT_NX * VL)
              {
                vf acc[8][DIRECT_NX];
                float tail[VL] __attribute__ ((aligned (64)));

                for (int r = 0; r < 8; r++)
                  for (int j = 0; j < DIRECT_NX; j++)
                    acc[r][j] = splat (r < kn && bias != NULL ? bias[k0 + r] : 0.0f);
                for (int c = 0; c < c_in; c++)
                  for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++)
                      {
                        const float *tap = taps[(c * 3 + ky) * 3 + kx];
                        vf a[DIRECT_NX];

                        for (int j = 0; j < DIRECT_NX; j++)
                          a[j] = load (pad[c][ky] + x + j * VL + kx);
                        for (int r = 0; r < 8; r++)
                          for (int j = 0; j < DIRECT_NX; j++)
                            acc[r][j] += tap[r] * a[j];
                      }
                if (relu)
                  for (int r = 0; r < 8; r++)
                    for (int j = 0; j < DIRECT_NX; j++)
                      acc[r][j] = vmax (acc[r][j], (vf) {});
                for (int r = 0; r < kn; r++)
                  for (int j = 0; j < DIRECT_NX; j++)
                    {
                      int xj = x + j * VL;
                      float *dst = out + (size_t) (k0 + r) * plane + (size_t) y * w + x0 + xj;

                      if (xj + VL <= width)
                        store (dst, acc[r][j]);
                      else if (xj < width)
                        {
                          *(vf *) tail = acc[r][j];
                          memcpy (dst, tail, sizeof (float) * (size_t) (width - xj));
                        }
                    }
              }
          }
      }
}

#include "gemm-ordered-simd.h"

const VggSimdKernels SIMD_KERNELS = {
  .name = SIMD_NAME,
  .vl = VL,
  .nv_max = SIMD_NV_MAX,
  .input_tiles = input_tiles,
  .gemm = gemm,
  .output_tiles = output_tiles,
  .transform_weights = transform_weights,
  .conv_direct_rows = conv_direct_rows,
  .gemm_ordered = gemm_ordered,
  .gemm_ordered_scratch = GO_PANELS * GO_KC * GO_NR,
};
