/* test-run.c — the forward driver: hooks (order, names, shapes, stop), cancel, batches
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"
#include "model-private.h"
#include "winograd.h"
#include "test-engine-util.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static VggModel *
small_model (void)
{
  VggConfig config = {
    .n_blocks = 3,
    .block_widths = { 4, 8, 8 },
    .block_convs = { 1, 2, 1 },
    .input_channels = 3,
    .input_height = 16,
    .input_width = 16,
    .n_hidden_fc = 2,
    .hidden_fc_widths = { 12, 12 },
    .n_classes = 5,
  };
  VggError error = { 0 };
  VggModel *model = NULL;

  test_assert_ok (vgg_model_new_random (&model, &config, 42, &error), &error);
  return model;
}

static float *
random_input (const VggModel *model, int batch, guint32 seed)
{
  const VggConfig *c = vgg_model_config (model);
  size_t count = (size_t) batch * c->input_channels * c->input_height * c->input_width;
  float *input = g_new (float, count);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);

  for (size_t i = 0; i < count; i++)
    input[i] = (float) g_rand_double_range (rand, -2.0, 2.0);
  return input;
}

typedef struct
{
  GPtrArray *names;      /* "name:stage" */
  GArray    *counts;
  int        stop_at;    /* layer index whose OUTPUT stops the run, or -1 */
  GPtrArray *copies;     /* float arrays: copies of each event's data */
} Recorder;

static bool
record (const VggHookEvent *event,
        void               *user_data)
{
  Recorder *recorder = user_data;

  g_assert_cmpint (event->layer->index, ==, event->layer_index);
  g_assert_cmpuint (event->count, ==, (size_t) event->batch * event->layer->channels_out
                                      * event->layer->height_out * event->layer->width_out);
  g_ptr_array_add (recorder->names,
                   g_strdup_printf ("%s:%s", event->layer->name,
                                    event->stage == VGG_STAGE_OUTPUT ? "out" : "pre"));
  g_array_append_val (recorder->counts, event->count);
  if (recorder->copies != NULL)
    g_ptr_array_add (recorder->copies, g_memdup2 (event->data, event->count * sizeof (float)));
  return !(event->stage == VGG_STAGE_OUTPUT && event->layer_index == recorder->stop_at);
}

static void
recorder_init (Recorder *recorder)
{
  recorder->names = g_ptr_array_new_with_free_func (g_free);
  recorder->counts = g_array_new (FALSE, FALSE, sizeof (size_t));
  recorder->copies = g_ptr_array_new_with_free_func (g_free);
  recorder->stop_at = -1;
}

static void
recorder_clear (Recorder *recorder)
{
  g_ptr_array_unref (recorder->names);
  g_array_unref (recorder->counts);
  g_ptr_array_unref (recorder->copies);
}

