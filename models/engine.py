"""Text in, ``DecodeTrace`` out: ties a tokenizer and a model to the searches.

A ``Translator`` holds a model that is only read; every call builds its own tensors,
so one translator can serve many app sessions at once.
"""

from __future__ import annotations

from . import batched, search
from .fast import FastDecoder
from .options import MAX_OUTPUT_PIECES, AttentionOptions, DecodeSettings
from .search import Hyp, SearchResult
from .seq2seq import Seq2Seq
from .text import InputError
from .tokenizer import Tokenizer, TokenSeq
from .trace import BeamStepNode, DecodeTrace, HypothesisTrace, Sequence


class Translator:
    def __init__(self, model: Seq2Seq, tokenizer: Tokenizer, name: str = "model") -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        # Searches run on the fast path (same outputs, derived weights built once);
        # a model still in training mode is decoded as it is.
        self.decoder = model if model.training else FastDecoder(model)

    @property
    def cfg(self):
        return self.model.cfg

    def encode_source(self, text: str) -> TokenSeq:
        return self.tokenizer.encode_source(text)

    def translate(
        self,
        text: str,
        settings: DecodeSettings = DecodeSettings(),
        force: str | list[int] | None = None,
        prefix: str | list[int] | None = None,
    ) -> DecodeTrace:
        """One source.  ``force``: score this target instead of searching, given as text
        (split into pieces as the tokenizer splits a reference, then the end token) or
        as piece ids (a model's own output exactly as it wrote it, its end token
        included where it wrote one: a model trained on sampled pieces may write a
        word in pieces other than the tokenizer's best split);
        ``prefix``: the output starts with these words (a string), or with these
        piece ids (a list), then the search goes on."""
        return self.translate_batch([text], settings, [force], [prefix])[0]

    def translate_batch(
        self,
        texts: list[str],
        settings: DecodeSettings = DecodeSettings(),
        forces: list[str | list[int] | None] | None = None,
        prefixes: list[str | list[int] | None] | None = None,
    ) -> list[DecodeTrace]:
        settings.check()
        sources = [self.encode_source(t) for t in texts]
        options = settings.attention
        if not options.is_default and self.cfg.attention == "none":
            raise InputError("this model has no attention to change")
        for src in sources:
            try:
                options.check(len(src.ids))
            except ValueError as exc:
                raise InputError(str(exc)) from None
        forces = forces or [None] * len(texts)
        prefixes = prefixes or [None] * len(texts)
        if any(f is not None for f in forces):
            if not all(f is not None for f in forces):
                raise InputError("forced decoding needs a target for every source")
            return self._forced(sources, forces, settings)
        prefix_ids = [self._prefix_ids(p) for p in prefixes]
        limits = [max(settings.limit(len(s.ids)), len(p) + 1) for s, p in zip(sources, prefix_ids)]
        src_ids = [s.ids for s in sources]
        if settings.beam == 1 and options.is_default and self._static_path(prefix_ids):
            results = batched.greedy_static(self.decoder, src_ids, limits, settings.topk)
            mode = "greedy"
        elif settings.beam == 1:
            results = search.greedy(
                self.decoder, src_ids, limits, settings.topk, prefix_ids, options
            )
            mode = "greedy"
        else:
            results = search.beam_search(
                self.decoder,
                src_ids,
                limits,
                settings.beam,
                settings.length_penalty,
                settings.n_best,
                settings.topk,
                prefix_ids,
                options,
            )
            mode = "beam"
        return [
            self._trace(src, res, mode, settings, {"prefix": pre, "max_len": lim})
            for src, res, pre, lim in zip(sources, results, prefix_ids, limits)
        ]

    def _static_path(self, prefix_ids: list[list[int]]) -> bool:
        """Greedy on a GPU runs the fixed-shape (graph-captured) loop: launches, not
        arithmetic, are what a GPU step costs.  The CPU keeps dropping finished rows."""
        return (
            isinstance(self.decoder, FastDecoder)
            and self.decoder.device.type == "cuda"
            and not any(prefix_ids)
        )

    def _forced(self, sources, forces, settings) -> list[DecodeTrace]:
        targets = [
            self._target_ids(f, eos=True) if isinstance(f, str) else self._piece_ids(f)
            for f in forces
        ]
        src_ids = [s.ids for s in sources]
        results = search.forced(self.decoder, src_ids, targets, settings.topk, settings.attention)
        return [
            self._trace(src, res, "forced", settings, _force_settings(self.tokenizer, f))
            for src, res, f in zip(sources, results, forces)
        ]

    def _piece_ids(self, ids: list[int]) -> list[int]:
        """A target given as piece ids, as they are: closed by the end token where the
        output it copies wrote one (an output cut by the length limit wrote none)."""
        ids = [int(i) for i in ids]
        end = ids[-1:] if ids[-1:] == [self.cfg.eos_id] else []
        return [*self._prefix_ids(ids[: len(ids) - len(end)]), *end]

    def _prefix_ids(self, prefix: str | list[int] | None) -> list[int]:
        if not prefix:
            return []
        if isinstance(prefix, str):
            return self._target_ids(prefix, eos=False)
        ids = [int(i) for i in prefix]
        specials = {self.cfg.pad_id, self.cfg.bos_id, self.cfg.eos_id}
        if not all(0 <= i < self.cfg.vocab_size and i not in specials for i in ids):
            raise InputError("a prefix holds pieces outside the vocabulary")
        return ids[: MAX_OUTPUT_PIECES - 1]

    def _target_ids(self, text: str, eos: bool) -> list[int]:
        """A target's ids by ``Tokenizer.encode_target``, whose notes (what cleaning and
        the cut did to it) a page reads from the same call, without torch
        (``ui.state.reference_notes``)."""
        return self.tokenizer.encode_target(text, add_eos=eos).ids

    def _trace(self, src: TokenSeq, res: SearchResult, mode, settings, extra) -> DecodeTrace:
        source = Sequence(src.pieces, src.words, src.piece_to_word, src.ids, src.text)
        hyps = [self._hyp(h) for h in res.hyps]
        steps = [
            [
                BeamStepNode(
                    self.tokenizer.sp.id_to_piece(n.token),
                    n.token,
                    n.parent,
                    n.score,
                    n.finished,
                    n.slot,
                )
                for n in nodes
            ]
            for nodes in res.beam_steps
        ]
        cfg = self.cfg
        return DecodeTrace(
            model=self.name,
            attention=cfg.attention,
            score_kind=cfg.score,
            mode=mode,
            source=source,
            hypotheses=hyps,
            settings={
                "beam": settings.beam,
                "length_penalty": settings.length_penalty,
                "topk": settings.topk,
                **extra,
                **_attention_settings(settings.attention),
            },
            beam_steps=steps,
            notes=list(src.notes),
        )

    def _hyp(self, h: Hyp) -> HypothesisTrace:
        seq = self.tokenizer.decode(h.ids)
        piece = self.tokenizer.sp.id_to_piece
        candidates = [
            [(piece(int(i)), float(p)) for i, p in zip(ids, probs)]
            for ids, probs in zip(h.cand_ids, h.cand_probs)
        ]
        candidate_ids = [[int(i) for i in ids] for ids in h.cand_ids]
        return HypothesisTrace(
            pieces=seq.pieces,
            words=seq.words,
            piece_to_word=seq.piece_to_word,
            ids=seq.ids,
            text=seq.text,
            score=h.score,
            norm_score=h.norm_score,
            alphas=h.alphas,
            scores=h.scores,
            token_logprobs=[float(x) for x in h.token_logprobs],
            candidates=candidates,
            candidate_ids=candidate_ids,
            finished=h.finished,
            beam_node=h.node,
        )


def _attention_settings(options: AttentionOptions) -> dict:
    """The attention options of a trace's settings, only where they change decoding."""
    if options.is_default:
        return {}
    out: dict = {"attention_scale": options.scale}
    if options.override is not None:
        out["attention_override"] = {
            "step": options.override_step,
            "weights": [round(w, 6) for w in options.override],
        }
    return out


def _force_settings(tokenizer, force: str | list[int]) -> dict:
    """What a forced trace records of its target: the text, and the piece ids when the
    target was given as pieces (re-forcing the text could split it otherwise)."""
    if isinstance(force, str):
        return {"force": force}
    ids = [int(i) for i in force]
    return {"force": tokenizer.decode(ids).text, "force_ids": ids}
