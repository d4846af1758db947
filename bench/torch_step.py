"""Reference side of the train-step benchmark: one full fine-tuning step of
BertForSequenceClassification (forward + backward + clip_grad_norm_ + AdamW) in
PyTorch on the CPU, with the model from ../shared/tools/bertref/ref_bert.py
(a mirror of Hugging Face modeling_bert.py) and the same shapes, random ids
and labels as bench/trainStep.ts. Prints one JSON object on stdout.

Usage: python3 torch_step.py --ref-dir DIR --layers 2 --hidden 128 --heads 2
       --inter 512 --batch 32 --seq 128 --warmup 2 --steps 5
"""
import argparse
import json
import os
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref-dir", required=True)
    for k in ("layers", "hidden", "heads", "inter", "batch", "seq", "warmup", "steps"):
        ap.add_argument(f"--{k}", type=int, required=True)
    a = ap.parse_args()
    sys.path.insert(0, a.ref_dir)
    import torch
    from ref_bert import BertConfig, BertForSequenceClassification

    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    cfg = BertConfig(num_hidden_layers=a.layers, hidden_size=a.hidden, num_attention_heads=a.heads,
                     intermediate_size=a.inter, num_labels=2)
    model = BertForSequenceClassification(cfg)
    model.train()
    # HF Trainer grouping: no decay on biases and LayerNorm weights (as src/train/optimizer.ts).
    decay = [p for n, p in model.named_parameters() if "bias" not in n and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if "bias" in n or "LayerNorm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": no_decay, "weight_decay": 0.0}], lr=5e-5)
    g = torch.Generator().manual_seed(7)
    ids = torch.randint(1000, 30000, (a.batch, a.seq), generator=g)
    ids[:, 0] = 101
    ids[:, -1] = 102
    mask = torch.ones_like(ids)
    types = torch.zeros_like(ids)
    labels = torch.randint(0, 2, (a.batch,), generator=g)

    def step() -> float:
        out = model(ids, attention_mask=mask, token_type_ids=types, labels=labels)
        out["loss"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return float(out["loss"])

    for _ in range(a.warmup):
        step()
    times, cpu = [], []
    for _ in range(a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)  # all threads: robust to other jobs on the machine
    times.sort()
    cpu.sort()
    med = times[len(times) // 2]
    print(json.dumps({
        "ms_per_step": med * 1000,
        "seq_per_s": a.batch / med,
        "times_ms": [t * 1000 for t in times],
        "cpu_ms_per_step": cpu[len(cpu) // 2] * 1000,
        "threads": threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