static void
test_hook_order_and_stages (void)
{
  VggModel *model = small_model ();
  g_autofree float *input = random_input (model, 1, 1);
  VggError error = { 0 };
  VggRun *run = NULL;
  Recorder recorder;
  static const char *const expected[] = {
    "conv1_1:pre", "conv1_1:out", "pool1:out", "conv2_1:pre", "conv2_1:out", "conv2_2:pre",
    "conv2_2:out", "pool2:out", "conv3_1:pre", "conv3_1:out", "pool3:out", "fc4:pre", "fc4:out",
    "fc5:pre", "fc5:out", "fc6:out", "prob:out",
  };

  recorder_init (&recorder);
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  vgg_run_set_hook (run, record, &recorder);
  vgg_run_watch (run, -1, VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT);
  test_assert_ok (vgg_run_forward (run, input, &error), &error);

  g_assert_cmpuint (recorder.names->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < recorder.names->len; i++)
    g_assert_cmpstr (recorder.names->pdata[i], ==, expected[i]);
  /* pool2 is 8 channels of 4×4 */
  g_assert_cmpuint (g_array_index (recorder.counts, size_t, 7), ==, 8 * 4 * 4);

  /* pre-activation is the raw value, output is its ReLU */
  {
    const float *pre = recorder.copies->pdata[0];
    const float *out = recorder.copies->pdata[1];
    gboolean negative = FALSE;
    for (size_t i = 0; i < 4 * 16 * 16; i++)
      {
        g_assert_cmpfloat (out[i], ==, pre[i] > 0 ? pre[i] : 0.0f);
        negative |= pre[i] < 0;
      }
    g_assert_true (negative);
  }

  /* the prob stage matches vgg_run_probs() and sums to 1 */
  {
    const float *prob = recorder.copies->pdata[recorder.copies->len - 1];
    double sum = 0;
    for (int i = 0; i < 5; i++)
      {
        g_assert_cmpfloat (prob[i], ==, vgg_run_probs (run)[i]);
        sum += prob[i];
      }
    g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
  }

  /* unwatched stages cost nothing and are not reported */
  g_ptr_array_set_size (recorder.names, 0);
  vgg_run_watch (run, -1, 0);
  vgg_run_watch (run, vgg_model_find_layer (model, "pool2"), VGG_STAGE_OUTPUT);
  vgg_run_watch (run, vgg_model_find_layer (model, "pool2"),
                 VGG_STAGE_OUTPUT | VGG_STAGE_PRE_ACTIVATION); /* pools have no pre stage */
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  g_assert_cmpuint (recorder.names->len, ==, 1);
  g_assert_cmpstr (recorder.names->pdata[0], ==, "pool2:out");

  vgg_run_free (run);
  recorder_clear (&recorder);
  vgg_model_free (model);
}

static void
test_hook_stop (void)
{
  VggModel *model = small_model ();
  g_autofree float *input = random_input (model, 1, 2);
  VggError error = { 0 };
  VggRun *run = NULL;
  Recorder recorder;

  recorder_init (&recorder);
  recorder.stop_at = vgg_model_find_layer (model, "pool2");
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  vgg_run_set_hook (run, record, &recorder);
  vgg_run_watch (run, -1, VGG_STAGE_OUTPUT);
  g_assert_cmpint (vgg_run_forward (run, input, &error), ==, VGG_STATUS_STOPPED);
  g_assert_nonnull (strstr (error.message, "pool2"));
  /* nothing after the stopping layer ran */
  g_assert_cmpstr (recorder.names->pdata[recorder.names->len - 1], ==, "pool2:out");
  g_assert_cmpuint (recorder.names->len, ==, 5);

  /* the run is reusable after a stop */
  recorder.stop_at = -1;
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  vgg_run_free (run);
  recorder_clear (&recorder);
  vgg_model_free (model);
}

/* (pthread's lock, not GMutex: ThreadSanitizer sees through it, not through GLib's futex) */
typedef struct
{
  VggRun         *run;
  pthread_mutex_t mutex;
  pthread_cond_t  cond;
  gboolean        reached;
  gboolean        proceed;
  int             events;
} CancelState;

/* Blocks in the first event until the main thread has cancelled from its own thread. */
static bool
wait_for_cancel (const VggHookEvent *event,
                 void               *user_data)
{
  CancelState *state = user_data;

  pthread_mutex_lock (&state->mutex);
  state->events++;
  state->reached = TRUE;
  pthread_cond_broadcast (&state->cond);
  while (!state->proceed)
    pthread_cond_wait (&state->cond, &state->mutex);
  pthread_mutex_unlock (&state->mutex);
  return true;
}

typedef struct
{
  CancelState *state;
  const float *input;
  VggStatus    status;
} ThreadArgs;

static gpointer
forward_in_thread (gpointer data)
{
  ThreadArgs *args = data;
  VggError error = { 0 };

  args->status = vgg_run_forward (args->state->run, args->input, &error);
  return NULL;
}

