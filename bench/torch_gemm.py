"""Reference side of the gemm benchmark: GFLOP/s of single float32 matmuls
(torch.matmul on the CPU) for the shapes bench/gemm.ts times in tfjs-wasm, one
thread and all cores. Prints one JSON object on stdout: for each thread count,
a list of {m, k, n, ms, cpu_ms} (median of the timed repeats).

Usage: python3 torch_gemm.py --ref-dir DIR --shapes 4096x256x768,... --reps 7
"""
import argparse
import json
import os
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref-dir", required=True)  # unused: every bench script takes it
    ap.add_argument("--shapes", required=True)
    ap.add_argument("--reps", type=int, default=7)
    a = ap.parse_args()
    import torch

    shapes = [tuple(int(v) for v in s.split("x")) for s in a.shapes.split(",")]
    out = {"torch": torch.__version__, "cores": os.cpu_count() or 1, "runs": {}}
    for threads in sorted({1, os.cpu_count() or 1}):
        torch.set_num_threads(threads)
        rows = []
        for m, k, n in shapes:
            g = torch.Generator().manual_seed(1)
            x = torch.randn(m, k, generator=g)
            y = torch.randn(k, n, generator=g)
            for _ in range(2):
                x @ y
            walls, cpus = [], []
            for _ in range(a.reps):
                t, c = time.perf_counter(), time.process_time()
                x @ y
                walls.append((time.perf_counter() - t) * 1000)
                cpus.append((time.process_time() - c) * 1000)
            walls.sort()
            cpus.sort()
            rows.append({"m": m, "k": k, "n": n, "ms": walls[len(walls) // 2], "cpu_ms": cpus[len(cpus) // 2]})
        out["runs"][str(threads)] = rows
    print(json.dumps(out))


if __name__ == "__main__":
    main()
