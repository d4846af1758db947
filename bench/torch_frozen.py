"""Reference side of the frozen-encoder benchmark (bench/trainFrozen.ts): BertForSequenceClassification
from ../shared/tools/bertref/ref_bert.py (a mirror of Hugging Face modeling_bert.py) with the studio's
BERT-Tiny weights, trained with embeddings + encoder frozen, so only pooler + classifier learn (as the
studio's freeze 'encoder', src/train/freeze.ts). The padded batches come from the studio itself (its
tokenizer, its per-epoch order and dynamic padding), so both sides do the same FLOPs on the same ids.

Two ways, each timed per epoch on the CPU:
  notebook: what an HF user gets after setting requires_grad=False on the encoder: the encoder's
            forward runs again every epoch (under torch.no_grad()), pooler + classifier train.
  cached:   the studio's algorithm (src/train/featureCache.ts): the encoder runs once in eval mode
            over length-sorted batches, its [CLS] rows are kept, and the head trains on them.
Both: dropout -> classifier after the tanh pooler, cross-entropy, clip_grad_norm_ 1.0, AdamW with HF's
decay grouping, linear decay, no warmup (as the studio's defaults). Prints one JSON object on stdout.

Usage: python3 torch_frozen.py --ref-dir DIR --model-dir DIR --input batches.json
"""
import argparse
import json
import os
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref-dir", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--threads", default=f"{os.cpu_count() or 1},1", help="thread counts to run, comma-separated")
    a = ap.parse_args()
    sys.path.insert(0, a.ref_dir)
    import torch
    import torch.nn.functional as F
    from ref_bert import BertConfig, BertForSequenceClassification, get_extended_attention_mask, \
        load_hf_state_dict, load_safetensors

    with open(a.input, encoding="utf8") as f:
        spec = json.load(f)
    cfg = BertConfig.from_json_file(os.path.join(a.model_dir, "config.json"))
    cfg.num_labels = spec["num_labels"]
    weights, _ = load_safetensors(os.path.join(a.model_dir, "model.safetensors"))

    def tensors(b):
        shape = b["shape"]
        out = {k: torch.tensor(b[k], dtype=torch.long).view(*shape)
               for k in ("input_ids", "token_type_ids", "attention_mask")}
        out["rows"] = torch.tensor(b["rows"], dtype=torch.long)
        if "labels" in b:
            out["labels"] = torch.tensor(b["labels"], dtype=torch.long)
        return out

    # Converted up front (not timed): the studio's padBatch is inside its timing, so this favours torch.
    cache_batches = [tensors(b) for b in spec["cache_batches"]]
    epoch_batches = [[tensors(b) for b in epoch] for epoch in spec["epoch_batches"]]
    epochs = len(epoch_batches)
    steps_per_epoch = len(epoch_batches[0])

    def fresh_model():
        torch.manual_seed(spec["seed"])
        model = BertForSequenceClassification(cfg)
        # An MLM checkpoint has no pooler or classifier: those start from the model's own init.
        load_hf_state_dict(model, weights, strict_missing=False)
        for p in list(model.bert.embeddings.parameters()) + list(model.bert.encoder.parameters()):
            p.requires_grad = False
        model.train()
        return model

    def optimizer(model):
        named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
        decay = [p for n, p in named if "bias" not in n and "LayerNorm" not in n]
        no_decay = [p for n, p in named if "bias" in n or "LayerNorm" in n]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": spec["weight_decay"]},
                                 {"params": no_decay, "weight_decay": 0.0}], lr=spec["lr"])
        total = epochs * steps_per_epoch
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: max(0.0, (total - step) / total))
        return opt, sched

    def head_step(model, opt, sched, cls, labels):
        pooled = model.bert.pooler.activation(model.bert.pooler.dense(cls))
        logits = model.classifier(model.dropout(pooled))
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], spec["max_grad_norm"])
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        return float(loss)

    def encode(model, b):
        emb = model.bert.embeddings(b["input_ids"], b["token_type_ids"])
        ext = get_extended_attention_mask(b["attention_mask"], emb.dtype)
        return model.bert.encoder(emb, ext)[0][:, 0]

    def notebook():
        """Seconds per epoch. The encoder is in eval mode, as the studio's cache: HF Trainer's
        model.train() would also run its dropout, which only makes torch slower."""
        model = fresh_model()
        model.bert.eval()
        times = []
        t0 = time.perf_counter()
        opt, sched = optimizer(model)
        for epoch in epoch_batches:
            for b in epoch:
                with torch.no_grad():
                    cls = encode(model, b)
                head_step(model, opt, sched, cls, b["labels"])
            t1 = time.perf_counter()
            times.append(t1 - t0)
            t0 = t1
        return times

    def cached():
        """Seconds per epoch; the first includes computing the [CLS] features."""
        model = fresh_model()
        times = []
        t0 = time.perf_counter()
        opt, sched = optimizer(model)
        model.bert.eval()
        feats = torch.empty(spec["num_rows"], cfg.hidden_size)
        with torch.no_grad():
            for b in cache_batches:
                feats[b["rows"]] = encode(model, b)
        for epoch in epoch_batches:
            for b in epoch:
                head_step(model, opt, sched, feats[b["rows"]], b["labels"])
            t1 = time.perf_counter()
            times.append(t1 - t0)
            t0 = t1
        return times

    # Each thread count in turn (the default is the cores, then 1: on a shared machine, two OpenMP
    # threads can run far slower than one when the other core is busy). The notebook run goes
    # first, so the cached run starts with torch warm, as the studio's frozen run starts after its
    # full fine-tuning run.
    runs = []
    for threads in dict.fromkeys(int(t) for t in a.threads.split(",")):
        torch.set_num_threads(threads)
        runs.append({"threads": threads, "notebook_epoch_s": notebook(), "cached_epoch_s": cached()})
    print(json.dumps({"runs": runs, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