static void
test_cancel_from_thread (void)
{
  VggModel *model = small_model ();
  g_autofree float *input = random_input (model, 1, 3);
  VggError error = { 0 };
  CancelState state = { 0 };
  ThreadArgs args = { &state, input, VGG_STATUS_OK };
  GThread *thread;

  pthread_mutex_init (&state.mutex, NULL);
  pthread_cond_init (&state.cond, NULL);
  test_assert_ok (vgg_run_new (&state.run, model, 1, &error), &error);
  vgg_run_set_hook (state.run, wait_for_cancel, &state);
  vgg_run_watch (state.run, 0, VGG_STAGE_OUTPUT); /* conv1_1 only */

  thread = g_thread_new ("forward", forward_in_thread, &args);
  pthread_mutex_lock (&state.mutex);
  while (!state.reached)
    pthread_cond_wait (&state.cond, &state.mutex);
  vgg_run_cancel (state.run);         /* from this (another) thread, mid-run */
  state.proceed = TRUE;
  pthread_cond_broadcast (&state.cond);
  pthread_mutex_unlock (&state.mutex);
  g_thread_join (thread);

  g_assert_cmpint (args.status, ==, VGG_STATUS_CANCELLED);
  g_assert_cmpint (state.events, ==, 1);

  /* the request was consumed: the next run completes */
  state.events = 0;
  test_assert_ok (vgg_run_forward (state.run, input, &error), &error);
  g_assert_cmpint (state.events, ==, 1);

  /* a cancel while no pass runs (a late cancel of the job above) does not stop the next */
  vgg_run_cancel (state.run);
  state.events = 0;
  test_assert_ok (vgg_run_forward (state.run, input, &error), &error);
  g_assert_cmpint (state.events, ==, 1);

  vgg_run_free (state.run);
  pthread_mutex_destroy (&state.mutex);
  pthread_cond_destroy (&state.cond);
  vgg_model_free (model);
}

/* The same input in a batch of 3 gives the same answer as alone, item by item. */
static void
test_batch_matches_single (void)
{
  VggModel *model = small_model ();
  const VggConfig *c = vgg_model_config (model);
  size_t per_item = (size_t) c->input_channels * c->input_height * c->input_width;
  g_autofree float *batch_input = random_input (model, 3, 4);
  VggError error = { 0 };
  VggRun *single = NULL, *batch = NULL;
  int classes[3];
  float probs[3];

  test_assert_ok (vgg_run_new (&single, model, 1, &error), &error);
  test_assert_ok (vgg_run_new (&batch, model, 3, &error), &error);
  test_assert_ok (vgg_run_forward (batch, batch_input, &error), &error);
  for (int n = 0; n < 3; n++)
    {
      test_assert_ok (vgg_run_forward (single, batch_input + n * per_item, &error), &error);
      g_assert_cmpfloat (test_max_abs_diff (vgg_run_logits (single),
                                            vgg_run_logits (batch) + n * 5, 5),
                         <, 1e-5);
    }
  /* top-k is sorted and consistent with the probabilities */
  g_assert_cmpint (vgg_run_top_k (batch, 2, 3, classes, probs), ==, 3);
  g_assert_cmpfloat (probs[0], >=, probs[1]);
  g_assert_cmpfloat (probs[1], >=, probs[2]);
  for (int i = 0; i < 5; i++)
    g_assert_cmpfloat (vgg_run_probs (batch)[2 * 5 + i], <=, probs[0]);
  g_assert_cmpint (vgg_run_top_k (batch, 3, 3, classes, probs), ==, 0);
  {
    int all_classes[5];
    float all_probs[5];
    /* asking for more than exist returns them all */
    g_assert_cmpint (vgg_run_top_k (batch, 0, 50, all_classes, all_probs), ==, 5);
  }

  vgg_run_free (single);
  vgg_run_free (batch);
  vgg_model_free (model);
}

