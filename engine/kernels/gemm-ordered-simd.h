/* gemm-ordered-simd.h — a matrix product whose every element is one chain of multiply-adds in
 *                       the order of k, written once in GCC vector extensions and compiled
 *                       with each kernel set (included by winograd-simd.h)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * c[i][j] += Σ_p a[i][p] · b[p][j] is computed as acc = c[i][j]; acc += a[i][0]·b[0][j];
 * acc += a[i][1]·b[1][j]; … with one rounding per step (an FMA where the instruction set has
 * it, the same everywhere in a kernel set), each column in a vector lane of its own. Neither
 * the shape of the product, nor the column's place in it, nor the blocking changes that
 * sequence (a partial sum stored and reloaded between blocks of k keeps its value), so an
 * output unit has the same value in a product over the whole picture and in one over a few
 * changed units — which an optimised sgemm does not promise (OpenBLAS's kernels round a
 * column differently depending on the product's width). Occlusion maps
 * (explain/occlusion-pass.c) are computed with it so the incremental map equals the
 * exhaustive one bit for bit.
 *
 * Columns go in packed panels of GO_NR (zero-padded at the right edge, so no column is ever
 * computed by other code), rows in groups of GO_MR (the last group repeats its last row and
 * drops the copies), k in blocks of GO_KC whose panels stay in cache while GO_MR rows of a
 * sweep over them.
 */
#define GO_MR     6
#define GO_NV     2
#define GO_NR     (GO_NV * VL)
#define GO_KC     256
#define GO_PANELS 4

/* The micro-kernel: a GO_MR × GO_NR tile of c (row stride ldc) += a's rows · a packed panel
 * [kc][GO_NR]. */
static void
gemm_ordered_tile (float              *c,
                   size_t              ldc,
                   const float *const  a[GO_MR],
                   const float        *panel,
                   int                 kc)
{
  vf acc[GO_MR][GO_NV];

  for (int r = 0; r < GO_MR; r++)
    for (int j = 0; j < GO_NV; j++)
      acc[r][j] = load (c + r * ldc + j * VL);
  for (int p = 0; p < kc; p++, panel += GO_NR)
    {
      vf b[GO_NV];

      for (int j = 0; j < GO_NV; j++)
        b[j] = load (panel + j * VL);
      for (int r = 0; r < GO_MR; r++)
        for (int j = 0; j < GO_NV; j++)
          acc[r][j] += a[r][p] * b[j];
    }
  for (int r = 0; r < GO_MR; r++)
    for (int j = 0; j < GO_NV; j++)
      store (c + r * ldc + j * VL, acc[r][j]);
}

/* c [m][ldc] += a [m][lda] · b [k][ldb] over columns [0, n); @scratch holds
 * GO_PANELS · GO_KC · GO_NR floats. One thread. */
static void
gemm_ordered (float       *c,
              size_t       ldc,
              const float *a,
              size_t       lda,
              const float *b,
              size_t       ldb,
              int          m,
              int          n,
              int          k,
              float       *scratch)
{
  float tile[GO_MR][GO_NR] __attribute__ ((aligned (64)));

  for (int j0 = 0; j0 < n; j0 += GO_PANELS * GO_NR)
    {
      int nc = n - j0 < GO_PANELS * GO_NR ? n - j0 : GO_PANELS * GO_NR;
      int n_panels = (nc + GO_NR - 1) / GO_NR;

      for (int p0 = 0; p0 < k; p0 += GO_KC)
        {
          int kc = k - p0 < GO_KC ? k - p0 : GO_KC;

          /* pack: panel q holds columns j0 + q·GO_NR …, row by row of k */
          for (int q = 0; q < n_panels; q++)
            {
              int cols = nc - q * GO_NR < GO_NR ? nc - q * GO_NR : GO_NR;
              float *panel = scratch + (size_t) q * GO_KC * GO_NR;
              const float *src = b + (size_t) p0 * ldb + j0 + q * GO_NR;

              for (int p = 0; p < kc; p++)
                {
                  memcpy (panel + (size_t) p * GO_NR, src + (size_t) p * ldb,
                          sizeof (float) * (size_t) cols);
                  if (cols < GO_NR)
                    memset (panel + (size_t) p * GO_NR + cols, 0,
                            sizeof (float) * (size_t) (GO_NR - cols));
                }
            }

          for (int i0 = 0; i0 < m; i0 += GO_MR)
            {
              int rows = m - i0 < GO_MR ? m - i0 : GO_MR;
              const float *a_rows[GO_MR];

              for (int r = 0; r < GO_MR; r++)
                a_rows[r] = a + (size_t) (i0 + (r < rows ? r : rows - 1)) * lda + p0;
              for (int q = 0; q < n_panels; q++)
                {
                  int cols = nc - q * GO_NR < GO_NR ? nc - q * GO_NR : GO_NR;
                  float *dst = c + (size_t) i0 * ldc + j0 + q * GO_NR;
                  const float *panel = scratch + (size_t) q * GO_KC * GO_NR;

                  if (rows == GO_MR && cols == GO_NR)
                    {
                      gemm_ordered_tile (dst, ldc, a_rows, panel, kc);
                      continue;
                    }
                  /* an edge tile goes through a full one; the lanes and rows beyond the
                   * edge compute on zeros and repeated rows and are dropped */
                  memset (tile, 0, sizeof tile);
                  for (int r = 0; r < rows; r++)
                    memcpy (tile[r], dst + (size_t) r * ldc, sizeof (float) * (size_t) cols);
                  gemm_ordered_tile (&tile[0][0], GO_NR, a_rows, panel, kc);
                  for (int r = 0; r < rows; r++)
                    memcpy (dst + (size_t) r * ldc, tile[r], sizeof (float) * (size_t) cols);
                }
            }
        }
    }
}
