"""Times Joey NMT's own decoding, for the side-by-side benchmark.

Run by ``python -m bench`` with the interpreter of Joey's throwaway environment
(never imported by the project).  The first line on stdin is the job (sizes,
threads, output length, sources); the model is randomly initialised with those
sizes: GRU bi-encoder, GRU decoder with Bahdanau attention and input feeding, as in
Joey's RNN configurations.  Then every line asks for one timed pass
(``{"search", "batch", "beam", "n"}``: the first n sources) and is answered with one
JSON line ``{"seconds", "tokens", "params"}``, so that the benchmark can interleave
the peer's passes with its own and both see the same machine.
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


def timed_pass(model, sources, vocab, length: int, setting: dict) -> tuple[float, int]:
    start, tokens = time.perf_counter(), 0
    for batch in batches(sources[: setting["n"]], setting["batch"], vocab):
        out, _, _ = search(
            model,
            batch,
            length,
            setting["beam"],
            1.0,
            n_best=1,
            min_output_length=length,
            return_attention=True,
        )
        tokens += int(out.shape[0] * out.shape[1])
    return time.perf_counter() - start, tokens


def main() -> None:
    job = json.loads(sys.stdin.readline())
    torch.set_num_threads(job["threads"])
    torch.manual_seed(0)
    vocab = vocabulary(job["vocab"])
    model = build_model(model_config(job), vocab, vocab).eval()
    params = sum(p.numel() for p in model.parameters())
    # Sources are the benchmark's piece ids; ours reserve 0-3 for specials as Joey does.
    sources = [[4 + (i - 4) % (len(vocab) - 4) for i in s] for s in job["sources"]]
    print(json.dumps({"ready": True, "params": params}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        seconds, tokens = timed_pass(model, sources, vocab, job["length"], json.loads(line))
        print(json.dumps({"seconds": seconds, "tokens": tokens, "params": params}), flush=True)


if __name__ == "__main__":
    main()