/* The whole network against a plain re-computation with the naive kernels. */
static void
test_forward_matches_naive (void)
{
  VggModel *model = small_model ();
  g_autofree float *input = random_input (model, 1, 5);
  g_autofree float *a = g_new0 (float, 4096);
  g_autofree float *b = g_new0 (float, 4096);
  VggError error = { 0 };
  VggRun *run = NULL;
  float *in = a, *out = b;

  memcpy (a, input, sizeof (float) * 3 * 16 * 16);
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *l = vgg_model_layer (model, i);
      const VggLayerWeights *w = &model->weights[i];
      size_t n = (size_t) l->channels_out * l->height_out * l->width_out;
      float *swap;

      if (l->kind == VGG_LAYER_CONV)
        vgg_conv3x3_naive (out, in, w->weight, w->bias, l->channels_in, l->height_in,
                           l->width_in, l->channels_out);
      else if (l->kind == VGG_LAYER_POOL)
        vgg_maxpool2x2 (out, in, l->channels_in, l->height_in, l->width_in);
      else if (l->kind == VGG_LAYER_FC)
        vgg_linear_naive (out, in, w->weight, w->bias, 1,
                          l->channels_in * l->height_in * l->width_in, l->channels_out);
      else
        vgg_softmax (out, in, 1, l->channels_out);
      if (l->relu)
        vgg_relu (out, n);
      swap = in;
      in = out;
      out = swap;
    }

  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  g_assert_cmpfloat (test_max_abs_diff (in, vgg_run_probs (run), 5), <, 1e-6);
  vgg_run_free (run);
  vgg_model_free (model);
}

/* NaN or ±Inf in the input is refused before the pass (ReLU would turn a NaN into 0 and a
 * confident prediction), and logits that come out infinite are reported, not returned. */
static void
test_non_finite (void)
{
  VggModel *model = small_model ();
  const VggConfig *c = vgg_model_config (model);
  size_t count = (size_t) c->input_channels * c->input_height * c->input_width;
  g_autofree float *input = random_input (model, 1, 3);
  VggError error = { 0 };
  VggRun *run = NULL;
  int n_fc = 0;

  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  input[37] = NAN;
  g_assert_cmpint (vgg_run_forward (run, input, &error), ==, VGG_STATUS_NOT_FINITE);
  g_assert_nonnull (strstr (error.message, "NaN at element 37 (item 0, channel 0, row 2, "
                                           "column 5)"));
  input[37] = 0.5f;
  input[count - 1] = -INFINITY;
  g_assert_cmpint (vgg_run_forward (run, input, &error), ==, VGG_STATUS_NOT_FINITE);
  g_assert_nonnull (strstr (error.message, "-Inf at element"));
  input[count - 1] = 0.5f;
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  vgg_run_free (run);

  /* finite weights so large that the logits overflow float32: every fully connected layer's
   * weights 3e38 and biases 1, so that each unit after the first is at least 3e38 */
  for (int i = 0; i < model->n_layers; i++)
    if (model->layers[i].kind == VGG_LAYER_FC)
      {
        const VggLayer *layer = &model->layers[i];
        float *weight = (float *) model->weights[i].weight;
        float *bias = (float *) model->weights[i].bias;
        size_t n_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;

        for (size_t k = 0; k < (size_t) layer->channels_out * n_in; k++)
          weight[k] = 3e38f;
        for (int k = 0; k < layer->channels_out; k++)
          bias[k] = 1.0f;
        n_fc++;
      }
  g_assert_cmpint (n_fc, ==, 3);
  for (int i = 0; i < (int) count; i++)
    input[i] = 1.0f;
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  g_assert_cmpint (vgg_run_forward (run, input, &error), ==, VGG_STATUS_NOT_FINITE);
  g_assert_nonnull (strstr (error.message, "overflow float32"));
  vgg_run_free (run);
  vgg_model_free (model);
}

