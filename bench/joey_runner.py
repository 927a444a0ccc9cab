"""Times Joey NMT's own decoding, for the side-by-side benchmark.

Run by ``python -m bench`` with the interpreter of Joey's throwaway environment
(never imported by the project).  Reads one JSON job on stdin, prints one JSON line
per setting with the seconds of each repeat.  The model is randomly initialised
with the sizes asked for: GRU bi-encoder, GRU decoder with Bahdanau attention and
input feeding, as in Joey's RNN configurations.
"""

import json
import sys
import time
from types import SimpleNamespace

import torch
from joeynmt.batch import Batch
from joeynmt.model import build_model
from joeynmt.search import search
from joeynmt.vocabulary import Vocabulary


def vocabulary(size: int) -> Vocabulary:
    specials = SimpleNamespace(
        unk_token="<unk>",
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        sep_token=None,
        lang_tags=[],
        unk_id=0,
        pad_id=1,
        bos_id=2,
        eos_id=3,
    )
    return Vocabulary([f"w{i}" for i in range(size - 4)], specials)


def model_config(job: dict) -> dict:
    emb = {"embedding_dim": job["emb"], "scale": False}
    rnn = {"rnn_type": "gru", "num_layers": 1, "dropout": 0.0, "embeddings": emb}
    return {
        "initializer": "xavier_uniform",
        "embed_initializer": "normal",
        "tied_embeddings": False,
        "tied_softmax": False,
        "encoder": {
            "type": "recurrent",
            "hidden_size": job["hidden"],
            "bidirectional": True,
            **rnn,
        },
        "decoder": {
            "type": "recurrent",
            "hidden_size": job["hidden"],
            "attention": "bahdanau",
            "input_feeding": True,
            "init_hidden": "bridge",
            "hidden_dropout": 0.0,
            **rnn,
        },
    }


def batches(sources: list[list[int]], size: int, vocab: Vocabulary):
    for start in range(0, len(sources), size):
        chunk = [s + [vocab.eos_index] for s in sources[start : start + size]]
        width = max(len(s) for s in chunk)
        src = torch.full((len(chunk), width), vocab.pad_index, dtype=torch.long)
        for i, s in enumerate(chunk):
            src[i, : len(s)] = torch.tensor(s)
        lengths = torch.tensor([len(s) for s in chunk])
        order = lengths.argsort(descending=True)  # Joey's RNN encoder packs sorted batches
        yield Batch(
            src[order],
            lengths[order],
            None,
            None,
            None,
            order,
            torch.device("cpu"),
            vocab.pad_index,
            vocab.eos_index,
            is_train=False,
        )


def main() -> None:
    job = json.load(sys.stdin)
    torch.set_num_threads(job["threads"])
    torch.manual_seed(0)
    vocab = vocabulary(job["vocab"])
    model = build_model(model_config(job), vocab, vocab).eval()
    params = sum(p.numel() for p in model.parameters())
    # Sources are the benchmark's piece ids; ours reserve 0-3 for specials as Joey does.
    sources = [[4 + (i - 4) % (len(vocab) - 4) for i in s] for s in job["sources"]]
    for setting in job["settings"]:
        times, tokens = [], 0
        for _ in range(job["repeats"] + 1):  # the first run warms up and is not counted
            start, tokens = time.perf_counter(), 0
            for batch in batches(sources, setting["batch"], vocab):
                out, _, _ = search(
                    model,
                    batch,
                    job["length"],
                    setting["beam"],
                    1.0,
                    n_best=1,
                    min_output_length=job["length"],
                    return_attention=True,
                )
                tokens += int(out.shape[0] * out.shape[1])
            times.append(time.perf_counter() - start)
        row = {**setting, "seconds": times[1:], "tokens": tokens, "params": params}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
