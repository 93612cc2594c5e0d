// bench-ort.js — one ONNX Runtime peer process for tools/bench-peers: loads an ONNX export,
// times `runs` forward passes after `warmup` ones and prints one JSON line.
//
// Copyright 2026 The VGG Scope developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
//   NODE_PATH=DIR/node_modules node tools/bench-ort.js MODEL.onnx BATCH RUNS WARMUP THREADS
//
// onnxruntime-node is the CPU build from npm; tools/bench-peers installs it into a cache
// folder with --ignore-scripts (its install script only fetches GPU parts).
"use strict";

const ort = require("onnxruntime-node");

async function main() {
  const [path, batch, runs, warmup, threads] = process.argv.slice(2);
  if (!path || !batch || !runs || !warmup || !threads) {
    console.error("usage: bench-ort.js MODEL.onnx BATCH RUNS WARMUP THREADS");
    process.exit(2);
  }
  const options = {
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  };
  const created = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(path, options);
  const sessionMs = Number(process.hrtime.bigint() - created) / 1e6;

  // a fixed pseudo-random input (the values do not change the time of a dense network)
  const size = Number(batch) * 3 * 224 * 224;
  const data = new Float32Array(size);
  let state = 2026;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    data[i] = state / 2147483648 * 2 - 1;
  }
  const feeds = {};
  feeds[session.inputNames[0]] = new ort.Tensor("float32", data, [Number(batch), 3, 224, 224]);

  const times = [];
  for (let i = 0; i < Number(warmup) + Number(runs); i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i >= Number(warmup))
      times.push(ms);
  }
  console.log(JSON.stringify({ runs_ms: times, session_ms: sessionMs, version: ort.env.versions ? ort.env.versions.common : "" }));
}

main().catch((error) => {
  console.error(`bench-ort: ${error.message || error}`);
  process.exit(1);
});