/* The nice value of thread @tid of this process, from /proc (field 19 of its stat line). */
static int
thread_niceness (const char *tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  after = strrchr (text, ')'); /* the command name may hold spaces */
  g_assert_nonnull (after);
  fields = g_strsplit (after + 2, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >, 16);
  return atoi (fields[16]); /* state is field 3, nice field 19 */
}

/* Workers take the nice value they are given when they next wake; the calling thread keeps
 * its own. */
static void
test_worker_niceness (void)
{
  VggModel *model = small_model ();
  float input[3 * 16 * 16];
  g_autofree char *self_tid = g_strdup_printf ("%ld", (long) syscall (SYS_gettid));
  g_autoptr(GDir) tasks = NULL;
  VggError error = { 0 };
  VggRun *run = NULL;
  const char *tid;
  int own, wanted, n_workers = 0;

  errno = 0;
  own = getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
  g_assert_cmpint (errno, ==, 0);
  if (own >= 17)
    {
      g_test_skip ("the test already runs at a nice value of 17 or more");
      vgg_model_free (model);
      return;
    }
  wanted = own + 2;
  vgg_set_threads (2);
  vgg_set_worker_niceness (wanted);
  g_assert_cmpint (vgg_get_worker_niceness (), ==, wanted);
  for (int i = 0; i < (int) G_N_ELEMENTS (input); i++)
    input[i] = (float) ((i * 37) % 101) / 101.0f;
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);

  /* a worker applies the value when it wakes for a loop, which may be after the loop's tasks
   * are done: pass after pass until the worker shows it (or five seconds) */
  for (int attempt = 0; attempt < 500 && n_workers == 0; attempt++)
    {
      test_assert_ok (vgg_run_forward (run, input, &error), &error);
      g_usleep (10000);
      tasks = g_dir_open ("/proc/self/task", 0, NULL);
      g_assert_nonnull (tasks);
      while ((tid = g_dir_read_name (tasks)) != NULL)
        {
          int niceness = thread_niceness (tid);

          if (g_strcmp0 (tid, self_tid) == 0)
            g_assert_cmpint (niceness, ==, own);
          else if (niceness == wanted)
            n_workers++;
        }
      g_clear_pointer (&tasks, g_dir_close);
    }
  /* the one worker of a two-thread pool (any other thread is GLib's, at the caller's value) */
  g_assert_cmpint (n_workers, ==, 1);

  vgg_set_worker_niceness (-1);
  g_assert_cmpint (vgg_get_worker_niceness (), ==, -1);
  vgg_run_free (run);
  vgg_model_free (model);
}

/* Runs @model at @batch on @input with the kernel set @simd, every output watched (and the
 * pre-activations too if @pre, which keeps every layer unfused); the OUTPUT events go to
 * @recorder. Returns the run for its profile. */
static VggRun *
watched_run (const VggModel *model,
             int             batch,
             const char     *simd,
             const float    *input,
             gboolean        pre,
             Recorder       *recorder)
{
  VggRunOptions options = { .simd = simd };
  VggError error = { 0 };
  VggRun *run = NULL;

  test_assert_ok (vgg_run_new_with_options (&run, model, batch, &options, &error), &error);
  vgg_run_set_hook (run, record, recorder);
  vgg_run_watch (run, -1, VGG_STAGE_OUTPUT | (pre ? VGG_STAGE_PRE_ACTIVATION : 0));
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  return run;
}

/* Watching every output keeps the fused convolution + ReLU + pool path, and the hook still
 * sees every layer in order with the very bits of an unfused pass: the convolution's output
 * from the tap the fused pass writes, then the pool's. Plain and BN models, map sizes that
 * leave partial tiles, batch 1 and 3, every kernel set this CPU has. */
