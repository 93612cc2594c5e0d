/* threads.h — the engine's pool of worker threads and its one OpenBLAS setting (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All of the engine's parallelism goes through this pool: the Winograd phases, the direct
 * and im2col convolutions, the fully connected layers, the training kernels and every GEMM
 * (vgg_sgemm_threaded(), kernels/gemm.c). OpenBLAS itself is set to one thread once, when
 * the engine first learns its thread count, and never changed again: its thread count is a
 * process-wide setting, so changing it around one layer of one run races every other run
 * and the pool's own bookkeeping, and two pools spinning on the same cores slow each other
 * down.
 */
#pragma once

/* One task of a parallel loop: @task in [0, n_tasks), @thread in [0, vgg_parallel_threads()). */
typedef void (*VggTaskFunc) (void *context, int task, int thread);

/* How many threads vgg_parallel_for() runs on (the calling thread included): the engine's
 * thread setting (vgg_set_threads()). */
int  vgg_parallel_threads (void);

/* Runs @func for every task on the pool's sleeping workers and the calling thread, and
 * returns when all are done. Tasks are handed out dynamically. If the pool is busy (another
 * run on another thread, or a task of this loop starting a loop of its own), the tasks run
 * on the calling thread alone: never more threads than cores were asked for. */
void vgg_parallel_for (int n_tasks, VggTaskFunc func, void *context);
