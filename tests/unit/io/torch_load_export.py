"""Loads exported model folders with the PyTorch reference (bertref) and writes their logits.

usage: torch_load_export.py BERTREF_DIR INPUTS_JSON OUT_SAFETENSORS FOLDER...
Prints JSON {folder: {"architecture", "missing", "unexpected"}}; logits go to OUT as
"<folder basename>.<output name>" so the TypeScript test can compare them with its own.
"""
import json
import os
import sys

import torch

sys.path.insert(0, sys.argv[1])
import ref_bert  # noqa: E402

inputs = json.load(open(sys.argv[2]))
ids = torch.tensor(inputs["input_ids"], dtype=torch.long)
tt = torch.tensor(inputs["token_type_ids"], dtype=torch.long)
mask = torch.tensor(inputs["attention_mask"], dtype=torch.long)
report, out = {}, {}
for folder in sys.argv[4:]:
    name = os.path.basename(folder)
    # The same steps as ref_bert.load_hf_folder, keeping the missing / unexpected lists it drops.
    config = ref_bert.BertConfig.from_json_file(os.path.join(folder, "config.json"))
    arch = (config.architectures or ["BertModel"])[0]
    model = ref_bert.MODEL_CLASSES[arch](config)
    sd, _ = ref_bert.load_safetensors(os.path.join(folder, "model.safetensors"))
    missing, unexpected = ref_bert.load_hf_state_dict(model, sd, strict_missing=False)
    model.eval()
    # And the official entry point must accept the folder as is.
    ref_bert.load_hf_folder(folder)
    report[name] = {"architecture": arch, "missing": missing, "unexpected": unexpected}
    with torch.no_grad():
        res = model(ids, attention_mask=mask, token_type_ids=tt)
    for key in ("logits", "start_logits", "end_logits"):
        if key in res and res[key] is not None:
            t = res[key]
            # MLM logits are [B, T, V]: keep the first 4 positions to stay small.
            out[f"{name}.{key}"] = (t[:, :4, :] if t.dim() == 3 and t.shape[-1] > 100 else t).contiguous()
ref_bert.save_safetensors(out, sys.argv[3])
print(json.dumps(report))