static void
test_watch_keeps_fusion (void)
{
  for (int bn = 0; bn < 2; bn++)
    {
      VggConfig config = {
        .n_blocks = 3,
        .block_widths = { 16, 24, 32 },
        .block_convs = { 2, 2, 1 },
        .input_channels = 3,
        .input_height = 37,
        .input_width = 29,
        .n_hidden_fc = 1,
        .hidden_fc_widths = { 12 },
        .n_classes = 7,
        .batch_norm = bn,
      };
      VggModel *model = NULL;
      VggError error = { 0 };

      test_assert_ok (vgg_model_new_random (&model, &config, 11 + bn, &error), &error);
      for (int level = 0; level < VGG_SIMD_N_LEVELS; level++)
        for (int batch = 1; batch <= 3; batch += 2)
          {
            const VggSimdKernels *simd = vgg_simd_kernels ((VggSimdLevel) level);
            g_autofree float *input = random_input (model, batch, 20 + level + batch);
            Recorder fused, unfused;
            VggRun *run, *reference;
            int n_fused = 0;

            if (simd == NULL)
              continue;
            recorder_init (&fused);
            recorder_init (&unfused);
            run = watched_run (model, batch, simd->name, input, FALSE, &fused);
            reference = watched_run (model, batch, simd->name, input, TRUE, &unfused);

            /* the OUTPUT events of both, in the same order, bit for bit */
            for (guint i = 0, j = 0; j < unfused.names->len; j++)
              {
                size_t count = g_array_index (unfused.counts, size_t, j);

                if (g_str_has_suffix (unfused.names->pdata[j], ":pre"))
                  continue;
                g_assert_cmpuint (i, <, fused.names->len);
                g_assert_cmpstr (fused.names->pdata[i], ==, unfused.names->pdata[j]);
                g_assert_cmpuint (g_array_index (fused.counts, size_t, i), ==, count);
                if (memcmp (fused.copies->pdata[i], unfused.copies->pdata[j],
                            count * sizeof (float)) != 0)
                  g_error ("%s%s batch %d: %s differs watched fused and unfused", simd->name,
                           bn ? " BN" : "", batch, (const char *) fused.names->pdata[i]);
                i++;
                if (j + 1 == unfused.names->len)
                  g_assert_cmpuint (i, ==, fused.names->len);
              }
            g_assert_cmpuint (fused.names->len, ==, (guint) vgg_model_n_layers (model));

            /* and the watched run really fused: every pool after a Winograd convolution */
            for (int i = 1; i < vgg_model_n_layers (model); i++)
              {
                VggLayerProfile conv, pool, reference_pool;

                if (vgg_model_layer (model, i)->kind != VGG_LAYER_POOL)
                  continue;
                g_assert_true (vgg_run_layer_profile (run, i - 1, &conv));
                g_assert_true (vgg_run_layer_profile (run, i, &pool));
                g_assert_true (vgg_run_layer_profile (reference, i, &reference_pool));
                g_assert_cmpstr (reference_pool.algorithm, ==, "maxpool");
                g_test_message ("%s: %s", vgg_model_layer (model, i - 1)->name, conv.algorithm);
                if (strstr (conv.algorithm, "winograd") == NULL)
                  continue;
                g_assert_nonnull (strstr (conv.algorithm, "+relu+pool"));
                g_assert_cmpstr (pool.algorithm, ==, "fused into the convolution");
                n_fused++;
              }
            g_assert_cmpint (n_fused, >=, 2);
            g_test_message ("%s%s batch %d: %d pools fused while watched, every event the "
                            "same bits", simd->name, bn ? " BN" : "", batch, n_fused);

            /* a hook that stops at a fused convolution's output stops there */
            recorder_clear (&fused);
            recorder_init (&fused);
            fused.stop_at = vgg_model_find_layer (model, "conv2_2");
            vgg_run_set_hook (run, record, &fused);
            g_assert_cmpint (vgg_run_forward (run, input, &error), ==, VGG_STATUS_STOPPED);
            g_assert_cmpstr (fused.names->pdata[fused.names->len - 1], ==, "conv2_2:out");

            vgg_run_free (run);
            vgg_run_free (reference);
            recorder_clear (&fused);
            recorder_clear (&unfused);
          }
      vgg_model_free (model);
    }
}

/* vgg_channel_statistics(): the copy and each channel's statistics against a plain double
 * loop, for planes of every remainder modulo its 8 lanes and blocks, on 1 and 2 threads,
 * with ties at zero (ReLU outputs) and negative values (pre-activations). */
static void
test_channel_statistics (void)
{
  const size_t planes[] = { 1, 7, 8, 9, 1023, 1024, 1025, 3000, 224 * 224 };
  const int channels[] = { 1, 3, 64 };
  GRand *rand = g_rand_new_with_seed (7);

  for (int threads = 1; threads <= 2; threads++)
    for (guint p = 0; p < G_N_ELEMENTS (planes); p++)
      for (guint c = 0; c < G_N_ELEMENTS (channels); c++)
        {
          size_t plane = planes[p], count = (size_t) channels[c] * plane;
          int n = channels[c];
          g_autofree float *data = g_new (float, count);
          g_autofree float *copy = g_new0 (float, count);
          g_autofree float *stats = g_new (float, 4 * (size_t) n);
          g_autofree float *alone = g_new (float, 4 * (size_t) n);

          vgg_set_threads (threads);
          for (size_t i = 0; i < count; i++)
            {
              /* a third zeros, then values around a per-channel offset */
              double r = g_rand_double (rand);

              data[i] = r < 1.0 / 3 ? 0.0f
                                    : (float) (g_rand_double_range (rand, -4.0, 5.0)
                                               + (double) (i / plane));
            }
          vgg_channel_statistics (copy, data, n, plane, stats, stats + n, stats + 2 * n,
                                  stats + 3 * n);
          g_assert_cmpmem (copy, count * sizeof (float), data, count * sizeof (float));

          for (int k = 0; k < n; k++)
            {
              const float *x = data + (size_t) k * plane;
              double sum = 0.0, scale = 0.0;
              float lo = x[0], hi = x[0];
              size_t zeros = 0;

              for (size_t i = 0; i < plane; i++)
                {
                  sum += x[i];
                  scale += fabs (x[i]);
                  lo = MIN (lo, x[i]);
                  hi = MAX (hi, x[i]);
                  zeros += x[i] == 0.0f;
                }
              /* float sums over blocks of 1024: a few float roundings of the magnitudes */
              g_assert_cmpfloat (fabs (stats[k] - sum / (double) plane), <=,
                                 4e-6 * scale / (double) plane + 1e-30);
              g_assert_cmpfloat (stats[n + k], ==, lo);
              g_assert_cmpfloat (stats[2 * n + k], ==, hi);
              g_assert_cmpfloat (stats[3 * n + k], ==, (float) zeros / (float) plane);
            }

          /* statistics alone, no copy: the same numbers */
          vgg_channel_statistics (NULL, data, n, plane, alone, alone + n, alone + 2 * n,
                                  alone + 3 * n);
          g_assert_cmpmem (alone, 4 * (size_t) n * sizeof (float),
                           stats, 4 * (size_t) n * sizeof (float));
        }
  vgg_set_threads (0);
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run/hook-order-and-stages", test_hook_order_and_stages);
  g_test_add_func ("/run/hook-stop", test_hook_stop);
  g_test_add_func ("/run/cancel-from-thread", test_cancel_from_thread);
  g_test_add_func ("/run/batch-matches-single", test_batch_matches_single);
  g_test_add_func ("/run/forward-matches-naive", test_forward_matches_naive);
  g_test_add_func ("/run/non-finite", test_non_finite);
  g_test_add_func ("/run/worker-niceness", test_worker_niceness);
  g_test_add_func ("/run/watch-keeps-fusion", test_watch_keeps_fusion);
  g_test_add_func ("/run/channel-statistics", test_channel_statistics);
  return g_test_run ();
}
